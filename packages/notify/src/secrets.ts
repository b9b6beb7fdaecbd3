import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '@firstseen/core';
import { SecretError } from './errors';

/** Secret name -> value (webhook URL, bot token, routing key). Never log this object. */
export type Secrets = ReadonlyMap<string, string>;

export interface SecretSource {
  get(name: string): Promise<string | undefined>;
}

/**
 * Every secret name the config needs: the secrets of destinations some routing rule uses, and
 * owners' PagerDuty routing keys when a PagerDuty destination is in use.
 */
export function secretNames(config: Config): string[] {
  const names = new Set<string>();
  const used = new Set(config.routing.rules.flatMap((r) => r.destinations));
  let pagerDuty = false;
  for (const [name, d] of Object.entries(config.routing.destinations)) {
    if (!used.has(name)) continue;
    if (d.type === 'slack' || d.type === 'pagerduty') names.add(d.secret);
    if (d.type === 'pagerduty') pagerDuty = true;
  }
  if (pagerDuty)
    for (const o of config.owners) if (o.pagerDutyRoutingKeySecret) names.add(o.pagerDutyRoutingKeySecret);
  return [...names].sort();
}

/** Locally: the secret name is an environment variable name. */
export function envSecretSource(env: NodeJS.ProcessEnv = process.env): SecretSource {
  return { get: async (name) => env[name] };
}

/** In AWS: Secrets Manager, SecretString of the secret with that name. */
export function secretsManagerSource(client: SecretsManagerClient): SecretSource {
  return {
    get: async (name) => {
      try {
        const res = await client.send(new GetSecretValueCommand({ SecretId: name }));
        return res.SecretString;
      } catch (err) {
        throw new SecretError(`reading secret "${name}" from Secrets Manager failed`, { cause: err });
      }
    },
  };
}

/**
 * Reads every secret the config needs, once (call at cold start). Fails naming the missing
 * secret, never printing a value.
 */
export async function loadSecrets(config: Config, source: SecretSource): Promise<Secrets> {
  const out = new Map<string, string>();
  for (const name of secretNames(config)) {
    const value = await source.get(name);
    if (value === undefined || value.trim() === '')
      throw new SecretError(`secret "${name}" is missing or empty`);
    out.set(name, value.trim());
  }
  return out;
}

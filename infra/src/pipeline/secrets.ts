import type { Config } from '@firstseen/core';
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { secretNames } from '../secretNames';

export interface SecretsArgs {
  config: Config;
  /** The Slack signing secret's name (only with Slack triage), besides the secrets the config names. */
  signingSecret?: string;
  keyArn: pulumi.Input<string>;
}

/**
 * One Secrets Manager secret per name the config gives, plus the Slack signing secret, keyed
 * by name. Values are set out of band: `aws secretsmanager put-secret-value`.
 */
export function createSecrets(
  name: string,
  args: SecretsArgs,
  parent: pulumi.ResourceOptions,
): Record<string, aws.secretsmanager.Secret> {
  const secrets: Record<string, aws.secretsmanager.Secret> = {};
  for (const secret of secretNames(args.config, args.signingSecret ? [args.signingSecret] : [])) {
    secrets[secret] = new aws.secretsmanager.Secret(
      `${name}-secret-${secret}`,
      {
        name: secret,
        kmsKeyId: args.keyArn,
        recoveryWindowInDays: 7,
        description: `firstseen: ${secret}`,
      },
      parent,
    );
  }
  return secrets;
}

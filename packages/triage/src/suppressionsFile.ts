import { readFile } from 'node:fs/promises';
import { InMemorySuppressionStore, type Suppression, suppressionId } from '@firstseen/core';
import { z } from 'zod';
import { SuppressionInputError } from './errors';

const time = z.union([
  z.number(),
  z.string().transform((s, ctx) => {
    const t = Date.parse(s);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: `not a date-time: ${s}` });
      return z.NEVER;
    }
    return t;
  }),
]);

/** One suppression in a file (`npm run triage -- list --json` prints this shape). */
export const SuppressionSchema = z
  .object({
    principal: z.string().min(1),
    id: z.string().min(1).optional(),
    action: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    expiresAt: time,
    createdAt: time.optional(),
    createdBy: z.string().optional(),
    reason: z.enum(['expected', 'snooze', 'manual']).optional(),
    alertId: z.string().optional(),
  })
  .strict();

/** Parses a JSON array of suppressions (or `{ suppressions: [...] }`). */
export function parseSuppressions(json: unknown, origin = 'suppressions'): Suppression[] {
  const list = Array.isArray(json) ? json : (json as { suppressions?: unknown } | null)?.suppressions;
  const parsed = z.array(SuppressionSchema).safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SuppressionInputError(
      `${origin}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data.map((s) => {
    const out: Suppression = {
      principal: s.principal,
      id: s.id ?? suppressionId(s),
      expiresAt: s.expiresAt,
      createdAt: s.createdAt ?? 0,
      createdBy: s.createdBy ?? 'file',
      reason: s.reason ?? 'manual',
    };
    for (const k of ['action', 'account', 'region', 'alertId'] as const)
      if (s[k] !== undefined) out[k] = s[k];
    return out;
  });
}

/** Reads a suppressions file into an in-memory store (the replay's `--suppressions FILE`). */
export async function loadSuppressionsFile(path: string): Promise<InMemorySuppressionStore> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new SuppressionInputError(`cannot read suppressions file ${path}`, { cause: err });
  }
  return new InMemorySuppressionStore(parseSuppressions(json, path));
}

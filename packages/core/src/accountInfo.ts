import { z } from 'zod';

/**
 * Bounds of the account directory's strings. Organizations allows account names of 50
 * characters, OU names of 128, five levels of OUs, 50 tags of 128/256 characters; ours are a
 * little wider and cut, never rejected, so an odd name costs its tail, never the alert.
 */
export const ACCOUNT_NAME_MAX = 128;
export const OU_PATH_MAX = 700;
export const ACCOUNT_TAGS_MAX = 50;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;

/**
 * How people know an account (docs/semantics.md "Policy and the alert"): its Organizations name,
 * the path of OU names from the root (`Production/Payments`; `` directly under the root) and its
 * tags. Read from the account directory the watchdog caches; the detector never sets it.
 */
export const AccountInfoSchema = z.object({
  name: z.string().max(ACCOUNT_NAME_MAX),
  ouPath: z.string().max(OU_PATH_MAX),
  tags: z
    .record(z.string().min(1).max(TAG_KEY_MAX), z.string().max(TAG_VALUE_MAX))
    .refine((t) => Object.keys(t).length <= ACCOUNT_TAGS_MAX, `at most ${ACCOUNT_TAGS_MAX} tags`)
    .optional(),
});
export type AccountInfo = z.infer<typeof AccountInfoSchema>;

/** `name (id)` when the account has a name other than its id, else the id. */
export function describeAccount(accountId: string, info: AccountInfo | undefined): string {
  return info && info.name !== '' && info.name !== accountId ? `${info.name} (${accountId})` : accountId;
}

const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/**
 * An account's entry as untrusted input (a cache item, a file) made to fit AccountInfoSchema:
 * strings cut to their bounds, at most ACCOUNT_TAGS_MAX tags; undefined when it has no string
 * name and OU path.
 */
export function boundAccountInfo(raw: unknown): AccountInfo | undefined {
  const entry = raw as { name?: unknown; ouPath?: unknown; tags?: unknown } | null | undefined;
  if (typeof entry?.name !== 'string' || typeof entry.ouPath !== 'string') return undefined;
  const info: AccountInfo = {
    name: cut(entry.name, ACCOUNT_NAME_MAX),
    ouPath: cut(entry.ouPath, OU_PATH_MAX),
  };
  if (entry.tags && typeof entry.tags === 'object' && !Array.isArray(entry.tags)) {
    const tags: Record<string, string> = {};
    let n = 0;
    for (const [k, v] of Object.entries(entry.tags as Record<string, unknown>)) {
      if (n >= ACCOUNT_TAGS_MAX) break;
      if (k === '' || typeof v !== 'string') continue;
      tags[cut(k, TAG_KEY_MAX)] = cut(v, TAG_VALUE_MAX);
      n++;
    }
    if (n > 0) info.tags = tags;
  }
  return info;
}

/**
 * The alert with `accountInfo` from `directory` (account id -> info) when it has the alert's
 * account; the alert unchanged otherwise (a missing directory or entry falls back to the id).
 */
export function withAccountInfo<A extends { account: string; accountInfo?: AccountInfo }>(
  alert: A,
  directory: Readonly<Record<string, AccountInfo>> | undefined,
): A {
  const info = directory && Object.hasOwn(directory, alert.account) ? directory[alert.account] : undefined;
  return info ? { ...alert, accountInfo: info } : alert;
}

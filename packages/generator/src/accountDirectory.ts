import type { AccountInfo } from '@firstseen/core';
import type { AccountEnv, Organization } from './types';

/** Where each kind of account sits in the generated organization's OU tree ('' = the root). */
export const OU_PATH_BY_ENV: Readonly<Record<AccountEnv, string>> = {
  management: '',
  security: 'Security',
  'shared-services': 'Infrastructure',
  prod: 'Workloads/Production',
  data: 'Workloads/Production',
  staging: 'Workloads/Staging',
  dev: 'Workloads/Development',
  sandbox: 'Sandbox',
};

/**
 * The generated organization as Organizations would describe it: each account's name, OU path
 * and an `environment` tag, keyed by account id (the account directory's shape, which the local
 * demo writes where the watchdog would). Derived from the accounts alone, so the generated events
 * do not change.
 */
export function accountDirectoryOf(org: Pick<Organization, 'accounts'>): Record<string, AccountInfo> {
  return Object.fromEntries(
    org.accounts.map((a) => [
      a.id,
      { name: a.name, ouPath: OU_PATH_BY_ENV[a.env], tags: { environment: a.env } },
    ]),
  );
}

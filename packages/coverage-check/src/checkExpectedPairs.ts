import {
  type AccountRegion,
  classifyHeartbeats,
  expectedPairs,
  type Heartbeat,
  type HeartbeatSource,
} from '@firstseen/watchdog';
import type { CoverageRow, CoverageTargets } from './types';

const pairName = (p: AccountRegion) => `${p.account}/${p.region}`;

function listed(
  rows: CoverageRow[],
  check: string,
  pairs: readonly AccountRegion[],
  max: number,
  detail: (p: AccountRegion) => string,
): void {
  for (const p of pairs.slice(0, max))
    rows.push({ check, target: pairName(p), status: 'gap', detail: detail(p) });
  if (pairs.length > max) {
    rows.push({ check, target: `${pairs.length - max} more`, status: 'gap', detail: 'see --json for all' });
  }
}

/**
 * The expected pairs (ACTIVE accounts x forwarded regions) never heard from or silent longer
 * than `silenceMs`, from the heartbeat items read by key; and the management account's pairs,
 * which only forward when its stacks were deployed (by role or by hand).
 */
export async function checkExpectedPairs(args: {
  accounts: readonly string[];
  managementAccount: string | undefined;
  regions: readonly string[];
  heartbeats: Pick<HeartbeatSource, 'get'>;
  now: number;
  targets: Pick<CoverageTargets, 'silenceMs' | 'maxRowsPerKind'>;
}): Promise<CoverageRow[]> {
  const { now, targets } = args;
  const pairs = expectedPairs(args.accounts, args.regions);
  const stored = new Map((await args.heartbeats.get(pairs)).map((h) => [pairName(h), h]));
  const heartbeats: Heartbeat[] = pairs.map((p) => stored.get(pairName(p)) ?? p);
  const never = heartbeats.filter((h) => h.lastEventTime === undefined);
  // Grace 0 would count every unheard pair; `never` lists those, so only silence is taken here.
  const { silent } = classifyHeartbeats(heartbeats, now, targets.silenceMs, Number.MAX_SAFE_INTEGER);
  const rows: CoverageRow[] = [];
  const mgmt = args.managementAccount;
  const isMgmt = (p: AccountRegion) => p.account === mgmt;

  listed(
    rows,
    'expected-pairs',
    never.filter((p) => !isMgmt(p)),
    targets.maxRowsPerKind,
    (p) => {
      const since = stored.get(pairName(p))?.expectedSince;
      return `never heard from${since ? ` (expected since ${new Date(since).toISOString()})` : ''}`;
    },
  );
  listed(
    rows,
    'expected-pairs',
    silent.filter((p) => !isMgmt(p)),
    targets.maxRowsPerKind,
    (p) => {
      const last = stored.get(pairName(p))?.lastEventTime ?? 0;
      return `silent for ${Math.floor((now - last) / 60_000)} minutes`;
    },
  );
  if (rows.length === 0) {
    rows.push({
      check: 'expected-pairs',
      target: `${pairs.length} pairs`,
      status: 'ok',
      detail: `${args.accounts.length} ACTIVE accounts x ${args.regions.length} regions, all reporting`,
    });
  }

  if (mgmt === undefined) return rows;
  const mgmtNever = never.filter(isMgmt);
  const mgmtSilent = silent.filter(isMgmt);
  if (mgmtNever.length === args.regions.length) {
    rows.push({
      check: 'management-account',
      target: mgmt,
      status: 'gap',
      detail:
        'no event from any region: deploy the forwarding stacks there (managementAccountRoleArn, or by hand: infra/README.md "Management account")',
    });
  } else {
    for (const p of mgmtNever)
      rows.push({
        check: 'management-account',
        target: pairName(p),
        status: 'gap',
        detail: 'never heard from',
      });
    for (const p of mgmtSilent)
      rows.push({ check: 'management-account', target: pairName(p), status: 'gap', detail: 'silent' });
    if (mgmtNever.length + mgmtSilent.length === 0) {
      rows.push({
        check: 'management-account',
        target: mgmt,
        status: 'ok',
        detail: 'forwarding from every region',
      });
    }
  }
  return rows;
}

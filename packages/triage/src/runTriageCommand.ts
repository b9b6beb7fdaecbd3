import {
  DAY_MS,
  parseCommandLine,
  parseDuration,
  type Suppression,
  type SuppressionStore,
  suppressionId,
  suppressionRefusal,
} from '@firstseen/core';
import { formatDecisions } from './auditDecisions';
import { SuppressionInputError } from './errors';
import type { AlertDecisionStore } from './types';

export const TRIAGE_USAGE = `usage: npm run triage -- <command> [options]

  list [--all] [--json]                       live suppressions (--all: expired ones too)
  add --principal P [--action A] [--account ID] [--region R] (--days N | --until TIME) [--by NAME]
                                              suppress alerts (no --action: every action of P
                                              except sensitive ones; refused for a root/ principal)
  add --alert ID (--days N | --until TIME)    "expected", as Slack's button: suppress the alert's principal
                                              and action, and record the decision on the alert (audit)
  remove --principal P (--id ID | [--action A] [--account ID] [--region R])
  audit [--since 7d] [--json]                 triage decisions recorded on alerts since then

  --baseline-table NAME  --alerts-table NAME  (default: FIRSTSEEN_BASELINE_TABLE, FIRSTSEEN_ALERTS_TABLE,
                                              else the running local stack of \`npm start\`)
  --endpoint URL                              DynamoDB endpoint (default: FIRSTSEEN_DYNAMODB_ENDPOINT)
  -h, --help`;

export interface TriageCommandDeps {
  suppressions: SuppressionStore;
  alerts: AlertDecisionStore;
  clock?: () => number;
  out: (line: string) => void;
  /** Recorded as createdBy (`cli:<user>`). */
  user: string;
}

const OPTIONS = {
  principal: { type: 'string' },
  alert: { type: 'string' },
  action: { type: 'string' },
  account: { type: 'string' },
  region: { type: 'string' },
  days: { type: 'string' },
  until: { type: 'string' },
  by: { type: 'string' },
  id: { type: 'string' },
  since: { type: 'string' },
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'baseline-table': { type: 'string' },
  'alerts-table': { type: 'string' },
  endpoint: { type: 'string' },
} as const;

export const TRIAGE_COMMANDS = ['list', 'add', 'remove', 'audit'] as const;
export type TriageCommand = (typeof TRIAGE_COMMANDS)[number];

/**
 * Parses argv (after `--`) with the commands' shared parser: UsageError for an unknown option
 * or a missing value, HelpRequested for `--help`, SuppressionInputError for a missing or unknown
 * command. Runs before any table is looked for, so a bad command line costs nothing.
 */
export function parseTriageArgs(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, true);
  const [command, ...extra] = positionals;
  if (command === undefined) throw new SuppressionInputError(`give a command: ${TRIAGE_COMMANDS.join(', ')}`);
  if (!(TRIAGE_COMMANDS as readonly string[]).includes(command))
    throw new SuppressionInputError(`unknown command "${command}" (${TRIAGE_COMMANDS.join(', ')})`);
  if (extra.length > 0) throw new SuppressionInputError(`unexpected argument "${extra[0]}"`);
  return { values, command: command as TriageCommand };
}

function formatSuppression(s: Suppression, now: number): string {
  const scope = [s.action ?? '*', s.account ?? '*', s.region ?? '*'].join(' ');
  const state = s.expiresAt > now ? `until ${new Date(s.expiresAt).toISOString()}` : 'EXPIRED';
  return `${s.principal}  ${s.id}  ${scope}  ${state}  ${s.reason} by ${s.createdBy}${s.alertId ? ` (alert ${s.alertId})` : ''}`;
}

/** The triage command line (list | add | remove | audit). Returns the exit code. */
export async function runTriageCommand(argv: string[], deps: TriageCommandDeps): Promise<number> {
  const { values, command } = parseTriageArgs(argv);
  const now = (deps.clock ?? Date.now)();
  switch (command) {
    case 'list': {
      const all = (await deps.suppressions.list())
        .filter((s) => values.all || s.expiresAt > now)
        .sort((a, b) => a.principal.localeCompare(b.principal) || a.id.localeCompare(b.id));
      if (values.json) deps.out(JSON.stringify(all, null, 2));
      else deps.out(all.length ? all.map((s) => formatSuppression(s, now)).join('\n') : 'no suppressions');
      return 0;
    }
    case 'add': {
      // --alert: the principal and action of that alert (the alert id is the event id shown).
      const alert = values.alert === undefined ? undefined : await deps.alerts.get(values.alert);
      if (values.alert !== undefined && alert === undefined)
        throw new SuppressionInputError(`add: no alert ${JSON.stringify(values.alert)} in the alerts table`);
      const principal = values.principal ?? alert?.principal;
      if (!principal) throw new SuppressionInputError('add: --principal (or --alert) is required');
      let expiresAt: number;
      if (values.until !== undefined) {
        expiresAt = Date.parse(values.until);
        if (Number.isNaN(expiresAt))
          throw new SuppressionInputError(`add: --until is not a date-time: ${values.until}`);
      } else if (values.days !== undefined && /^[1-9]\d{0,3}$/.test(values.days)) {
        expiresAt = now + Number(values.days) * DAY_MS;
      } else {
        throw new SuppressionInputError('add: give --days N (1-9999) or --until TIME');
      }
      if (expiresAt <= now) throw new SuppressionInputError('add: the suppression would already be expired');
      const scope: Pick<Suppression, 'action' | 'account' | 'region'> = {};
      const action = values.action ?? alert?.action;
      if (action) scope.action = action;
      if (values.account) scope.account = values.account;
      if (values.region) scope.region = values.region;
      const refusal = suppressionRefusal(principal, scope);
      if (refusal) throw new SuppressionInputError(`add: ${refusal} (--action)`);
      const by = `cli:${values.by ?? deps.user}`;
      const s: Suppression = {
        principal,
        id: suppressionId(scope),
        ...scope,
        expiresAt,
        createdAt: now,
        createdBy: by,
        reason: alert ? 'expected' : 'manual',
        ...(alert ? { alertId: alert.alertId } : {}),
      };
      await deps.suppressions.put(s);
      if (alert) {
        // The same record as Slack's Expected button, so `audit` shows who decided and when.
        await deps.alerts.record(
          {
            alertId: alert.alertId,
            decision: 'expected',
            at: new Date(now).toISOString(),
            requestKey: `${by}:${alert.alertId}:${now}`,
            userId: by,
            suppressionId: s.id,
            suppressedUntil: new Date(expiresAt).toISOString(),
          },
          { escalate: false },
        );
      }
      deps.out(`added ${formatSuppression(s, now)}`);
      if (s.action === undefined) {
        deps.out(
          `note: sensitive actions of ${s.principal} still alert (only a suppression naming the action silences one)`,
        );
      }
      return 0;
    }
    case 'remove': {
      if (!values.principal) throw new SuppressionInputError('remove: --principal is required');
      const id =
        values.id ?? suppressionId({ action: values.action, account: values.account, region: values.region });
      const removed = await deps.suppressions.remove(values.principal, id);
      deps.out(
        removed ? `removed ${values.principal} ${id}` : `no suppression ${id} for ${values.principal}`,
      );
      return removed ? 0 : 1;
    }
    case 'audit': {
      const window = parseDuration(values.since ?? '7d');
      if (window === undefined)
        throw new SuppressionInputError(`audit: --since must look like 7d, 12h or 30m`);
      const decisions = await deps.alerts.decisionsSince(now - window);
      deps.out(values.json ? JSON.stringify(decisions, null, 2) : formatDecisions(decisions));
      return 0;
    }
  }
}

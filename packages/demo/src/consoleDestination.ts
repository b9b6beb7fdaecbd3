import { describeAccount, evidenceItems } from '@firstseen/core';
import type { AlertRecord, DestinationChannel } from '@firstseen/notify';

/** One delivered alert as the console destination saw it. */
export interface ConsoleDelivery {
  alertId: string;
  levels: string[];
  severity: string;
  principal: string;
  action: string;
  /** Epoch milliseconds of delivery. */
  deliveredAt: number;
}

export interface ConsoleDestinationOptions {
  name?: string;
  /** Where blocks are written (default process.stdout). */
  write?: (text: string) => void;
  clock?: () => number;
  onDelivery?: (delivery: ConsoleDelivery) => void;
}

// Event strings are attacker-controlled: no control characters, bounded length.
function plain(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * A readable terminal destination for the local stack: one block per alert group (a principal's
 * alerts of one dispatch), each alert on its own lines with levels, severity, where and who.
 * It stands in for the `console` destination type of the config.
 */
export function createConsoleDestination(options: ConsoleDestinationOptions = {}): DestinationChannel {
  const name = options.name ?? 'console';
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const clock = options.clock ?? Date.now;
  const record = (alerts: readonly AlertRecord[]) => {
    const now = clock();
    for (const a of alerts) {
      options.onDelivery?.({
        alertId: a.alertId,
        levels: [...a.levels],
        severity: a.severity,
        principal: a.principal,
        action: a.action,
        deliveredAt: now,
      });
    }
  };
  return {
    name,
    type: 'console',
    groupKey: (a) => a.principal,
    sendGroup: async (alerts) => {
      const first = alerts[0];
      if (!first) return;
      const lines = [
        `┌─ ${plain(first.principal)}: ${alerts.length} first-seen alert${alerts.length > 1 ? 's' : ''}`,
      ];
      for (const a of alerts) {
        const rule = a.severityRule ? `  (severity rule ${plain(a.severityRule, 64)})` : '';
        lines.push(
          `│ [${a.severity.toUpperCase()}] ${plain(a.action)}  levels: ${a.levels.join(', ')}${rule}`,
        );
        const ou = a.accountInfo?.ouPath ? ` [${plain(a.accountInfo.ouPath, 200)}]` : '';
        const where = `account ${plain(describeAccount(a.account, a.accountInfo), 200)}${ou}, ${plain(a.region)}, ${plain(a.eventTime)}`;
        const error = a.errorCode ? `, error ${plain(a.errorCode, 80)}` : '';
        lines.push(`│     ${where}${error}`);
        const who = [
          a.sessionName ? `session ${plain(a.sessionName, 80)}` : '',
          a.sourceIPAddress ? `from ${plain(a.sourceIPAddress, 80)}` : '',
          a.resource ? `resource ${plain(a.resource, 120)}` : '',
          a.previousSeen ? `previously seen ${plain(a.previousSeen, 40)}` : '',
        ].filter((s) => s !== '');
        if (who.length > 0) lines.push(`│     ${who.join(', ')}`);
        const evidence = evidenceItems(a.evidence, a.sourceIdentity)
          .slice(0, 12)
          .map((i) => `${plain(i.label, 30)} ${plain(i.value, 160)}`);
        if (evidence.length > 0) lines.push(`│     ${evidence.join(' · ')}`);
        if (a.userAgent) lines.push(`│     user agent ${plain(a.userAgent, 200)}`);
        const explanation = a.context['explanation'];
        if (typeof explanation === 'string' && explanation !== '') {
          lines.push(`│     why: ${plain(explanation, 600)}`);
        }
        lines.push(`│     event ${plain(a.eventId, 80)}`);
      }
      lines.push('└─');
      write(`${lines.join('\n')}\n`);
      record(alerts);
    },
    sendSummary: async (alerts) => {
      const principals = new Set(alerts.map((a) => a.principal));
      write(`┌─ alert storm: ${alerts.length} alerts from ${principals.size} principals (summarised)\n└─\n`);
      record(alerts);
    },
  };
}

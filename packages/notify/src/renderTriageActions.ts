import { isRootPrincipal } from '@firstseen/core';
import type { AlertRecord } from './types';

/** action_id of each triage button; the triage endpoint accepts exactly these. */
export const TRIAGE_ACTION_IDS = {
  expected: 'firstseen_triage_expected',
  suspicious: 'firstseen_triage_suspicious',
  snooze: 'firstseen_triage_snooze',
} as const;

export type TriageDecisionKind = keyof typeof TRIAGE_ACTION_IDS;

/** A button's value (the alertId) is at most 2,000 characters; longer ids get no buttons. */
export const SLACK_MAX_BUTTON_VALUE = 2000;

/** Block Kit confirmation dialog: title <= 100, text <= 300, confirm/deny <= 30 characters. */
export interface SlackConfirm {
  title: { type: 'plain_text'; text: string };
  text: { type: 'plain_text'; text: string };
  confirm: { type: 'plain_text'; text: string };
  deny: { type: 'plain_text'; text: string };
}

export interface SlackButton {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value: string;
  style?: 'primary' | 'danger';
  confirm?: SlackConfirm;
}

export interface SlackActionsBlock {
  type: 'actions';
  block_id: string;
  elements: SlackButton[];
}

export interface TriageActionOptions {
  /** Render the buttons (a Slack app with interactivity pointed at the triage endpoint). Default false. */
  triageActions?: boolean;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

// Fixed texts: no alert string enters a dialog, so none can be cut or shaped by an attacker.
const CONFIRMS: Partial<Record<TriageDecisionKind, SlackConfirm>> = {
  expected: {
    title: plain('Mark as expected?'),
    text: plain(
      'This principal calling this action stops alerting (90 days by default). Detection keeps learning. Your name is recorded.',
    ),
    confirm: plain('Mark expected'),
    deny: plain('Cancel'),
  },
  snooze: {
    title: plain('Snooze this principal for 7 days?'),
    text: plain(
      'Every alert of this principal stops for 7 days, except its sensitive actions. Detection keeps learning. Your name is recorded.',
    ),
    confirm: plain('Snooze 7 days'),
    deny: plain('Cancel'),
  },
};

const button = (kind: TriageDecisionKind, text: string, alertId: string, style?: 'primary' | 'danger') => {
  const b: SlackButton = {
    type: 'button',
    action_id: TRIAGE_ACTION_IDS[kind],
    text: plain(text),
    value: alertId,
  };
  if (style) b.style = style;
  const confirm = CONFIRMS[kind];
  if (confirm) b.confirm = confirm;
  return b;
};

/**
 * The triage buttons for one alert: Expected / Suspicious / Snooze principal 7 days, each
 * carrying the alertId as its value; Expected and Snooze ask for confirmation, and a `root/`
 * principal has no Snooze (triage refuses it). Nothing unless `options.triageActions`; `index`
 * keeps block ids unique within a message (Slack rejects duplicates).
 */
export function renderTriageActions(
  alert: Pick<AlertRecord, 'alertId' | 'principal'>,
  index: number,
  options: TriageActionOptions = {},
): SlackActionsBlock[] {
  if (!options.triageActions || alert.alertId.length > SLACK_MAX_BUTTON_VALUE) return [];
  return [
    {
      type: 'actions',
      block_id: `firstseen_triage_${index}`,
      elements: [
        button('expected', 'Expected', alert.alertId, 'primary'),
        button('suspicious', 'Suspicious', alert.alertId, 'danger'),
        ...(isRootPrincipal(alert.principal)
          ? []
          : [button('snooze', 'Snooze principal 7 days', alert.alertId)]),
      ],
    },
  ];
}

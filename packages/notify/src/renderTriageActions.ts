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

export interface SlackButton {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji?: boolean };
  value: string;
  style?: 'primary' | 'danger';
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

const button = (kind: TriageDecisionKind, text: string, alertId: string, style?: 'primary' | 'danger') => {
  const b: SlackButton = {
    type: 'button',
    action_id: TRIAGE_ACTION_IDS[kind],
    text: { type: 'plain_text', text },
    value: alertId,
  };
  if (style) b.style = style;
  return b;
};

/**
 * The triage buttons for one alert: Expected / Suspicious / Snooze principal 7 days, each
 * carrying the alertId as its value. Nothing unless `options.triageActions`; `index` keeps
 * block ids unique within a message (Slack rejects duplicates).
 */
export function renderTriageActions(
  alert: Pick<AlertRecord, 'alertId'>,
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
        button('snooze', 'Snooze principal 7 days', alert.alertId),
      ],
    },
  ];
}

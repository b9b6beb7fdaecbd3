import { renderSlackGroup } from '../../src/renderSlack';
import { renderTriageActions, TRIAGE_ACTION_IDS } from '../../src/renderTriageActions';
import { makeAlert as alertRecord } from '../helpers/alerts';

describe('renderTriageActions()', () => {
  it('renders nothing unless triage actions are switched on', () => {
    expect(renderTriageActions({ alertId: 'e-1', principal: 'role/deploy' }, 0)).toEqual([]);
    expect(renderSlackGroup([alertRecord({ alertId: 'e-1' })]).blocks.map((b) => b.type)).not.toContain(
      'actions',
    );
  });

  it('renders Expected, Suspicious and Snooze buttons whose value is the alert id', () => {
    const [block] = renderTriageActions({ alertId: 'e-1', principal: 'role/deploy' }, 3, {
      triageActions: true,
    });
    expect(block?.block_id).toBe('firstseen_triage_3');
    expect(block?.elements.map((e) => [e.action_id, e.text.text, e.value])).toEqual([
      [TRIAGE_ACTION_IDS.expected, 'Expected', 'e-1'],
      [TRIAGE_ACTION_IDS.suspicious, 'Suspicious', 'e-1'],
      [TRIAGE_ACTION_IDS.snooze, 'Snooze principal 7 days', 'e-1'],
    ]);
  });

  it('asks for confirmation before Expected and Snooze, within Block Kit limits, and not before Suspicious', () => {
    const [block] = renderTriageActions({ alertId: 'e-1', principal: 'role/deploy' }, 0, {
      triageActions: true,
    });
    const [expected, suspicious, snooze] = block?.elements ?? [];
    expect(suspicious?.confirm).toBeUndefined();
    for (const b of [expected, snooze]) {
      const c = b?.confirm;
      expect(c).toBeDefined();
      expect(c!.title.text.length).toBeLessThanOrEqual(100);
      expect(c!.text.text.length).toBeLessThanOrEqual(300);
      expect(c!.confirm.text.length).toBeLessThanOrEqual(30);
      expect(c!.deny.text.length).toBeLessThanOrEqual(30);
      expect([c!.title, c!.text, c!.confirm, c!.deny].every((t) => t.type === 'plain_text')).toBe(true);
    }
  });

  it('offers no Snooze for a root principal (triage refuses it)', () => {
    const [block] = renderTriageActions({ alertId: 'e-1', principal: 'root/111122223333' }, 0, {
      triageActions: true,
    });
    expect(block?.elements.map((e) => e.action_id)).toEqual([
      TRIAGE_ACTION_IDS.expected,
      TRIAGE_ACTION_IDS.suspicious,
    ]);
  });

  it('gives each alert of a group its own actions block with a unique block id', () => {
    const msg = renderSlackGroup([alertRecord({ alertId: 'e-1' }), alertRecord({ alertId: 'e-2' })], [], {
      triageActions: true,
    });
    const actions = msg.blocks.filter((b) => b.type === 'actions');
    expect(actions.map((b) => [b.block_id, b.elements[0]?.value])).toEqual([
      ['firstseen_triage_0', 'e-1'],
      ['firstseen_triage_1', 'e-2'],
    ]);
  });
});

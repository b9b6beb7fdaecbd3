/**
 * A parallel replay sends events to the thread owning their principal with the record cut to
 * FIELDS_READ_AFTER_DECODE (core's observedRecord.ts). That is exact only while detection and
 * the explanations read no other field of a decoded record: checked here on the real corpus with
 * every level on and no burn-in (so that every first sighting alerts and its evidence is read).
 */
import { FIELDS_READ_AFTER_DECODE, withDecodedFieldsOnly } from '@firstseen/core';
import { alertsOf, observedCorpus } from '../helpers/corpusAlerts';

describe('the fields of a record read after decoding', () => {
  const events = observedCorpus();

  it('are all in FIELDS_READ_AFTER_DECODE', async () => {
    const read = new Set<string>();
    // Every read of the record or of an object inside it, by its path (`userIdentity.accessKeyId`).
    const watch = (value: Record<string, unknown>, path: string): Record<string, unknown> =>
      new Proxy(value, {
        get(target, field, receiver) {
          const v = Reflect.get(target, field, receiver) as unknown;
          if (typeof field !== 'string') return v;
          const at = path === '' ? field : `${path}.${field}`;
          read.add(at);
          return v !== null && typeof v === 'object' && !Array.isArray(v)
            ? watch(v as Record<string, unknown>, at)
            : v;
        },
      });
    const alerts = await alertsOf(events.map((e) => ({ ...e, record: watch(e.record, '') })));
    // The run reached the readers: alerts with evidence, buckets, IAM changes.
    expect(alerts.length).toBeGreaterThan(100);
    expect(read).toContain('requestParameters');
    expect(read).toContain('userIdentity.sessionContext.sessionIssuer.arn');
    const kept = (path: string): boolean => {
      let node: unknown = FIELDS_READ_AFTER_DECODE;
      for (const segment of path.split('.')) {
        if (node === true) return true;
        node = (node as Record<string, unknown>)[segment];
        if (node === undefined) return false;
      }
      return true;
    };
    expect([...read].filter((path) => !kept(path))).toEqual([]);
  });

  it('give the same alerts, evidence and explanations as the whole record', async () => {
    const whole = await alertsOf(events);
    expect(await alertsOf(events.map(withDecodedFieldsOnly))).toEqual(whole);
    // Cutting a field that is read changes them (the comparison can fail).
    const withoutIdentity = events.map((e) => {
      const { userIdentity: _, ...record } = withDecodedFieldsOnly(e).record;
      return { ...e, record };
    });
    expect(await alertsOf(withoutIdentity)).not.toEqual(whole);
  });
});

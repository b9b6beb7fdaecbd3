import { DetectionEngine, InMemoryBaselineStore, type ObservedEvent, parseConfig } from '@firstseen/core';
import { Explainer } from '../../src/Explainer';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';
import type { ExplanationContext } from '../../src/types';
import { observedEvent } from '../helpers/events';

// Explanations of the opt-in `resource` level (docs/semantics.md "Levels and keys"): the
// bucket's prevalence and "known action, new bucket", through the real engine.

const T0 = Date.UTC(2025, 0, 6, 12);

function s3(principal: string, bucket: string, minute: number, extra: Partial<ObservedEvent> = {}) {
  return observedEvent({
    principal,
    time: T0 + minute * 60_000,
    record: { requestParameters: { bucketName: bucket, key: 'a.csv' } },
    ...extra,
  });
}

function setup() {
  const store = new InMemoryExplainStore();
  const explainer = new Explainer({ store });
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 0, levels: { resource: true } }),
    observer: explainer.observe,
    context: explainer.context,
  });
  const ctx = async (e: ObservedEvent) => (await engine.detect(e)).alert?.context as ExplanationContext;
  return { store, engine, ctx };
}

describe('explanations of the resource level', () => {
  it('says when the action is known but the bucket is not, first access in the organization', async () => {
    const { ctx } = setup();
    await ctx(s3('role/etl', 'app-assets', 0));
    const c = await ctx(s3('role/etl', 'payroll-exports', 60));
    expect(c.reason).toBe('new-bucket');
    expect(c.explanation).toContain('Known action on a bucket this principal never touched before');
    expect(c.explanation).toContain('s3:payroll-exports');
    expect(c.explanation).toContain('first access to this bucket in the whole organization');
    expect(c.facts.bucket).toEqual({
      name: 's3:payroll-exports',
      otherPrincipals: 0,
      firstInOrganization: true,
    });
  });

  it('counts the other principals that touch the bucket, each once whatever the redeliveries', async () => {
    const { ctx, engine } = setup();
    for (const [i, p] of ['role/a', 'role/b'].entries()) {
      const e = s3(p, 'shared', i);
      await engine.detect(e);
      await engine.detect(e); // redelivery of the claim: counted once
    }
    await ctx(s3('role/c', 'own', 10));
    const c = await ctx(s3('role/c', 'shared', 20));
    expect(c.facts.bucket).toEqual({ name: 's3:shared', otherPrincipals: 2, firstInOrganization: false });
    expect(c.explanation).toContain('2 other principals touch it');
  });

  it('adds the bucket facts, not the new-bucket reason, when the action is new as well', async () => {
    const { ctx } = setup();
    const c = await ctx(s3('role/new', 'logs', 0));
    expect(c.reason).not.toBe('new-bucket');
    expect(c.facts.bucket?.name).toBe('s3:logs');
  });

  it('still says the bucket is new when another reading leads (a network new to the principal)', async () => {
    const { ctx } = setup();
    await ctx(s3('role/etl', 'app-assets', 0, { sourceIPAddress: '10.0.0.5' }));
    const c = await ctx(s3('role/etl', 'payroll-exports', 60, { sourceIPAddress: '192.0.2.245' }));
    expect(c.reason).toBe('unusual-context');
    expect(c.explanation).toContain('the bucket (s3:payroll-exports) is new to this principal');
    expect(c.explanation).toContain('first access to this bucket in the whole organization');
  });

  it('costs no explain request for a bucket-less or known-bucket event', async () => {
    const { store, engine } = setup();
    await engine.detect(s3('role/x', 'logs', 0));
    const before = store.requests;
    await engine.detect(s3('role/x', 'logs', 1));
    expect(store.requests).toBe(before);
  });
});

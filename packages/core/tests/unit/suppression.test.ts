import {
  createSuppressionCheck,
  InMemorySuppressionStore,
  type ObservedEvent,
  type Suppression,
  suppressionId,
  suppressionRefusal,
} from '../../src';
import { suppressionMatches } from '../../src/suppression';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;
const NOT_SENSITIVE = { sensitive: false };

function observed(over: Partial<ObservedEvent> = {}): ObservedEvent {
  const time = over.time ?? NOW;
  return {
    eventId: 'e-1',
    eventTime: new Date(time).toISOString(),
    time,
    account: '111122223333',
    region: 'us-east-1',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateRole',
    action: 'iam.amazonaws.com:CreateRole',
    principal: 'role/deploy',
    identityType: 'AssumedRole',
    failed: false,
    record: {},
    ...over,
  };
}

function suppression(over: Partial<Suppression> = {}): Suppression {
  return {
    principal: 'role/deploy',
    id: 'principal-wide',
    expiresAt: NOW + DAY,
    createdAt: NOW - DAY,
    createdBy: 'U0ALICE',
    reason: 'manual',
    ...over,
  };
}

describe('suppressionMatches()', () => {
  it('covers only the scope it names, exactly, while it lives', () => {
    const scoped = suppression({ action: 'iam.amazonaws.com:CreateRole', account: '111122223333' });
    expect(suppressionMatches(scoped, observed(), NOW, false)).toBe(true);
    expect(suppressionMatches(scoped, observed({ region: 'eu-west-1' }), NOW, false)).toBe(true);
    expect(suppressionMatches(scoped, observed({ account: '444455556666' }), NOW, false)).toBe(false);
    expect(suppressionMatches(scoped, observed({ action: 'iam.amazonaws.com:CreateUser' }), NOW, false)).toBe(
      false,
    );
    expect(suppressionMatches(scoped, observed({ principal: 'role/deploy2' }), NOW, false)).toBe(false);
    // Expiry is exclusive, and no glob: `*` in a principal is a character like any other.
    expect(suppressionMatches(scoped, observed(), NOW + DAY, false)).toBe(false);
    expect(suppressionMatches(suppression({ principal: 'role/*' }), observed(), NOW, false)).toBe(false);
  });

  it('covers a sensitive action or a root principal only when it names that exact principal and action', () => {
    const stopLogging = observed({ action: 'cloudtrail.amazonaws.com:StopLogging' });
    const wide = suppression();
    expect(suppressionMatches(wide, stopLogging, NOW, false)).toBe(true);
    expect(suppressionMatches(wide, stopLogging, NOW, true)).toBe(false);
    expect(suppressionMatches(suppression({ account: '111122223333' }), stopLogging, NOW, true)).toBe(false);
    const exact = suppression({ action: 'cloudtrail.amazonaws.com:StopLogging' });
    expect(suppressionMatches(exact, stopLogging, NOW, true)).toBe(true);

    const root = observed({ principal: 'root/111122223333' });
    expect(suppressionMatches(suppression({ principal: 'root/111122223333' }), root, NOW, false)).toBe(false);
    expect(
      suppressionMatches(
        suppression({ principal: 'root/111122223333', action: 'iam.amazonaws.com:CreateRole' }),
        root,
        NOW,
        false,
      ),
    ).toBe(true);
  });
});

describe('suppressionRefusal()', () => {
  it('refuses a principal-wide suppression of a root principal, with the reason, and nothing else', () => {
    expect(suppressionRefusal('root/111122223333', {})).toMatch(/root user.*name the action/);
    expect(suppressionRefusal('root/111122223333', { account: '111122223333' })).toBeDefined();
    expect(
      suppressionRefusal('root/111122223333', { action: 'iam.amazonaws.com:CreateRole' }),
    ).toBeUndefined();
    expect(suppressionRefusal('role/deploy', {})).toBeUndefined();
  });
});

describe('suppressionId()', () => {
  it('names a snooze principal-wide and gives each scope a stable id of its own', () => {
    expect(suppressionId({})).toBe('principal-wide');
    const a = suppressionId({ action: 'iam.amazonaws.com:CreateRole' });
    expect(suppressionId({ action: 'iam.amazonaws.com:CreateRole' })).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(suppressionId({ action: 'iam.amazonaws.com:CreateRole', region: 'us-east-1' })).not.toBe(a);
    // The same string in another field is another scope.
    expect(suppressionId({ account: 'x' })).not.toBe(suppressionId({ region: 'x' }));
  });
});

describe('createSuppressionCheck()', () => {
  function counting(store: InMemorySuppressionStore, fail: () => boolean = () => false) {
    const reads: string[] = [];
    const wrapped = Object.assign(Object.create(store) as InMemorySuppressionStore, {
      forPrincipal: async (p: string) => {
        reads.push(p);
        if (fail()) throw new Error('store down');
        return store.forPrincipal(p);
      },
    });
    return { reads, store: wrapped };
  }

  it('reads a principal once per TTL, absence included, and again after it', async () => {
    let now = NOW;
    const { reads, store } = counting(new InMemorySuppressionStore());
    const check = createSuppressionCheck({ store, clock: () => now, ttlMs: 60_000 });
    expect(Boolean(await check(observed(), NOT_SENSITIVE))).toBe(false);
    expect(Boolean(await check(observed({ eventId: 'e-2' }), NOT_SENSITIVE))).toBe(false);
    expect(reads).toEqual(['role/deploy']);
    now += 60_000;
    await check(observed(), NOT_SENSITIVE);
    expect(reads).toHaveLength(2);
  });

  it('sees a new suppression only after the TTL (the documented delay)', async () => {
    let now = NOW;
    const inner = new InMemorySuppressionStore();
    const check = createSuppressionCheck({ store: inner, clock: () => now, ttlMs: 60_000 });
    expect(Boolean(await check(observed(), NOT_SENSITIVE))).toBe(false);
    await inner.put(suppression());
    expect(Boolean(await check(observed(), NOT_SENSITIVE))).toBe(false);
    now += 60_000;
    expect(Boolean(await check(observed(), NOT_SENSITIVE))).toBe(true);
  });

  it('does not cache a failed read: the error reaches the caller and the next event asks again', async () => {
    let down = true;
    const { reads, store } = counting(new InMemorySuppressionStore([suppression()]), () => down);
    const check = createSuppressionCheck({ store, clock: () => NOW, ttlMs: 60_000 });
    await expect(check(observed(), NOT_SENSITIVE)).rejects.toThrow('store down');
    down = false;
    expect(Boolean(await check(observed(), NOT_SENSITIVE))).toBe(true);
    expect(reads).toHaveLength(2);
  });

  it('judges expiry by the clock live and by the event time in replay', async () => {
    const store = new InMemorySuppressionStore([suppression({ expiresAt: NOW })]);
    const live = createSuppressionCheck({ store, clock: () => NOW - 1 });
    expect(Boolean(await live(observed({ time: NOW + 10 * DAY }), NOT_SENSITIVE))).toBe(true);
    const replay = createSuppressionCheck({ store, clock: () => NOW + DAY, at: 'event' });
    expect(Boolean(await replay(observed({ time: NOW - 1 }), NOT_SENSITIVE))).toBe(true);
    expect(Boolean(await replay(observed({ time: NOW }), NOT_SENSITIVE))).toBe(false);
  });

  it('evicts the oldest principal beyond maxPrincipals', async () => {
    const { reads, store } = counting(new InMemorySuppressionStore());
    const check = createSuppressionCheck({ store, clock: () => NOW, maxPrincipals: 2 });
    for (const p of ['role/a', 'role/b', 'role/c', 'role/c', 'role/b', 'role/a'])
      await check(observed({ principal: p }), NOT_SENSITIVE);
    // a, b, c read; c and b still cached; a was evicted when c came in, so it is read again.
    expect(reads).toEqual(['role/a', 'role/b', 'role/c', 'role/a']);
  });
});

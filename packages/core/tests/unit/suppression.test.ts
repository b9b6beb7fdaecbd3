import {
  createSuppressionCheck,
  InMemorySuppressionStore,
  type ObservedEvent,
  type Suppression,
  suppressionId,
  suppressionMatches,
} from '../../src';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const DAY = 86_400_000;

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
    expect(suppressionMatches(scoped, observed(), NOW)).toBe(true);
    expect(suppressionMatches(scoped, observed({ region: 'eu-west-1' }), NOW)).toBe(true);
    expect(suppressionMatches(scoped, observed({ account: '444455556666' }), NOW)).toBe(false);
    expect(suppressionMatches(scoped, observed({ action: 'iam.amazonaws.com:CreateUser' }), NOW)).toBe(false);
    expect(suppressionMatches(scoped, observed({ principal: 'role/deploy2' }), NOW)).toBe(false);
    // Expiry is exclusive, and no glob: `*` in a principal is a character like any other.
    expect(suppressionMatches(scoped, observed(), NOW + DAY)).toBe(false);
    expect(suppressionMatches(suppression({ principal: 'role/*' }), observed(), NOW)).toBe(false);
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
    expect(await check(observed())).toBe(false);
    expect(await check(observed({ eventId: 'e-2' }))).toBe(false);
    expect(reads).toEqual(['role/deploy']);
    now += 60_000;
    await check(observed());
    expect(reads).toHaveLength(2);
  });

  it('sees a new suppression only after the TTL (the documented delay)', async () => {
    let now = NOW;
    const inner = new InMemorySuppressionStore();
    const check = createSuppressionCheck({ store: inner, clock: () => now, ttlMs: 60_000 });
    expect(await check(observed())).toBe(false);
    await inner.put(suppression());
    expect(await check(observed())).toBe(false);
    now += 60_000;
    expect(await check(observed())).toBe(true);
  });

  it('does not cache a failed read: the error reaches the caller and the next event asks again', async () => {
    let down = true;
    const { reads, store } = counting(new InMemorySuppressionStore([suppression()]), () => down);
    const check = createSuppressionCheck({ store, clock: () => NOW, ttlMs: 60_000 });
    await expect(check(observed())).rejects.toThrow('store down');
    down = false;
    expect(await check(observed())).toBe(true);
    expect(reads).toHaveLength(2);
  });

  it('judges expiry by the clock live and by the event time in replay', async () => {
    const store = new InMemorySuppressionStore([suppression({ expiresAt: NOW })]);
    const live = createSuppressionCheck({ store, clock: () => NOW - 1 });
    expect(await live(observed({ time: NOW + 10 * DAY }))).toBe(true);
    const replay = createSuppressionCheck({ store, clock: () => NOW + DAY, at: 'event' });
    expect(await replay(observed({ time: NOW - 1 }))).toBe(true);
    expect(await replay(observed({ time: NOW }))).toBe(false);
  });

  it('evicts the oldest principal beyond maxPrincipals', async () => {
    const { reads, store } = counting(new InMemorySuppressionStore());
    const check = createSuppressionCheck({ store, clock: () => NOW, maxPrincipals: 2 });
    for (const p of ['role/a', 'role/b', 'role/c', 'role/c', 'role/b', 'role/a'])
      await check(observed({ principal: p }));
    // a, b, c read; c and b still cached; a was evicted when c came in, so it is read again.
    expect(reads).toEqual(['role/a', 'role/b', 'role/c', 'role/a']);
  });
});

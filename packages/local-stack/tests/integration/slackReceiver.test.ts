import { type SlackReceiver, startSlackReceiver } from '../../src';
import { SLACK_TEST_CHANNEL_ID } from '../../src/receivers';

const TOKEN = 'xoxb-receiver-test';
let slack: SlackReceiver;

beforeEach(async () => {
  slack = await startSlackReceiver({ token: TOKEN });
});
afterEach(async () => {
  await slack.stop();
});

async function call(method: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${slack.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('startSlackReceiver() Web API', () => {
  it('answers chat.postMessage with a fresh ts and the channel id', async () => {
    const a = await call('chat.postMessage', { channel: '#alerts', text: 'one' });
    const b = await call('chat.postMessage', { channel: '#alerts', text: 'two' });
    expect(a).toMatchObject({ ok: true, channel: SLACK_TEST_CHANNEL_ID });
    expect(a['ts']).toMatch(/^\d+\.\d{6}$/);
    expect(b['ts']).not.toBe(a['ts']);
  });

  it('threads a reply under a top-level message and honours reply_broadcast', async () => {
    const parent = await call('chat.postMessage', { channel: '#alerts', text: 'parent' });
    await call('chat.postMessage', { channel: '#alerts', text: 'r1', thread_ts: parent['ts'] });
    await call('chat.postMessage', {
      channel: '#alerts',
      text: 'r2',
      thread_ts: parent['ts'],
      reply_broadcast: true,
    });
    expect(slack.messages.map((m) => [m.text, m.threadTs, m.broadcast])).toEqual([
      ['parent', undefined, false],
      ['r1', parent['ts'], false],
      ['r2', parent['ts'], true],
    ]);
  });

  it('refuses a reply to an unknown message or to a reply with thread_not_found', async () => {
    expect(await call('chat.postMessage', { channel: '#a', text: 'x', thread_ts: '1.000001' })).toEqual({
      ok: false,
      error: 'thread_not_found',
    });
    const parent = await call('chat.postMessage', { channel: '#a', text: 'p' });
    const reply = await call('chat.postMessage', { channel: '#a', text: 'r', thread_ts: parent['ts'] });
    expect(
      await call('chat.postMessage', { channel: '#a', text: 'x', thread_ts: reply['ts'] }),
    ).toMatchObject({
      error: 'thread_not_found',
    });
    expect(slack.accepted()).toHaveLength(2);
  });

  it('replaces a message with chat.update and counts the edit', async () => {
    const posted = await call('chat.postMessage', { channel: '#alerts', text: 'before', blocks: [] });
    const res = await call('chat.update', {
      channel: posted['channel'],
      ts: posted['ts'],
      text: 'after',
      blocks: [{ type: 'divider' }],
    });
    expect(res).toEqual({ ok: true, channel: SLACK_TEST_CHANNEL_ID, ts: posted['ts'], text: 'after' });
    expect(slack.messages[0]).toMatchObject({ text: 'after', blocks: [{ type: 'divider' }], edits: 1 });
  });

  it.each([
    [
      'a channel name instead of its id',
      { channel: '#alerts', ts: 'POSTED', text: 'x' },
      'channel_not_found',
    ],
    ['an unknown ts', { channel: SLACK_TEST_CHANNEL_ID, ts: '1.000009', text: 'x' }, 'message_not_found'],
    ['no text nor blocks', { channel: SLACK_TEST_CHANNEL_ID, ts: 'POSTED' }, 'no_text'],
  ])('refuses chat.update with %s', async (_name, body, error) => {
    const posted = await call('chat.postMessage', { channel: '#alerts', text: 'before' });
    const withTs = { ...body, ts: body.ts === 'POSTED' ? posted['ts'] : body.ts };
    expect(await call('chat.update', withTs)).toEqual({ ok: false, error });
    expect(slack.messages[0]).toMatchObject({ text: 'before', edits: 0 });
  });

  it('injects chat.update errors through the behaviour', async () => {
    const posted = await call('chat.postMessage', { channel: '#alerts', text: 'before' });
    slack.setBehaviour(({ path }) =>
      path === '/api/chat.update' ? { kind: 'slackError', error: 'cant_update_message' } : { kind: 'accept' },
    );
    expect(await call('chat.update', { channel: posted['channel'], ts: posted['ts'], text: 'x' })).toEqual({
      ok: false,
      error: 'cant_update_message',
    });
    expect(slack.messages[0]?.edits).toBe(0);
  });
});

async function history(
  query: Record<string, string>,
): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const res = await fetch(
    `${slack.baseUrl}/api/conversations.history?${new URLSearchParams(query).toString()}`,
    {
      headers: { authorization: `Bearer ${TOKEN}` },
    },
  );
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('startSlackReceiver() conversations.history and message metadata', () => {
  const metadata = { event_type: 'firstseen_thread', event_payload: { thread_key: 'k', window: 1 } };

  it('keeps chat.postMessage metadata and returns it only with include_all_metadata', async () => {
    const parent = await call('chat.postMessage', { channel: '#alerts', text: 'parent', metadata });
    await call('chat.postMessage', { channel: '#alerts', text: 'reply', thread_ts: parent['ts'] });
    const plain = await history({ channel: SLACK_TEST_CHANNEL_ID });
    expect(plain.body).toMatchObject({ ok: true, has_more: false, response_metadata: { next_cursor: '' } });
    // Thread replies (not broadcast) are not in the channel's history.
    expect(plain.body['messages']).toEqual([
      { type: 'message', ts: parent['ts'], text: 'parent', blocks: undefined },
    ]);
    const withMetadata = await history({ channel: SLACK_TEST_CHANNEL_ID, include_all_metadata: 'true' });
    expect((withMetadata.body['messages'] as unknown[])[0]).toMatchObject({ ts: parent['ts'], metadata });
  });

  it('refuses malformed metadata with invalid_metadata_format', async () => {
    expect(
      await call('chat.postMessage', { channel: '#alerts', text: 'x', metadata: { event_payload: {} } }),
    ).toEqual({
      ok: false,
      error: 'invalid_metadata_format',
    });
    expect(slack.messages).toHaveLength(0);
  });

  it('pages newest first with a cursor, after oldest (exclusive)', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i++)
      ts.push((await call('chat.postMessage', { channel: '#alerts', text: `m${i}` }))['ts'] as string);
    const first = await history({ channel: SLACK_TEST_CHANNEL_ID, oldest: ts[0]!, limit: '2' });
    expect((first.body['messages'] as { ts: string }[]).map((m) => m.ts)).toEqual([ts[4], ts[3]]);
    expect(first.body['has_more']).toBe(true);
    const cursor = (first.body['response_metadata'] as { next_cursor: string }).next_cursor;
    const second = await history({ channel: SLACK_TEST_CHANNEL_ID, oldest: ts[0]!, limit: '2', cursor });
    expect((second.body['messages'] as { ts: string }[]).map((m) => m.ts)).toEqual([ts[2], ts[1]]);
    expect(second.body['has_more']).toBe(false);
  });

  it.each([
    ['a channel name instead of its id', { channel: '#alerts' }, 'channel_not_found'],
    ['a bad oldest', { channel: SLACK_TEST_CHANNEL_ID, oldest: 'yesterday' }, 'invalid_ts_oldest'],
    ['a bad cursor', { channel: SLACK_TEST_CHANNEL_ID, cursor: 'bm9wZQ==' }, 'invalid_cursor'],
  ])('refuses conversations.history with %s', async (_name, query, error) => {
    expect((await history(query)).body).toEqual({ ok: false, error });
  });

  it('injects not_in_channel, missing_scope and ratelimited (429 + Retry-After) through the behaviour', async () => {
    for (const error of ['not_in_channel', 'missing_scope']) {
      slack.setBehaviour(() => ({ kind: 'slackError', error }));
      expect((await history({ channel: SLACK_TEST_CHANNEL_ID })).body).toEqual({ ok: false, error });
    }
    slack.setBehaviour(() => ({ kind: 'status', status: 429, retryAfterSeconds: 30 }));
    const limited = await history({ channel: SLACK_TEST_CHANNEL_ID });
    expect(limited).toEqual({ status: 429, retryAfter: '30', body: { ok: false, error: 'ratelimited' } });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSuppressionCheck } from '@firstseen/core';
import { observed } from '@firstseen/test-support';
import { loadSuppressionsFile, parseSuppressions } from '../../src/suppressionsFile';

describe('suppressions files (replay --suppressions)', () => {
  it('loads a file whose suppressions the check applies by event time', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'supp-')), 's.json');
    writeFileSync(
      path,
      JSON.stringify([
        {
          principal: 'role/deploy',
          action: 'iam.amazonaws.com:CreateRole',
          expiresAt: '2025-07-01T00:00:00Z',
        },
      ]),
    );
    const check = createSuppressionCheck({ store: await loadSuppressionsFile(path), at: 'event', ttlMs: 0 });
    expect(
      await check(observed({ id: 'a', time: Date.parse('2025-06-30T00:00:00Z') }), { sensitive: false }),
    ).toMatchObject({ principal: 'role/deploy' });
    expect(
      await check(observed({ id: 'b', time: Date.parse('2025-07-02T00:00:00Z') }), { sensitive: false }),
    ).toBeUndefined();
    expect(
      await check(observed({ id: 'c', eventName: 'DeleteRole', time: Date.parse('2025-06-30T00:00:00Z') }), {
        sensitive: false,
      }),
    ).toBeUndefined();
  });

  it('names the offending entry of an invalid file', () => {
    expect(() => parseSuppressions([{ principal: 'role/x', expiresAt: 'soon' }], 'f.json')).toThrow(
      /f\.json: 0\.expiresAt/,
    );
  });
});

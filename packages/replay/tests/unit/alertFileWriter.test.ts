import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '@firstseen/core';
import { AlertFileWriter } from '../../src/AlertFileWriter';

describe('AlertFileWriter (--out)', () => {
  it('writes a hostile resource as one well-formed JSON line that reads back unchanged', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fs-out-')), 'alerts.ndjson');
    const resource = 's3:evil\n{"alertId":"forged"}\u001b[2J\u2028\ud800';
    const alert: Alert = {
      alertId: 'e1',
      eventId: 'e1',
      eventTime: '2024-05-14T09:21:07Z',
      principal: 'role/ci',
      account: '111122223333',
      region: 'eu-west-1',
      action: 's3.amazonaws.com:GetObject',
      levels: ['resource'],
      severity: 'low',
      identityType: 'AssumedRole',
      resource,
      source: 'live',
      context: {},
    };
    const w = new AlertFileWriter(path);
    w.open();
    w.write(alert);
    w.close();
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(text).not.toMatch(/[\u001b\ud800]/);
    expect(JSON.parse(lines[0]!).resource).toBe(resource);
  });
});

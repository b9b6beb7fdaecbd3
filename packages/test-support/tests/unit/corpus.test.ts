import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allCorpusLines, corpusFiles, corpusObjects, corpusRecord, findChromium } from '../../src';

describe('the corpus', () => {
  it('lives inside the repository with its sources and every file SOURCES.md names', () => {
    const sources = require('node:fs').readFileSync(
      path.resolve(__dirname, '../../data/cloudtrail/SOURCES.md'),
      'utf8',
    ) as string;
    expect(corpusFiles().length).toBeGreaterThanOrEqual(7);
    for (const f of corpusFiles()) expect(sources).toContain(f);
  });

  it('holds the 1,068 real records and envelopes', () => {
    expect(allCorpusLines()).toHaveLength(1068);
    expect(corpusObjects().length).toBeGreaterThan(1000);
  });

  it('unwraps an envelope to its CloudTrail record', () => {
    const record = corpusRecord('awsdocs-examples-eventbridge.ndjson', 1);
    expect(typeof record.eventName).toBe('string');
  });
});

describe('findChromium()', () => {
  it('finds an executable by any of its names on PATH, and nothing on an empty PATH', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'chromium-'));
    const exe = path.join(dir, 'chromium-browser');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    expect(findChromium(dir)).toBe(exe);
    expect(findChromium('')).toBeUndefined();
  });
});

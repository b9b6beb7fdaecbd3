import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPLAY_NODE_FLAGS } from '../../src';

describe('REPLAY_NODE_FLAGS', () => {
  it('are the flags the root package.json gives `npm run replay`', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['replay']).toBe(`tsx ${REPLAY_NODE_FLAGS.join(' ')} scripts/src/replay.ts`);
  });

  it('are accepted by this Node.js (an unknown flag stops node before the replay starts)', () => {
    const run = spawnSync(process.execPath, [...REPLAY_NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const bad = spawnSync(process.execPath, ['--no-such-v8-flag-here', '-e', '0'], { encoding: 'utf8' });
    expect(bad.stderr).toContain('bad option');
  });
});

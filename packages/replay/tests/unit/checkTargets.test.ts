import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkWritablePath, TargetAccessError } from '../../src';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-targets-'));
});
afterAll(() => {
  chmodSync(join(dir, 'locked'), 0o700);
  rmSync(dir, { recursive: true, force: true });
});

describe('checkWritablePath()', () => {
  it('accepts a new file in a writable folder and an existing writable file, creating nothing', async () => {
    await expect(checkWritablePath('report', join(dir, 'new.html'))).resolves.toBeUndefined();
    writeFileSync(join(dir, 'old.html'), 'x');
    await expect(checkWritablePath('report', join(dir, 'old.html'))).resolves.toBeUndefined();
  });

  it('refuses a missing folder, a directory and a read-only folder, naming the option', async () => {
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o500);
    const cases: [string, string][] = [
      [join(dir, 'missing', 'r.html'), 'ENOENT'],
      [dir, 'it is a directory'],
    ];
    // root ignores permission bits.
    if (process.getuid?.() !== 0) cases.push([join(dir, 'locked', 'r.html'), 'EACCES']);
    for (const [path, why] of cases) {
      const checking = checkWritablePath('report', path);
      await expect(checking).rejects.toThrow(TargetAccessError);
      await expect(checkWritablePath('report', path)).rejects.toThrow(
        `--report ${path} cannot be written (${why})`,
      );
    }
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildHandlers, findHandlers } from '../../src/buildHandlers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'handlers');

let outRoot: string;
beforeAll(() => {
  outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-bundles-'));
});
afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

describe('findHandlers()', () => {
  it('lists only folders with a src/index.ts entry point', () => {
    expect(findHandlers(FIXTURES)).toEqual(['hello']);
  });
});

describe('buildHandlers()', () => {
  it('bundles a handler and its workspace dependencies into one CommonJS file with a source map', async () => {
    const [bundle] = await buildHandlers({ handlersDir: FIXTURES, outRoot });
    expect(bundle?.name).toBe('hello');
    expect(fs.existsSync(`${bundle!.outfile}.map`)).toBe(true);
    const code = fs.readFileSync(bundle!.outfile, 'utf8');
    expect(code).not.toMatch(/require\("(@firstseen|zod)/);
    const mod = require(bundle!.outfile) as { handler: (e: { name?: string }) => Promise<unknown> };
    await expect(mod.handler({ name: 'lambda' })).resolves.toEqual({ hello: 'lambda', windowDays: 30 });
  });

  it('refuses a handler name without an entry point', async () => {
    await expect(buildHandlers({ handlersDir: FIXTURES, only: ['no-entry'], outRoot })).rejects.toThrow(
      /no-entry/,
    );
  });
});

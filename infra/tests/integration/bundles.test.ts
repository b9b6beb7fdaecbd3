import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildHandlers } from '../../../scripts/src/build';
import { FUNCTION_NAMES } from '../../src/constants';

// Builds the real handlers (esbuild, seconds of CPU): what `npm run build` ships to Lambda.
const HANDLERS = path.join(__dirname, '..', '..', '..', 'handlers');
const DEPLOYED = [...FUNCTION_NAMES];

let outRoot: string;
beforeAll(() => {
  outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-bundles-'));
});
afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

describe('npm run build', () => {
  it('builds every deployed handler into a bundle that loads on its own and exports `handler`', async () => {
    const bundles = await buildHandlers({ handlersDir: HANDLERS, only: DEPLOYED, outRoot });
    expect(bundles.map((b) => b.name)).toEqual(DEPLOYED);
    const config = path.join(outRoot, 'config.json');
    fs.writeFileSync(config, '{}');
    for (const b of bundles) {
      // The AWS SDK is bundled too; the only require left is the SDK's optional CRT signer.
      const sdkRequires = fs.readFileSync(b.outfile, 'utf8').match(/require\("@aws-sdk\/[^"]+"\)/g) ?? [];
      expect(new Set(sdkRequires)).toEqual(
        new Set(sdkRequires.length ? ['require("@aws-sdk/signature-v4-crt")'] : []),
      );
      // A separate process with only the bundle: nothing may come from this repo's node_modules.
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-task-')), 'index.js');
      fs.copyFileSync(b.outfile, copy);
      const out = execFileSync(
        process.execPath,
        ['-e', 'process.stdout.write(typeof require(process.argv[1]).handler)', copy],
        {
          env: {
            PATH: process.env['PATH'],
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            FIRSTSEEN_BASELINE_TABLE: 'firstseen-baseline',
            FIRSTSEEN_ALERTS_TABLE: 'firstseen-alerts',
            FIRSTSEEN_QUARANTINE_BUCKET: 'firstseen-quarantine',
            FIRSTSEEN_CONFIG_PATH: config,
            NODE_NO_WARNINGS: '1',
          },
          cwd: path.dirname(copy),
          encoding: 'utf8',
        },
      );
      expect({ name: b.name, handler: out }).toEqual({ name: b.name, handler: 'function' });
    }
  });
});

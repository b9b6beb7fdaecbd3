import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FUNCTION_NAMES } from '../../src/constants';

/** A handlers/ folder with a stand-in bundle per function, so the program can package them. */
export function fakeHandlersDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firstseen-handlers-'));
  for (const name of FUNCTION_NAMES) {
    fs.mkdirSync(path.join(dir, name, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, name, 'dist', 'index.js'), 'exports.handler = async () => ({});\n');
  }
  return dir;
}

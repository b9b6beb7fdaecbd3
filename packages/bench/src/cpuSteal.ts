/**
 * The CPU time the hypervisor gave to other machines (Linux's `steal` in /proc/stat): on a
 * shared virtual machine the others' load decides timed figures, and this says by how much.
 */
import { readFileSync } from 'node:fs';

export interface CpuTicks {
  steal: number;
  /** All ticks of all CPUs: user, nice, system, idle, iowait, irq, softirq, steal. */
  total: number;
}

/** The machine's CPU ticks so far; undefined where /proc/stat is not Linux's. */
export function readCpuTicks(stat = (): string => readFileSync('/proc/stat', 'utf8')): CpuTicks | undefined {
  let text: string;
  try {
    text = stat();
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields === undefined || fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  return { steal: fields[7]!, total: fields.reduce((a, b) => a + b, 0) };
}

/** The share of all CPUs' time the hypervisor took between two readings (0 to 1, two decimals). */
export function stolenShare(before: CpuTicks | undefined, after: CpuTicks | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined;
  return Math.round(((after.steal - before.steal) / (after.total - before.total)) * 100) / 100;
}

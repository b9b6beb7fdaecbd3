import type { Rhythm } from './types';

/** Hours in a week; hour 0 is Monday 00:00. */
export const HOURS_PER_WEEK = 168;

/** Hour of the week (Monday 00:00 = 0) of an epoch second, shifted by a UTC offset in hours. */
export function hourOfWeek(sec: number, utcOffsetHours = 0): number {
  const hours = Math.floor(sec / 3600) + utcOffsetHours;
  // 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of its week.
  return (((hours + 72) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

function raw(rhythm: Rhythm, how: number): number {
  const day = Math.floor(how / 24);
  const hour = how % 24;
  const weekend = day >= 5;
  switch (rhythm) {
    case 'service':
      // Steady, with a gentle daily swell from customer traffic.
      return (1 + 0.3 * Math.sin(((hour - 8) / 24) * 2 * Math.PI)) * (weekend ? 0.85 : 1);
    case 'batch':
      return hour >= 1 && hour < 4 ? 5 : 0.4;
    case 'human':
      if (weekend) return 0.03;
      if (hour >= 9 && hour < 17) return hour === 12 ? 0.6 : 1;
      if (hour === 8 || hour === 17) return 0.5;
      if (hour >= 18 && hour < 22) return 0.08;
      return 0.01;
    case 'rare':
      return !weekend && hour >= 9 && hour < 18 ? 1 : 0.1;
    default:
      return 1;
  }
}

const PROFILES = new Map<Rhythm, Float64Array>();

/** The rhythm's activity multiplier for each hour of the week, averaging 1 over the week. */
export function weeklyProfile(rhythm: Rhythm): Float64Array {
  let p = PROFILES.get(rhythm);
  if (!p) {
    p = new Float64Array(HOURS_PER_WEEK);
    let sum = 0;
    for (let h = 0; h < HOURS_PER_WEEK; h++) {
      p[h] = raw(rhythm, h);
      sum += p[h]!;
    }
    for (let h = 0; h < HOURS_PER_WEEK; h++) p[h] = (p[h]! * HOURS_PER_WEEK) / sum;
    PROFILES.set(rhythm, p);
  }
  return p;
}

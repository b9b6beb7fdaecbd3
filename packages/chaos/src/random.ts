// One mulberry32 for every fault decision of a run (the receivers' own), so a seed replays it.
export { seededRandom } from '@firstseen/notify/tests/helpers/receivers';

/** An integer in [min, max], both included. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

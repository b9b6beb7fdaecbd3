import { Prng } from '@firstseen/generator';

/** The run's one PRNG for every fault decision (the generator's sfc32, its own stream), so a seed replays it. */
export function seededRandom(seed: number): () => number {
  const prng = new Prng(seed, 'chaos');
  return () => prng.next();
}

/** An integer in [min, max], both included. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

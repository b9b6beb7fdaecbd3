import { InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import fc from 'fast-check';
import { runReplay, seedSink } from '../../src';
import { generateHistory, memorySource } from '../helpers/generatedOrg';

/** The files as an object source in memory (gzipped CloudTrail files, as S3 holds them). */
// docs/semantics.md "Sharded seed", end to end through replay's seed mode: the history's objects
// split into any number of parts, seeded one part after another in any order into one baseline
// (InMemoryBaselineStore.seedKey has the DynamoDB store's merge), leave exactly the baseline of
// one seed of all the objects. This is what lets seed workers each take a share of the objects.
describe('replay seed in parts', () => {
  const config = parseConfig({ burnInDays: 7 });
  const { history } = generateHistory();

  it('leaves the baseline of one seed of the whole history, whatever the split and order', async () => {
    const whole = new InMemoryBaselineStore();
    await runReplay({ config }, { source: memorySource(history), sink: seedSink({ config, target: whole }) });
    const expectedKeys = new Map(whole.entries());
    const expectedSightings = new Map(whole.sightingEntries());
    expect(expectedKeys.size).toBeGreaterThan(500);

    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 2, max: 4 })
          .chain((parts) =>
            fc.tuple(
              fc.array(fc.nat(parts - 1), { minLength: history.length, maxLength: history.length }),
              fc.shuffledSubarray([...Array(parts).keys()], { minLength: parts, maxLength: parts }),
            ),
          ),
        async ([partOf, order]) => {
          const target = new InMemoryBaselineStore();
          for (const part of order) {
            const files = history.filter((_, i) => partOf[i] === part);
            await runReplay({ config }, { source: memorySource(files), sink: seedSink({ config, target }) });
          }
          expect(new Map(target.entries())).toEqual(expectedKeys);
          expect(new Map(target.sightingEntries())).toEqual(expectedSightings);
        },
      ),
      { numRuns: 4 },
    );
  }, 120_000);
});

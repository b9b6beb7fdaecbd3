import type { CasResult, ClaimRequest, ClaimResult } from './BaselineStore';
import { InMemoryBaselineStore } from './InMemoryBaselineStore';
import type { KeyState, LevelKey } from './types';

/**
 * The in-memory baseline a seed computes (replay `seed`): every sighting the engine claims is
 * merged with `seedKey`, so each key holds exactly docs/semantics.md "Sharded seed"'s state of
 * the sightings seen (lastSeen the latest, firstEventId the earliest by eventTime then eventID,
 * firstSuccessEventId the earliest success), whatever order they came in. Two seeds of
 * different parts of the history therefore merge into what one seed of all of it computes.
 * Window returns and refreshes change nothing here (claim already moved lastSeen; a seed never
 * alerts).
 */
export class SeedBaselineStore extends InMemoryBaselineStore {
  override async claim(req: ClaimRequest): Promise<ClaimResult> {
    const before = await this.getKey(req.key, req.time);
    const sighting: KeyState = {
      lastSeen: req.time,
      firstEventId: req.eventId,
      firstTime: req.time,
      succeeded: !req.failed,
      source: 'seed',
    };
    if (!req.failed) {
      sighting.firstSuccessEventId = req.eventId;
      sighting.firstSuccessTime = req.time;
    }
    await this.seedKey(req.key, sighting, req.retentionMs);
    const after = (await this.getKey(req.key)) as KeyState;
    return before === undefined ? { claimed: true, state: after } : { claimed: false, state: before };
  }

  override async markSucceeded(key: LevelKey): Promise<CasResult> {
    return this.unchanged(key);
  }

  override async windowReturn(key: LevelKey): Promise<CasResult> {
    return this.unchanged(key);
  }

  override async refresh(key: LevelKey): Promise<CasResult> {
    return this.unchanged(key);
  }

  private async unchanged(key: LevelKey): Promise<CasResult> {
    return { applied: false, state: await this.getKey(key) };
  }
}

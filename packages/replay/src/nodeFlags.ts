/**
 * The Node.js flags `npm run replay` runs with (the root package.json's `replay` script gives
 * them to tsx, which hands them to node; a unit test keeps the two the same), and the bench's
 * replay children with them, so that it measures the replay as it runs.
 *
 * `--single-threaded-gc`: V8 collects in the thread that allocates, without helper threads
 * (parallel scavenges, concurrent marking and sweeping). A replay keeps its cores busy with its
 * own workers, so the helpers only took turns with them, and on the bench's workload
 * (`npm run bench -- --only replayScaling`, 1,008,139 records, this 2-core machine, 3 runs of
 * each, back to back) every kind of run was faster without them: simulate with 1 worker 12.2 s
 * against 12.5 s, with 2 workers 8.4 s against 9.1 s; seed with 1 worker 16.0 s against 16.4 s,
 * with 2 workers 8.5 s against 9.1 s (README "Workers").
 */
export const REPLAY_NODE_FLAGS: readonly string[] = ['--single-threaded-gc'];

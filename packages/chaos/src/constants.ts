/**
 * The mappings' pause before retry n is n times this (capped at 10 times): 10 retries span
 * about 110 s, longer than a DynamoDB Local restart on a busy 2-core machine (~45 s). Lambda's
 * own retry backoff is similar in scale; with a shorter budget the records would go to the
 * on-failure destination, and the run would report them as shard stalls and lost alerts.
 */
export const RETRY_DELAY_MS = 2_000;

/** What one coverage row says: `gap` makes `npm run coverage` exit non-zero. */
export type CoverageStatus = 'ok' | 'gap' | 'error';

export interface CoverageRow {
  /** Which check: `stackset`, `regions`, `expected-pairs`, `management-account`, `stream-consumer`, `dead-letters`, `failed-batches`. */
  check: string;
  /** What was checked, e.g. `111122223333/eu-west-1` or a queue name. */
  target: string;
  status: CoverageStatus;
  detail: string;
}

export interface CoverageReport {
  /** True when no row is a gap or an error. */
  ok: boolean;
  rows: CoverageRow[];
}

/** The deployed names the check reads (from `pulumi stack output --json` or flags). */
export interface CoverageTargets {
  stackSetName: string;
  callAs: 'DELEGATED_ADMIN' | 'SELF';
  /** The forwarded regions; default: the regions of the StackSet's instances. */
  regions?: string[];
  baselineTable: string;
  detectorFunctionName: string;
  ruleDeadLetterQueueUrl: string;
  failureBucket: string;
  /** An expected pair silent longer than this is a gap. Default 60 minutes. */
  silenceMs: number;
  /** A detector IteratorAge above this (the alarm's threshold) is a gap. Default 5 minutes. */
  iteratorAgeLimitMs: number;
  /** Rows listed per kind of pair gap before the rest is summarised. Default 20. */
  maxRowsPerKind: number;
}

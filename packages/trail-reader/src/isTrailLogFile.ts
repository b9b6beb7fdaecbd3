import { isSkippedKey, parseObjectKey } from '@firstseen/replay';

/**
 * True for a CloudTrail log file: `AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/<name>.json.gz`.
 * Digest files (`CloudTrail-Digest/`), Insight files (`CloudTrail-Insight/`) and any other object
 * in the bucket are not.
 */
export function isTrailLogFile(key: string): boolean {
  return key.endsWith('.json.gz') && !isSkippedKey(key) && parseObjectKey(key).account !== undefined;
}

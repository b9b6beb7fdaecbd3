import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Config } from '@firstseen/core';
import {
  type CreateDetectorOptions,
  createDetector,
  type Detector,
  type DetectorEnvironment,
} from '@firstseen/detector';
import { S3TrailFileQuarantine } from './S3TrailFileQuarantine';
import type { TrailReaderDeps } from './types';

export interface TrailReader {
  deps: TrailReaderDeps;
  detector: Detector;
}

/**
 * The trail reader's collaborators around a detector (same tables, outbox, quarantine bucket,
 * metrics): GetObject on the trail bucket with the detector's S3 client, and bad files kept in
 * its quarantine bucket.
 */
export function trailReaderDeps(detector: Detector, quarantineBucket: string): TrailReaderDeps {
  const { s3 } = detector;
  return {
    detector: detector.deps,
    files: new S3TrailFileQuarantine({ client: s3, bucket: quarantineBucket }),
    readObject: async ({ bucket, key }) => {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!got.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return got.Body.transformToByteArray();
    },
  };
}

/** Builds the trail reader from the detector's environment: createDetector, then trailReaderDeps. */
export function createTrailReader(
  environment: DetectorEnvironment & { config: Config },
  options: CreateDetectorOptions = {},
): TrailReader {
  const detector = createDetector(environment, options);
  return { detector, deps: trailReaderDeps(detector, environment.quarantineBucket) };
}

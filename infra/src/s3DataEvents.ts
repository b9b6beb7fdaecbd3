import { z } from 'zod';

/**
 * The most buckets `firstseen:s3DataEvents` may name: CloudTrail allows 500 values across all
 * the advanced event selectors of one trail, and the organization trail has its own selectors.
 */
export const MAX_S3_DATA_EVENT_BUCKETS = 100;

/** `firstseen:s3DataEvents`: the buckets whose S3 data events the organization trail should log. */
export const S3DataEventsSchema = z
  .object({
    buckets: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'))
      .min(1)
      .max(MAX_S3_DATA_EVENT_BUCKETS)
      .refine((b) => new Set(b).size === b.length, 'names a bucket twice'),
  })
  .strict();
export type S3DataEventsSettings = z.output<typeof S3DataEventsSchema>;

/** One advanced event selector, as CloudTrail's PutEventSelectors and CloudFormation take it. */
export interface AdvancedEventSelector {
  Name: string;
  FieldSelectors: { Field: string; Equals?: string[]; StartsWith?: string[] }[];
}

/**
 * The advanced event selectors that make the organization trail log, besides every management
 * event (kept: PutEventSelectors replaces all of a trail's selectors), the S3 data events
 * (object-level calls: GetObject, PutObject, ...) of the chosen buckets, for the opt-in
 * `resource` level (docs/semantics.md "Levels and keys"). Logged data events reach firstseen
 * through either feed: the member accounts' EventBridge (detail-type "AWS API Call via
 * CloudTrail", forwarded like management events) and the trail's log files.
 */
export function s3DataEventSelectors(
  settings: S3DataEventsSettings,
  partition = 'aws',
): AdvancedEventSelector[] {
  return [
    {
      Name: 'Management events',
      FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
    },
    {
      Name: 'S3 data events of the buckets firstseen watches',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        // The object ARN starts with the bucket's ARN and a slash: every object of the bucket.
        { Field: 'resources.ARN', StartsWith: settings.buckets.map((b) => `arn:${partition}:s3:::${b}/`) },
      ],
    },
  ];
}

/**
 * The AWS CLI command that applies the selectors to the organization trail, run in the account
 * that owns it (the management account, or CloudTrail's delegated administrator).
 */
export function s3DataEventsCommand(trailArnOrName = '<organization-trail-arn>'): string {
  return `aws cloudtrail put-event-selectors --trail-name ${trailArnOrName} --advanced-event-selectors file://selectors.json`;
}

/** AWS region names: two letters, words, a number (us-east-1, us-gov-west-1, eu-central-2). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The CloudTrail console link for an event. The region comes from the event, so it is used
 * only when it looks like a real region (else us-east-1, whose console finds any event id
 * in its own region only, but never points elsewhere); the event id is URL-encoded, so it
 * cannot break out of the URL or the Slack `<url|text>` link syntax.
 */
export function cloudTrailEventUrl(region: string, eventId: string): string {
  const r = REGION.test(region) ? region : 'us-east-1';
  return `https://${r}.console.aws.amazon.com/cloudtrail/home?region=${r}#/events/${encodeURIComponent(eventId)}`;
}

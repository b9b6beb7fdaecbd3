/** AWS region names: two letters, words, a number (us-east-1, us-gov-west-1, eu-central-2). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Longest event id the console link carries (CloudTrail's own ids are 36-character UUIDs). */
export const CONSOLE_LINK_MAX_EVENT_ID = 128;

/**
 * The CloudTrail console link for an event. The region comes from the event, so it is used
 * only when it looks like a real region (else us-east-1, whose console finds any event id
 * in its own region only, but never points elsewhere). The event id is URL-encoded, so it
 * cannot break out of the URL or the Slack `<url|text>` link syntax, and it is carried only
 * when it is at most 128 characters and well-formed: a longer one would blow Slack's section
 * limit once encoded, and a lone surrogate makes `encodeURIComponent` throw. Otherwise the
 * link opens the region's event history, where the id shown beside the link finds the event.
 */
export function cloudTrailEventUrl(region: string, eventId: string): string {
  const r = REGION.test(region) ? region : 'us-east-1';
  const base = `https://${r}.console.aws.amazon.com/cloudtrail/home?region=${r}#/events`;
  if (eventId === '' || eventId.length > CONSOLE_LINK_MAX_EVENT_ID || !eventId.isWellFormed()) return base;
  return `${base}/${encodeURIComponent(eventId)}`;
}

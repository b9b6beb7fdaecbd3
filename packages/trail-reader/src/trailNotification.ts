/** One S3 object named by a notification. */
export interface TrailObject {
  bucket: string;
  key: string;
}

export type NotificationOutcome = { ok: true; objects: TrailObject[] } | { ok: false; detail: string };

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** S3 event notifications URL-encode the key, with `+` for a space. */
function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * The objects an SQS message body names (docs/semantics.md "Second feed"). Accepted shapes:
 * - an S3 event notification sent to the queue directly: `{"Records":[{"eventSource":"aws:s3",
 *   "eventName":"ObjectCreated:...","s3":{"bucket":{"name"},"object":{"key"}}}]}` (key URL-encoded);
 * - S3's `s3:TestEvent`, sent once when a notification is configured: no objects;
 * - either of the above, or CloudTrail's own notification `{"s3Bucket","s3ObjectKey":[...]}`,
 *   inside an SNS envelope (`{"Type":"Notification","Message":"<json>"}`, raw delivery off).
 * Anything else is `ok: false` with a one-line detail.
 */
export function objectsOfMessage(body: string): NotificationOutcome {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, detail: `message body is not JSON (${body.length} characters)` };
  }
  return objectsOf(value, true);
}

function objectsOf(value: unknown, mayBeSns: boolean): NotificationOutcome {
  const o = asObject(value);
  if (o === undefined) return { ok: false, detail: 'message body is not a JSON object' };
  if (mayBeSns && o.Type === 'Notification' && typeof o.Message === 'string') {
    let inner: unknown;
    try {
      inner = JSON.parse(o.Message);
    } catch {
      return { ok: false, detail: 'SNS Message is not JSON' };
    }
    return objectsOf(inner, false);
  }
  if (o.Event === 's3:TestEvent') return { ok: true, objects: [] };
  if (typeof o.s3Bucket === 'string' && Array.isArray(o.s3ObjectKey)) {
    const keys = o.s3ObjectKey.filter((k): k is string => typeof k === 'string' && k !== '');
    if (keys.length !== o.s3ObjectKey.length) return { ok: false, detail: 's3ObjectKey holds a non-string' };
    return { ok: true, objects: keys.map((key) => ({ bucket: o.s3Bucket as string, key })) };
  }
  if (Array.isArray(o.Records)) {
    const objects: TrailObject[] = [];
    for (const [i, r] of o.Records.entries()) {
      const rec = asObject(r);
      if (rec?.eventSource !== 'aws:s3') return { ok: false, detail: `Records[${i}] is not an S3 event` };
      if (typeof rec.eventName !== 'string' || !rec.eventName.startsWith('ObjectCreated:')) continue;
      const s3 = asObject(rec.s3);
      const bucket = asObject(s3?.bucket)?.name;
      const key = asObject(s3?.object)?.key;
      if (typeof bucket !== 'string' || typeof key !== 'string' || key === '') {
        return { ok: false, detail: `Records[${i}] lacks s3.bucket.name or s3.object.key` };
      }
      try {
        objects.push({ bucket, key: decodeS3Key(key) });
      } catch {
        return { ok: false, detail: `Records[${i}].s3.object.key is not URL-encoded` };
      }
    }
    return { ok: true, objects };
  }
  return { ok: false, detail: 'not an S3 event notification, SNS notification or CloudTrail notification' };
}

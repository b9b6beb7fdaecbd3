import { FirstseenError } from '@firstseen/core';

/** Base class of the notify package's errors. */
export class NotifyError extends FirstseenError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotifyError';
  }
}

/**
 * One delivery attempt failed. `permanent` failures are never retried (400/403/404/410, Slack
 * `channel_not_found` and friends); transient ones are retried with backoff, after `retryAfterMs`
 * when the service said so. The message never contains a secret (URL, token, routing key).
 */
export class DeliveryError extends NotifyError {
  readonly permanent: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(
    message: string,
    details: { permanent: boolean; status?: number; retryAfterMs?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
    this.permanent = details.permanent;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** A secret named by the config could not be read at cold start. */
export class SecretError extends NotifyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretError';
  }
}

/** A destination's settings cannot work (a malformed webhook URL, a missing channel): fails the cold start. */
export class DestinationConfigError extends NotifyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DestinationConfigError';
  }
}

/** Reading or writing delivery state on the alerts table failed. */
export class DeliveryStateError extends NotifyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeliveryStateError';
  }
}

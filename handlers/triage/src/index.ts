import { createLogger, lazyRuntime } from '@firstseen/core';
import { createTriageRuntime, handleTriageRequest, readTriageEnvironment } from '@firstseen/triage';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

/**
 * Lambda entry behind a function URL with auth type NONE: Slack cannot sign AWS requests, so
 * every request is verified in code (Slack signing secret, timestamp window, the configured
 * team, app and triagers, replay key) before anything is written. Built once per cold start;
 * a failed start is built again on the next invocation.
 */
const logger = createLogger({ name: 'triage' });
const runtime = lazyRuntime(() => createTriageRuntime(readTriageEnvironment(process.env), logger));

export const handler = async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  if (event.requestContext.http.method !== 'POST') return { statusCode: 405, body: '' };
  return handleTriageRequest(
    { headers: event.headers, body: event.body ?? '', isBase64Encoded: event.isBase64Encoded },
    await runtime(),
  );
};

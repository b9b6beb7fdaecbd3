import {
  createTriageLogger,
  createTriageRuntime,
  handleTriageRequest,
  readTriageEnvironment,
  type TriageDeps,
} from '@firstseen/triage';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

/**
 * Lambda entry behind a function URL with auth type NONE: Slack cannot sign AWS requests, so
 * every request is verified in code (Slack signing secret, timestamp window, the configured
 * team, app and triagers, replay key) before anything is written. Built once per cold start; a failed start is retried.
 */
const logger = createTriageLogger();
let runtime: Promise<TriageDeps> | undefined;

function getRuntime(): Promise<TriageDeps> {
  runtime ??= createTriageRuntime(readTriageEnvironment(process.env), logger).catch((err: unknown) => {
    runtime = undefined;
    throw err;
  });
  return runtime;
}

export const handler = async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  if (event.requestContext.http.method !== 'POST') return { statusCode: 405, body: '' };
  return handleTriageRequest(
    { headers: event.headers, body: event.body ?? '', isBase64Encoded: event.isBase64Encoded },
    await getRuntime(),
  );
};

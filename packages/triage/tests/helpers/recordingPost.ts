import type { HttpResponse, PostJson } from '@firstseen/notify';

export interface RecordingPost {
  post: PostJson;
  calls: { url: string; body: unknown }[];
  /** Next answers by URL prefix (default 200/202). */
  failNext(prefix: string, status: number): void;
}

/** An in-memory PostJson that records every request (unit tests: no network). */
export function recordingPost(): RecordingPost {
  const calls: { url: string; body: unknown }[] = [];
  const failures: { prefix: string; status: number }[] = [];
  return {
    calls,
    failNext: (prefix, status) => failures.push({ prefix, status }),
    post: async (url, body): Promise<HttpResponse> => {
      calls.push({ url, body: structuredClone(body) });
      const i = failures.findIndex((f) => url.startsWith(f.prefix));
      if (i >= 0) {
        const [f] = failures.splice(i, 1);
        return { status: f!.status, body: '' };
      }
      return { status: url.includes('pagerduty') ? 202 : 200, body: 'ok' };
    },
  };
}

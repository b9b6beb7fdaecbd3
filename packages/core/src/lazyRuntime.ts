/**
 * A function's runtime (config, secrets, clients), built on first use and kept for the life of
 * the container. A build that fails is forgotten, so the next invocation builds again: one
 * failed cold start (a secret not yet readable, a config object not yet uploaded, a throttled
 * call) must not break the container until Lambda recycles it.
 */
export function lazyRuntime<T>(build: () => Promise<T>): () => Promise<T> {
  let runtime: Promise<T> | undefined;
  return () => {
    runtime ??= build().catch((err: unknown) => {
      runtime = undefined;
      throw err;
    });
    return runtime;
  };
}

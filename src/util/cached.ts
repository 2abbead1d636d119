// A value loaded on demand and kept for a while: at most one load per maxAgeMs, and callers that
// come while a load runs share it. A failed load is not kept.
export function cachedAsync<T>(
  load: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let cached: { value: T; t: number } | undefined;
  let pending: Promise<T> | undefined;
  return () => {
    if (cached && now() - cached.t < maxAgeMs) return Promise.resolve(cached.value);
    pending ??= load()
      .then((value) => {
        cached = { value, t: now() };
        return value;
      })
      .finally(() => (pending = undefined));
    return pending;
  };
}

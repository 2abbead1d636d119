// Bounded retries with exponential backoff for transient API failures (409, 429, 5xx, no
// response), honouring the server's Retry-After as client-go does; and a Cluster whose every
// call retries that way.
import type { Cluster } from './types.ts';
import { isConflict, isRetryable, toApiError } from './errors.ts';

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  /** Longest wait between two attempts, Retry-After included. */
  maxDelayMs?: number;
  /** Called before each retry (progress output, tests). */
  onRetry?: (attempt: number, error: unknown) => void;
  retryable?: (e: unknown) => boolean;
  /** Tests inject a clock. */
  sleep?: (ms: number) => Promise<void>;
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How long to wait before attempt i+1: the server's Retry-After if it said one, else jittered backoff. */
export function retryDelay(e: unknown, attempt: number, baseMs: number, maxDelayMs: number): number {
  const backoff = baseMs * 2 ** (attempt - 1) * (0.5 + Math.random());
  const after = toApiError(e).retryAfterMs;
  return Math.min(maxDelayMs, after !== undefined ? Math.max(after, baseMs) : backoff);
}

export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseMs ?? 100;
  const retryable = opts.retryable ?? isRetryable;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || !retryable(e)) throw e;
      opts.onRetry?.(i, e);
      await (opts.sleep ?? wait)(retryDelay(e, i, base, opts.maxDelayMs ?? 30_000));
    }
  }
}

/**
 * A Cluster whose every call retries transient failures. Safe because each call is idempotent
 * or guarded: reads; server-side apply; replace and merge patches carrying a resourceVersion
 * precondition (a retried conflict fails again, and callers re-read); create (a retried 409
 * AlreadyExists is the caller's); delete (404 is success).
 */
export function retrying(c: Cluster, opts: RetryOptions = {}): Cluster {
  // Conflicts on preconditioned writes are not transient: the caller must re-read.
  const writeOpts: RetryOptions = { ...opts, retryable: (e) => !isConflict(e) && (opts.retryable ?? isRetryable)(e) };
  const r =
    <A extends unknown[], T>(fn: (...a: A) => Promise<T>, o: RetryOptions = opts) =>
    (...a: A): Promise<T> =>
      withRetry(() => fn(...a), o);
  return {
    server: c.server,
    context: c.context,
    get: r(c.get.bind(c)),
    list: r(c.list.bind(c)),
    apply: r(c.apply.bind(c)),
    replace: r(c.replace.bind(c), writeOpts),
    mergePatch: r(c.mergePatch.bind(c), writeOpts),
    create: r(c.create.bind(c), writeOpts),
    delete: r(c.delete.bind(c)),
    canI: r(c.canI.bind(c)),
    version: r(c.version.bind(c)),
    apiVersions: r(c.apiVersions.bind(c)),
    logs: r(c.logs.bind(c)),
    exec: c.exec.bind(c),
  };
}

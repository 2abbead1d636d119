// Bounded retries with exponential backoff for transient API failures.
import { isRetryable } from './errors.ts';

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  /** Called before each retry (progress output, tests). */
  onRetry?: (attempt: number, error: unknown) => void;
  retryable?: (e: unknown) => boolean;
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
      await new Promise((r) => setTimeout(r, base * 2 ** (i - 1) * (0.5 + Math.random())));
    }
  }
}

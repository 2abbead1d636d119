// A Cluster whose every call retries transient failures (409, 429, 5xx, no response) with
// backoff. Safe because each call is idempotent or guarded: reads; server-side apply;
// replace and merge patches carrying a resourceVersion precondition (a retried conflict
// fails again, and callers re-read); create (a retried 409 AlreadyExists is the caller's);
// delete (404 is success).
import type { Cluster } from './types.ts';
import { withRetry } from './retry.ts';
import type { RetryOptions } from './retry.ts';
import { isConflict } from './errors.ts';

export function retrying(c: Cluster, opts: RetryOptions = {}): Cluster {
  // Conflicts on preconditioned writes are not transient: the caller must re-read.
  const writeOpts: RetryOptions = { ...opts, retryable: (e) => !isConflict(e) && (opts.retryable ?? (() => true))(e) };
  const r = <A extends unknown[], T>(fn: (...a: A) => Promise<T>, o: RetryOptions = opts) => (...a: A): Promise<T> => withRetry(() => fn(...a), o);
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
    logs: r(c.logs.bind(c)),
    exec: c.exec.bind(c),
  };
}

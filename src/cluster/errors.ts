// API errors as data: status code, reason and a message without request details.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface LooseApiException {
  code?: number;
  body?: unknown;
  message?: string;
  headers?: Record<string, string | string[] | undefined>;
}

/** The server's Retry-After (429, 503), in ms: delta-seconds or an HTTP date; undefined when absent or unusable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function headerOf(headers: LooseApiException['headers'], name: string): string | string[] | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Turns what @kubernetes/client-node throws into an ApiError (status 0 = no response). */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const x = e as LooseApiException;
  if (typeof x?.code === 'number' && x.code >= 100) {
    let body: { message?: string; reason?: string } = {};
    try {
      body = typeof x.body === 'string' ? (JSON.parse(x.body) as typeof body) : ((x.body ?? {}) as typeof body);
    } catch {
      body = { message: String(x.body).slice(0, 200) };
    }
    return new ApiError(
      x.code,
      body.message ?? `HTTP ${x.code}`,
      body.reason,
      parseRetryAfter(headerOf(x.headers, 'retry-after')),
    );
  }
  const msg = (e as Error)?.message ?? String(e);
  return new ApiError(0, msg.replace(/Bearer\s+\S+/gi, 'Bearer <redacted>'));
}

export const isNotFound = (e: unknown): boolean => toApiError(e).status === 404;
export const isConflict = (e: unknown): boolean => toApiError(e).status === 409;
/** Worth a retry: conflicts, throttling, server errors, no response. */
export const isRetryable = (e: unknown): boolean => {
  const s = toApiError(e).status;
  return s === 0 || s === 409 || s === 429 || s >= 500;
};

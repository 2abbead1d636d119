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
  return noResponse(e);
}

/** Connection-level failures: no HTTP answer. Reason Timeout or Unreachable when that is what happened. */
function noResponse(e: unknown): ApiError {
  const err = e as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string; name?: string };
  };
  const redact = (m: string): string => m.replace(/Bearer\s+\S+/gi, 'Bearer <redacted>');
  if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError') {
    return new ApiError(0, 'no answer within the request timeout (--request-timeout)', 'Timeout');
  }
  const code = err?.cause?.code ?? err?.code;
  const cause = err?.cause?.message ?? code;
  const msg =
    redact(err?.message ?? String(e)) +
    (cause !== undefined && !(err?.message ?? '').includes(cause) ? `: ${redact(cause)}` : '');
  const unreachable =
    code !== undefined &&
    [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'CERT_HAS_EXPIRED',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'SELF_SIGNED_CERT_IN_CHAIN',
    ].includes(code);
  return new ApiError(0, msg, unreachable ? 'Unreachable' : undefined);
}

export const isNotFound = (e: unknown): boolean => toApiError(e).status === 404;
export const isConflict = (e: unknown): boolean => toApiError(e).status === 409;
/** Worth a retry: conflicts, throttling, server errors, a dropped connection; not a timeout or an unreachable server (kubectl does not retry those either). */
export const isRetryable = (e: unknown): boolean => {
  const a = toApiError(e);
  if (a.status === 0) return a.reason !== 'Timeout' && a.reason !== 'Unreachable';
  return a.status === 409 || a.status === 429 || a.status >= 500;
};
/** The API server could not be reached at all (or did not answer in time). */
export const isUnreachable = (e: unknown): boolean => {
  const a = toApiError(e);
  return a.status === 0 && (a.reason === 'Unreachable' || a.reason === 'Timeout');
};

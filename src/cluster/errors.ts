// API errors as data: status code, reason and a message without request details.

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly reason?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

interface LooseApiException {
  code?: number;
  body?: unknown;
  message?: string;
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
    return new ApiError(x.code, body.message ?? `HTTP ${x.code}`, body.reason);
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

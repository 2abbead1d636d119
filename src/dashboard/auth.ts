// The dashboard's access token: 128 random bits, accepted once as ?token= (then an HttpOnly,
// SameSite=Strict cookie) or as `Authorization: Bearer`; compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'kec_dashboard';

export function newToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Constant-time comparison (of digests: equal lengths, nothing learnt from the length). */
export function tokenMatches(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

export type AuthResult = 'cookie' | 'bearer' | 'query' | 'denied';

/** How a request proved it has the token, if it did. */
export function authenticate(req: IncomingMessage, url: URL, token: string): AuthResult {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && tokenMatches(auth.slice(7).trim(), token)) return 'bearer';
  if (tokenMatches(cookieValue(req.headers.cookie, COOKIE), token)) return 'cookie';
  const q = url.searchParams.get('token');
  if (q !== null && tokenMatches(q, token)) return 'query';
  return 'denied';
}

export function sessionCookie(token: string): string {
  return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

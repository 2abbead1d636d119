// Durations as kec's flags and messages spell them: "90s", "15m", "2h", "1d" or seconds.
import { InputError } from '../errors.ts';

/** "3m12s", "2h5m", "4d" — for messages. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  if (s < 86400)
    return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) ? `${Math.floor((s % 86400) / 3600)}h` : ''}`;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest wait a Node.js timer can express (2^31-1 ms, about 24.8 days): longer ones would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses a duration as kubectl and Go spell them: "90s", "15m", "1h30m", "500ms", "1d", or a bare
 * number of seconds; undefined if invalid.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g))
    ms += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms;
}

/**
 * Parses a duration flag: InputError naming the flag when it is not a duration, is negative or
 * zero (unless allowed), or is longer than a timer can wait.
 */
export function durationFlag(flag: string, value: string, opts: { allowZero?: boolean } = {}): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InputError(`${flag} ${value}: not a duration; use e.g. 90s, 15m, 1h30m`);
  if (ms === 0 && opts.allowZero !== true) throw new InputError(`${flag} ${value}: must be longer than 0`);
  if (ms > MAX_TIMER_MS)
    throw new InputError(`${flag} ${value}: longer than ${formatAge(MAX_TIMER_MS)}, the longest wait kec can time`);
  return ms;
}

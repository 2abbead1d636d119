import { describe, expect, it } from 'vitest';
import { durationFlag, parseDuration } from './duration.ts';

describe('durations', () => {
  it('reads kubectl and Go spellings and bare seconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('45')).toBe(45_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    for (const bad of ['', 'soon', '10 m', '-5s', '1x', 'm10']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('refuses what a timer cannot wait, instead of wrapping to an immediate timeout', () => {
    expect(durationFlag('--interval', '24d')).toBe(24 * 86_400_000);
    expect(() => durationFlag('--interval', '25d')).toThrow(/--interval 25d: longer than 24d20h/);
    expect(() => durationFlag('--timeout', '0')).toThrow('--timeout 0: must be longer than 0');
    expect(durationFlag('--request-timeout', '0', { allowZero: true })).toBe(0);
    expect(() => durationFlag('--wait-timeout', 'later')).toThrow('--wait-timeout later: not a duration');
  });
});

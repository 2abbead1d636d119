import { describe, expect, it } from 'vitest';
import { cidrContainsIP, cidrsOverlap, parseCidr, parseIP } from './cidr.ts';

describe('parseCidr', () => {
  it('parses IPv4 and clears host bits', () => {
    const c = parseCidr('10.1.2.3/8')!;
    expect(c.family).toBe(4);
    expect(c.prefix).toBe(8);
    expect(c.base).toBe(10n << 24n);
  });
  it('parses IPv6 with :: and embedded IPv4', () => {
    expect(parseIP('::1')?.value).toBe(1n);
    expect(parseIP('2001:db8::')?.value).toBe(0x20010db8n << 96n);
    expect(parseIP('::ffff:192.0.2.1')?.value).toBe((0xffffn << 32n) | 0xc0000201n);
  });
  it('rejects malformed input', () => {
    for (const bad of [
      '10.0.0.0',
      '10.0.0/8',
      '256.0.0.0/8',
      '10.0.0.0/33',
      '01.0.0.0/8',
      '1::2::3/64',
      'x/8',
      '::/129',
    ]) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });
});

describe('overlap and containment', () => {
  it('detects nested and disjoint ranges', () => {
    const pod = parseCidr('10.0.0.0/8')!;
    expect(cidrsOverlap(pod, parseCidr('10.96.0.0/12')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.32.0.0/11')!, parseCidr('10.96.0.0/12')!)).toBe(false);
    expect(cidrsOverlap(pod, parseCidr('2001:db8::/32')!)).toBe(false);
    expect(cidrContainsIP(parseCidr('10.96.0.0/12')!, parseIP('10.96.0.10')!)).toBe(true);
    expect(cidrContainsIP(parseCidr('10.96.0.0/12')!, parseIP('10.112.0.1')!)).toBe(false);
  });
});

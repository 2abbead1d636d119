import { describe, expect, it } from 'vitest';
import { valuesCompatibility } from './values-compat.ts';

describe('valuesCompatibility', () => {
  it('flags values the target chart no longer has, with a likely replacement', () => {
    const deployed = {
      kubeProxyReplacement: 'true',
      encryption: { enabled: true, type: 'ipsec', ipsec: { encryptedOverlay: true } },
      hubble: { relay: { enabled: true } },
      nodeSelector: { 'example.com/pool': 'a' },
    };
    const r = valuesCompatibility(deployed, '1.19.6', '1.20.0');
    expect(r.unchecked).toBe(false);
    expect(r.removed.map((x) => x.key)).toEqual(['encryption.ipsec.encryptedOverlay']);
  });

  it('finds nothing when upgrading within keys both charts have', () => {
    expect(
      valuesCompatibility({ hubble: { enabled: true }, routingMode: 'tunnel' }, '1.18.12', '1.19.6').removed,
    ).toEqual([]);
  });

  it('suggests the new home of a moved key', () => {
    // hostPort.enabled exists in 1.17 and is gone in 1.18
    const r = valuesCompatibility({ hostPort: { enabled: true } }, '1.17.18', '1.18.12');
    expect(r.removed[0]?.key).toBe('hostPort');
  });

  it('says when it cannot judge a version it has no chart for', () => {
    expect(valuesCompatibility({ a: 1 }, '1.20.0', '1.21.0').unchecked).toBe(true);
  });
});

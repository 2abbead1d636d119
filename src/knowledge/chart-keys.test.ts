import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, upstream } from '../../test/paths.ts';
import { checkKeyPath, chartVersionFor, keyKind, keyPathsOf } from './chart-keys.ts';
import { CILIUM_CHART_VERSIONS } from './cilium.ts';

describe('generated chart key table', () => {
  it('is up to date with ../shared/upstream (node scripts/gen-chart-keys.ts regenerates it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kec-keys-'));
    const out = join(dir, 'chart-keys.json');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-chart-keys.ts'), upstream('cilium-chart'), out], {
      stdio: 'pipe',
    });
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(ROOT, 'src', 'knowledge', 'generated', 'chart-keys.json'), 'utf8'),
    );
  });

  it('covers every chart version kec supports', () => {
    for (const v of CILIUM_CHART_VERSIONS) expect(chartVersionFor(v.split('.').slice(0, 2).join('.'))).toBe(v);
  });

  it('knows commented-out keys, open values and version differences', () => {
    expect(keyKind('1.16.19', 'kubeProxyReplacement')).toBe('c');
    expect(keyKind('1.18.12', 'kubeProxyReplacement')).toBe('v');
    expect(checkKeyPath('1.18.12', 'nodeSelector.example/label')).toEqual({ ok: true, via: 'nodeSelector' });
    expect(checkKeyPath('1.20.0', 'encryption.ipsec.encryptedOverlay')).toMatchObject({
      ok: false,
      unknown: 'encryption.ipsec.encryptedOverlay',
    });
    expect(checkKeyPath('1.18.12', 'hubble.relya.enabled')).toMatchObject({
      ok: false,
      unknown: 'hubble.relya',
      nearest: 'hubble.relay',
    });
  });

  it('lists leaf paths of a values document', () => {
    expect(keyPathsOf({ a: { b: 1, c: [1] }, d: {} })).toEqual(['a.b', 'a.c', 'd']);
  });
});

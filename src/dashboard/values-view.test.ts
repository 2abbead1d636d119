import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helmCli } from '../cluster/install/helm.ts';
import { cachedHelmValues, valuesDiffView } from './values-view.ts';

const RELEASE = { name: 'cilium', namespace: 'kube-system' };
const AT = '2026-11-28T01:00:00.000Z';
const TLS_KEY =
  'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktjd2dnU2pBZ0VBQW9JQkFRQw==';

describe('valuesDiffView', () => {
  it('says matches with no diff when the release has the planned values', () => {
    const v = { ipam: { mode: 'kubernetes' }, routingMode: 'tunnel' };
    expect(
      valuesDiffView(v, RELEASE, { deployed: true, values: structuredClone(v), chartVersion: '1.18.12' }, AT),
    ).toEqual({
      release: 'cilium',
      namespace: 'kube-system',
      status: 'matches',
      chartVersion: '1.18.12',
      diff: '',
      at: AT,
    });
  });

  it('shows what differs, deployed to planned, with keys and certificates redacted', () => {
    const view = valuesDiffView(
      { routingMode: 'tunnel', mtu: 1400 },
      RELEASE,
      {
        deployed: true,
        values: { routingMode: 'native', hubble: { tls: { server: { key: TLS_KEY } } } },
        chartVersion: '1.18.12',
      },
      AT,
    );
    expect(view.status).toBe('differs');
    expect(view.diff).toContain('--- deployed values (kube-system/cilium)');
    expect(view.diff).toContain('+++ planned values');
    expect(view.diff).toMatch(/^-routingMode: native$/m);
    expect(view.diff).toMatch(/^\+routingMode: tunnel$/m);
    expect(view.diff).toMatch(/^\+mtu: 1400$/m);
    expect(view.diff).toContain('<redacted>');
    expect(view.diff).not.toContain(TLS_KEY);
  });

  it('says not deployed, or unavailable with the reason', () => {
    expect(valuesDiffView({}, RELEASE, { deployed: false }, AT)).toMatchObject({ status: 'not deployed', diff: '' });
    expect(valuesDiffView({}, RELEASE, { error: 'helm not found at "nohelm"' }, AT)).toMatchObject({
      status: 'unavailable',
      reason: 'helm not found at "nohelm"',
    });
  });
});

describe('cachedHelmValues with a helm on disk', () => {
  /** A helm that answers `list` and `get values` as Helm 3 does, and logs each call. */
  function fakeHelm(release: boolean): { bin: string; calls: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'kec-dash-helm-'));
    const log = join(dir, 'calls');
    writeFileSync(log, '');
    const bin = join(dir, 'helm');
    const list = release ? '[{"name":"cilium","revision":"3","status":"deployed","chart":"cilium-1.18.12"}]' : '[]';
    writeFileSync(
      bin,
      [
        '#!/bin/sh',
        `echo "$*" >> '${log}'`,
        'case "$1" in',
        `  list) echo '${list}' ;;`,
        `  get) echo '{"routingMode":"native"}' ;;`,
        '  *) echo "unexpected: $*" >&2; exit 1 ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(bin, 0o755);
    return { bin, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
  }

  it('reads the release once per max age, read-only, with the kubeconfig', async () => {
    const h = fakeHelm(true);
    let t = 0;
    const read = cachedHelmValues(helmCli({ bin: h.bin, kubeconfig: '/k/config' }), RELEASE, 30_000, () => t);
    const first = await read();
    expect(first.got).toEqual({ deployed: true, values: { routingMode: 'native' }, chartVersion: '1.18.12' });
    await read();
    expect(h.calls()).toHaveLength(2);
    t = 31_000;
    await read();
    expect(h.calls()).toHaveLength(4);
    for (const c of h.calls()) {
      expect(c).toMatch(/^(list|get values) /);
      expect(c).toContain('--kubeconfig /k/config');
    }
  });

  it('no release is "not deployed"; no helm is an error the view shows', async () => {
    const none = await cachedHelmValues(helmCli({ bin: fakeHelm(false).bin }), RELEASE, 1000)();
    expect(none.got).toEqual({ deployed: false });
    const missing = await cachedHelmValues(helmCli({ bin: '/nonexistent/helm' }), RELEASE, 1000)();
    expect(missing.got).toMatchObject({ error: expect.stringContaining('helm not found at "/nonexistent/helm"') });
  });
});

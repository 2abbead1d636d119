import { describe, expect, it } from 'vitest';
import type { Obj } from '../types.ts';
import { daemonSet, node, NOW } from '../snapshot/objects.testkit.ts';
import { ciliumNode } from '../encryption/encryption.testkit.ts';
import type { CiliumStatusSummary } from '../status/cilium-status.ts';
import { ENCRYPTION_RULES } from './encryption-rules.ts';
import { runRules } from './diagnose-rules.ts';
import { diagnoseState } from './diagnose.testkit.ts';
import type { DiagnoseState } from './state.ts';

const groups = [{ name: 'site-a', nodeSelector: { 'kec.kubeedge.io/group': 'site-a' }, source: 'spec' as const }];

function withAddress(n: Obj, ip: string): Obj {
  (n['status'] as Record<string, unknown>)['addresses'] = [{ type: 'InternalIP', address: ip }];
  return n;
}

function state(o: Partial<DiagnoseState> = {}): DiagnoseState {
  const nodes = [
    withAddress(node('cloud-1'), '10.0.0.1'),
    withAddress(node('edge-a-1', { edge: 'site-a' }), '192.168.1.10'),
  ];
  return diagnoseState(
    { groups, nodes, daemonSets: [daemonSet('cilium-edge-site-a', { group: 'site-a', args: ['--mtu=1500'] })] },
    o,
  );
}

const summary = (extra: Partial<CiliumStatusSummary>): { summary: CiliumStatusSummary } => ({
  summary: {
    health: 'ok',
    cilium: 'Ok',
    kubernetes: 'Ok',
    controllers: { total: 0, failing: 0, failingNames: [] },
    problems: [],
    ...extra,
  },
});

const run = (s: DiagnoseState) => runRules(s, ENCRYPTION_RULES);

describe('encryption diagnose rules', () => {
  it('IPsec key Secret missing is an error; not readable is "not checked"', () => {
    const ipsec = { 'enable-ipsec': 'true' };
    const missing = run(
      state({ ciliumConfig: ipsec, ipsecSecret: { name: 'cilium-ipsec-keys', present: false }, ciliumNodes: [] }),
    );
    expect(missing.findings.map((f) => [f.rule, f.severity])).toContainEqual(['ipsec-key-secret-missing', 'error']);
    const unread = run(state({ ciliumConfig: ipsec, ciliumNodes: [] }));
    expect(unread.notChecked.map((n) => n.rule)).toContain('ipsec-key-secret-missing');
  });

  it('SPI mismatch: one rotation apart is a warning, further apart an error with XFRM evidence', () => {
    const base = {
      ciliumConfig: { 'enable-ipsec': 'true' },
      ipsecSecret: { name: 'cilium-ipsec-keys', present: true, spi: 1 },
    };
    const moving = run(
      state({ ...base, ciliumNodes: [ciliumNode('cloud-1', { spi: 1 }), ciliumNode('edge-a-1', { spi: 15 })] }),
    );
    expect(moving.findings.find((f) => f.rule === 'ipsec-spi-mismatch')?.severity).toBe('warning');
    const apart = run(
      state({
        ...base,
        ciliumNodes: [ciliumNode('cloud-1', { spi: 1 }), ciliumNode('edge-a-1', { spi: 13 })],
        probes: new Map([['cilium-x', summary({ ipsec: { keysInUse: 4, errors: { XfrmInStateProtoError: 7 } } })]]),
      }),
    );
    const f = apart.findings.find((x) => x.rule === 'ipsec-spi-mismatch')!;
    expect(f.severity).toBe('error');
    expect(f.evidence).toEqual(
      expect.arrayContaining(['key 13: edge-a-1', expect.stringMatching(/XfrmInStateProtoError 7/)]),
    );
  });

  it('WireGuard: stale handshakes with a Ready edge node point at UDP 51871 at the site NAT', () => {
    const old = new Date(NOW - 20 * 60_000).toISOString();
    const fresh = new Date(NOW - 30_000).toISOString();
    const s = state({
      ciliumConfig: { 'enable-wireguard': 'true', 'wireguard-persistent-keepalive': '0s' },
      spec: { routingMode: 'tunnel', encryption: 'wireguard', kubeProxyReplacement: true, behindNat: ['site-a'] },
      probes: new Map([
        ['cilium-c', summary({ wireguardPeers: [{ endpoint: '192.168.1.10:51871', lastHandshake: old }] })],
        ['cilium-d', summary({ wireguardPeers: [{ endpoint: '10.0.0.1:51871', lastHandshake: fresh }] })],
      ]),
    });
    const f = run(s).findings.find((x) => x.rule === 'wireguard-port-blocked-at-nat')!;
    expect(f.title).toMatch(/edge group site-a/);
    expect(f.evidence.join('\n')).toMatch(/edge-a-1: cilium-c → 192.168.1.10:51871: last handshake 20 min ago/);
    expect(f.evidence).toContain('spec: group site-a is behind NAT');
    const noProbes = run(state({ ciliumConfig: { 'enable-wireguard': 'true' } }));
    expect(noProbes.notChecked.map((n) => n.rule)).toContain('wireguard-port-blocked-at-nat');
  });

  it('MTU: agents told 1500 on a 1400 path is an error', () => {
    const s = state({
      ciliumConfig: { 'enable-wireguard': 'true' },
      spec: { routingMode: 'tunnel', encryption: 'wireguard', kubeProxyReplacement: true, linkMtu: { 'site-a': 1400 } },
    });
    const f = run(s).findings.find((x) => x.rule === 'mtu-too-big-for-tunnel')!;
    expect(f.evidence[0]).toMatch(/agents use MTU 1500 .*--mtu=1500.*path MTU is 1400/);
    expect(run(state({ ciliumConfig: {} })).findings).toEqual([]);
  });
});

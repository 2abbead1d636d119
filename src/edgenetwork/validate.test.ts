import { describe, expect, it } from 'vitest';
import { validateSpec } from './validate.ts';
import { baseRaw, exampleRaw, set, valid } from '../../test/specs.ts';

const errorsOf = (raw: unknown): string[] => validateSpec(raw).errors.map((e) => `${e.path}: ${e.message}`);
const warningsOf = (raw: unknown): string[] => validateSpec(raw).warnings.map((e) => `${e.path}: ${e.message}`);

describe('schema stage', () => {
  it('accepts the base spec and fills defaults', () => {
    const n = valid(baseRaw());
    expect(n.spec.cilium.routing).toEqual({ mode: 'tunnel', protocol: 'vxlan' });
    expect(n.spec.cilium.encryption).toEqual({ type: 'none', nodeEncryption: false, wireguardKeepalive: '0s' });
    expect(n.spec.kubernetes.apiServer.port).toBe(6443);
    expect(n.spec.kubeedge.metaServer).toBe('127.0.0.1:10550');
    const g = n.spec.edgeGroups[0]!;
    expect(g.nodeSelector).toEqual({ 'kec.kubeedge.io/group': 'g1' });
    expect(g.memory).toBe(4 * 2 ** 30);
    expect(g.cpu).toBe(1000);
    expect(g.link).toEqual({ mtu: 1500, behindNAT: false, ipv6Underlay: false });
  });

  it('names the path of wrong types, unknown fields and missing fields', () => {
    const raw = baseRaw();
    set(raw, 'spec.edgeGroups.0.link.mtu', 'big');
    set(raw, 'spec.cilium.hubbel', { enabled: true });
    set(raw, 'spec.kubeedge.version', undefined);
    set(raw, 'spec.edgeGroups.0.memory', 'lots');
    expect(errorsOf(raw)).toEqual(
      expect.arrayContaining([
        'spec.edgeGroups[0].link.mtu: "big" is not an integer',
        'spec.cilium.hubbel: unknown field; did you mean "hubble"?',
        expect.stringMatching(/^spec\.kubeedge\.version: is required/),
        'spec.edgeGroups[0].memory: "lots" is not a memory quantity such as 512Mi, 4Gi or 2G',
      ]),
    );
  });

  it('tells how to quote versions that YAML reads as numbers', () => {
    expect(errorsOf(set(baseRaw(), 'spec.kubernetes.version', 1.3))).toEqual([
      'spec.kubernetes.version: 1.3 is not a string; quote it in YAML ("1.3") so that it is not read as the number 1.3',
    ]);
  });

  it('refuses documents that are not mappings', () => {
    expect(errorsOf(null)).toEqual([
      '(document): must be a mapping with apiVersion, kind and spec; got an empty document',
    ]);
    expect(errorsOf([1])).toHaveLength(1);
    expect(errorsOf(set(baseRaw(), 'kind', 'Pod'))).toEqual(['kind: "Pod" is not one of EdgeNetwork']);
  });
});

describe('removed upstream values', () => {
  it('refuses kubeProxyReplacement: strict and names the replacement', () => {
    expect(errorsOf(set(baseRaw(), 'spec.cilium.kubeProxyReplacement', 'strict'))).toEqual([
      'spec.cilium.kubeProxyReplacement: "strict" was removed in Cilium 1.16 (cilium/cilium PR #31286); use true (full kube-proxy replacement)',
    ]);
    expect(errorsOf(set(baseRaw(), 'spec.cilium.kubeProxyReplacement', 'partial'))[0]).toMatch(
      /use false and enable the individual features/,
    );
  });

  it('refuses encryption.type secure-tunnel', () => {
    expect(errorsOf(set(baseRaw(), 'spec.cilium.encryption.type', 'secure-tunnel'))).toEqual([
      'spec.cilium.encryption.type: "secure-tunnel" is not a Cilium encryption type (Cilium never had it); use one of ipsec, wireguard (ztunnel from Cilium 1.19, or none)',
    ]);
  });

  it('refuses edgecore networkPlugin keys and legacy Helm keys', () => {
    const raw = set(baseRaw(), 'spec.kubeedge.edgecore', {
      networkPlugin: { pluginName: 'cni' },
      modules: { edged: { cniConfDir: '/etc/cni/net.d' } },
    });
    set(raw, 'spec.cilium.values', { tunnel: 'vxlan' });
    expect(errorsOf(raw)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^spec\.kubeedge\.edgecore\.networkPlugin: was never an edgecore\.yaml key/),
        expect.stringMatching(
          /^spec\.kubeedge\.edgecore\.modules\.edged\.cniConfDir: was removed in KubeEdge 1\.14.*containerd/,
        ),
        expect.stringMatching(/^spec\.cilium\.values\.tunnel: .*use routingMode \(tunnel\|native\) and tunnelProtocol/),
      ]),
    );
  });

  it('checks extra Helm values against the chart of the chosen version', () => {
    const raw = set(baseRaw(), 'spec.cilium.values', {
      hubble: { relay: { replicas: 2 } },
      bpf: { mapDynamicSizeRatio: 0.005 },
      bandwithManager: { enabled: true },
      nodeSelector: { 'example.com/pool': 'a' },
    });
    expect(errorsOf(raw)).toEqual([
      'spec.cilium.values.bandwithManager: is not a value of the Cilium 1.18.12 chart: Helm would ignore it silently; did you mean "bandwidthManager"?',
    ]);
    const typo = set(baseRaw(), 'spec.cilium.values', { hubble: { realy: { enabled: true } } });
    expect(errorsOf(typo)[0]).toMatch(/did you mean "hubble\.relay"\?$/);
    // encryption.ipsec.encryptedOverlay exists up to 1.19 only
    const gone = set(set(baseRaw(), 'spec.cilium.version', '1.20.0'), 'spec.cilium.values', {
      encryption: { ipsec: { encryptedOverlay: true } },
    });
    expect(errorsOf(gone)[0]).toMatch(/exists in chart 1\.16\.19, 1\.17\.18, 1\.18\.12, 1\.19\.6/);
  });
});

describe('rules', () => {
  it('enforces supported version ranges', () => {
    expect(errorsOf(set(baseRaw(), 'spec.cilium.version', '1.15.7'))[0]).toMatch(
      /^spec\.cilium\.version: Cilium 1\.15\.7 is not supported; kec supports 1\.16, 1\.17, 1\.18, 1\.19, 1\.20/,
    );
    expect(errorsOf(set(baseRaw(), 'spec.cilium.version', '1.18'))[0]).toMatch(
      /names a minor only; give the exact release, e\.g\. "1\.18\.12"/,
    );
    expect(errorsOf(set(baseRaw(), 'spec.kubeedge.version', '1.15.2'))[0]).toMatch(/needs KubeEdge >= 1\.16/);
    expect(warningsOf(set(baseRaw(), 'spec.cilium.version', '1.18.3'))).toContain(
      'spec.cilium.version: 1.18.3 is not the latest 1.18 patch release; 1.18.12 has the fixes',
    );
  });

  it('checks kernels per Cilium minor and per feature', () => {
    const old = set(baseRaw(), 'spec.edgeGroups.0.kernel', '5.4.0-26-generic');
    expect(errorsOf(old)).toEqual([
      'spec.edgeGroups[0].kernel: 5.4.0-26-generic is older than Cilium 1.18 supports (needs >= 5.10); upgrade the kernel or choose an older Cilium',
    ]);
    expect(errorsOf(set(old, 'spec.cilium.version', '1.17.18'))).toEqual([]);
    set(old, 'spec.cilium.encryption.type', 'wireguard');
    expect(errorsOf(old)).toEqual([
      'spec.edgeGroups[0].kernel: 5.4.0-26-generic is too old for WireGuard transparent encryption (needs >= 5.6; turned on by spec.cilium.encryption.type)',
    ]);
    const netkit = set(set(baseRaw(), 'spec.edgeGroups.0.kernel', '6.6.0'), 'spec.cilium.datapathMode', 'netkit');
    expect(errorsOf(netkit)[0]).toMatch(/too old for netkit datapath devices \(needs >= 6\.8/);
    const rhel = set(
      set(baseRaw(), 'spec.cilium.version', '1.17.18'),
      'spec.edgeGroups.0.kernel',
      '4.18.0-147.5.1.el8_1.x86_64',
    );
    expect(errorsOf(rhel)).toEqual([]);
    expect(warningsOf(rhel).join()).toMatch(/RHEL 8 kernels carry the needed backports/);
    expect(errorsOf(set(baseRaw(), 'spec.edgeGroups.0.kernel', 'five'))[0]).toMatch(/is not a kernel release/);
  });

  it('refuses native routing for groups behind NAT and requires its CIDR', () => {
    const raw = set(set(baseRaw(), 'spec.cilium.routing.mode', 'native'), 'spec.edgeGroups.0.link.behindNAT', true);
    expect(errorsOf(raw)).toEqual([
      'spec.cilium.routing.nativeRoutingCIDR: is required with routing.mode native (the CIDR routable without masquerading, usually the pod CIDR)',
      'spec.cilium.routing.mode: native routing needs a routable path between nodes, but edge group "g1" is behind NAT (spec.edgeGroups[0].link.behindNAT); use tunnel',
    ]);
  });

  it('allows nodeEncryption only with WireGuard and ztunnel only from 1.19', () => {
    const raw = set(
      set(baseRaw(), 'spec.cilium.encryption.type', 'ipsec'),
      'spec.cilium.encryption.nodeEncryption',
      true,
    );
    expect(errorsOf(raw)).toEqual([
      'spec.cilium.encryption.nodeEncryption: works only with WireGuard; encryption.type is "ipsec"',
    ]);
    expect(errorsOf(set(baseRaw(), 'spec.cilium.encryption.type', 'ztunnel'))).toEqual([
      'spec.cilium.encryption.type: "ztunnel" needs Cilium >= 1.19; spec.cilium.version is 1.18.12; use wireguard or ipsec',
    ]);
    expect(
      errorsOf(set(set(baseRaw(), 'spec.cilium.encryption.type', 'ztunnel'), 'spec.cilium.version', '1.19.6')),
    ).toEqual([]);
  });

  it('requires unique group names and disjoint selectors', () => {
    const raw = baseRaw();
    set(raw, 'spec.edgeGroups.1', { name: 'g1', memory: '1Gi' });
    set(raw, 'spec.edgeGroups.2', {
      name: 'g3',
      memory: '1Gi',
      nodeSelector: { 'kec.kubeedge.io/group': 'g1', site: 'x' },
    });
    expect(errorsOf(raw)).toEqual([
      'spec.edgeGroups[1].name: "g1" is already the name of spec.edgeGroups[0]; group names must be unique',
      'spec.edgeGroups[2].nodeSelector: selects nodes that group "g1" (spec.edgeGroups[0]) also selects: a node would run two Cilium agents; make the selectors disjoint',
      'spec.edgeGroups[2].nodeSelector: selects nodes that group "g1" (spec.edgeGroups[1]) also selects: a node would run two Cilium agents; make the selectors disjoint',
    ]);
  });

  it('checks CIDRs, cluster DNS and the API server for kube-proxy replacement', () => {
    const raw = baseRaw();
    set(raw, 'spec.kubernetes.podCIDR', '10.96.0.0/16');
    set(raw, 'spec.kubernetes.clusterDNS', '10.200.0.10');
    set(raw, 'spec.kubernetes.apiServer', undefined);
    set(raw, 'spec.cilium.kubeProxyReplacement', true);
    expect(errorsOf(raw)).toEqual([
      'spec.kubernetes.serviceCIDR: 10.96.0.0/12 overlaps the pod CIDR 10.96.0.0/16 (spec.kubernetes.podCIDR)',
      'spec.kubernetes.clusterDNS: 10.200.0.10 is outside the service CIDR 10.96.0.0/12',
      'spec.kubernetes.apiServer.host: is required with kubeProxyReplacement: true: without kube-proxy, cloud agents cannot reach the API server through its ClusterIP',
    ]);
    expect(warningsOf(set(baseRaw(), 'spec.kubernetes.podCIDR', '10.0.0.0/8')).join()).toMatch(
      /10\.96\.0\.0\/12 lies inside the pod CIDR 10\.0\.0\.0\/8/,
    );
  });

  it('refuses an MTU that leaves pods less than 1280', () => {
    const raw = set(set(baseRaw(), 'spec.edgeGroups.0.link.mtu', 1400), 'spec.cilium.encryption.type', 'wireguard');
    expect(errorsOf(raw)).toEqual([
      'spec.edgeGroups[0].link.mtu: 1400 leaves pods an MTU of 1270 after 130 B of tunnel/encryption overhead; at least 1280 is needed',
    ]);
  });

  it('gives WireGuard a keepalive when a group is behind NAT', () => {
    const raw = set(
      set(baseRaw(), 'spec.cilium.encryption.type', 'wireguard'),
      'spec.edgeGroups.0.link.behindNAT',
      true,
    );
    expect(valid(raw).spec.cilium.encryption.wireguardKeepalive).toBe('25s');
  });

  it('accepts the bundled example without warnings about the spec itself', () => {
    const r = validateSpec(exampleRaw());
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
  });
});

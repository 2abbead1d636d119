// The generated EdgeNetwork of bench/plan-scale: N edge groups of three kinds.

const KINDS = [
  { arch: 'arm64', kernel: '5.15.0-1034-raspi', memory: '4Gi', link: { mtu: 1500, behindNAT: true } },
  { arch: 'amd64', kernel: '6.8.0-45-generic', memory: '8Gi', link: { mtu: 1420, behindNAT: true } },
  { arch: 'arm64', kernel: '5.15.136-tegra', memory: '16Gi', link: { mtu: 9000 } },
];

export function specWithGroups(groups: number, nodesTotal: number): Record<string, unknown> {
  return {
    apiVersion: 'kec.kubeedge.io/v1alpha1',
    kind: 'EdgeNetwork',
    metadata: { name: `scale-${groups}` },
    spec: {
      kubernetes: { version: '1.31', apiServer: { host: '192.0.2.10' }, podCIDR: '10.32.0.0/11' },
      kubeedge: { version: '1.21.0' },
      cilium: {
        version: '1.18.12',
        kubeProxyReplacement: true,
        encryption: { type: 'wireguard' },
        hubble: { enabled: true, relay: true, metrics: ['dns', 'drop'] },
      },
      edgeGroups: Array.from({ length: groups }, (_, i) => ({
        name: `site-${String(i).padStart(4, '0')}`,
        nodes: Math.round(nodesTotal / groups),
        ...KINDS[i % KINDS.length],
      })),
    },
  };
}

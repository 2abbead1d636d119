import { describe, expect, it } from 'vitest';
import type { Obj } from '../types.ts';
import { discoverGroups } from '../snapshot/state.ts';
import { daemonSet, deployment, node, NOW, pod } from '../snapshot/objects.testkit.ts';
import { runRules } from './diagnose-rules.ts';
import type { DiagnoseState } from './state.ts';
import { REQUIRED_CILIUM_CRDS } from '../../knowledge/cilium.ts';

const EDGE_ARGS = ['--config-dir=/tmp/cilium/config-map', '--k8s-api-server=127.0.0.1:10550'];
const EDGE_ENV = [{ name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' }];
const NOT_EDGE = [{ key: 'node-role.kubernetes.io/edge', operator: 'DoesNotExist' }];

function healthy(): DiagnoseState {
  const nodes = [node('cloud-1'), node('edge-a-1', { edge: 'site-a' }), node('edge-b-1', { edge: 'site-b' })];
  const daemonSets = [
    daemonSet('cilium', { desired: 1, affinity: NOT_EDGE }),
    daemonSet('cilium-edge-site-a', {
      group: 'site-a',
      desired: 1,
      args: EDGE_ARGS,
      initArgs: ['--k8s-api-server=127.0.0.1:10550'],
      env: EDGE_ENV,
    }),
    daemonSet('cilium-edge-site-b', {
      group: 'site-b',
      desired: 1,
      args: EDGE_ARGS,
      initArgs: ['--k8s-api-server=127.0.0.1:10550'],
      env: EDGE_ENV,
    }),
  ];
  const pods = [
    pod('cilium-c', 'cilium', 'cloud-1'),
    pod('cilium-edge-a', 'cilium-edge-site-a', 'edge-a-1', { labels: { 'kec.kubeedge.io/edge-group': 'site-a' } }),
    pod('cilium-edge-b', 'cilium-edge-site-b', 'edge-b-1', { labels: { 'kec.kubeedge.io/edge-group': 'site-b' } }),
  ];
  return {
    status: {
      namespace: 'kube-system',
      collectedAt: new Date(NOW).toISOString(),
      groups: discoverGroups(daemonSets, nodes),
      nodes,
      daemonSets,
      deployments: [deployment('cilium-operator')],
      pods,
      errors: [],
    },
    kubeedgeNamespace: 'kubeedge',
    cloudcoreServiceAccount: 'cloudcore',
    metaServers: ['127.0.0.1:10550', '169.254.30.10:10550'],
    ciliumVersion: '1.19.6',
    ciliumConfig: {
      'routing-mode': 'tunnel',
      'tunnel-protocol': 'vxlan',
      'kube-proxy-replacement': 'false',
      'enable-wireguard': 'true',
      'wireguard-persistent-keepalive': '25s',
    },
    cloudcoreYaml: 'modules:\n  dynamicController:\n    enable: true\n',
    cloudcorePods: [
      pod('cloudcore-7d9f-abcde', 'cloudcore-7d9f', 'cloud-1', {
        namespace: 'kubeedge',
        container: 'cloudcore',
        labels: { kubeedge: 'cloudcore' },
        restarts: 1,
      }),
    ],
    clusterRoleBindings: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'kec-cloudcore-cilium' },
        roleRef: { kind: 'ClusterRole', name: 'cilium' },
        subjects: [{ kind: 'ServiceAccount', name: 'cloudcore', namespace: 'kubeedge' }],
      },
    ],
    ciliumCrds: [...REQUIRED_CILIUM_CRDS],
    // One agent answered cilium-dbg status (WireGuard handshakes are then observable: none stale).
    probes: new Map([
      [
        'cilium-c',
        {
          summary: {
            health: 'ok' as const,
            cilium: 'Ok',
            kubernetes: 'Ok',
            controllers: { total: 0, failing: 0, failingNames: [] },
            problems: [],
            wireguardPeers: [],
          },
        },
      ],
    ]),
    kubeProxy: { pods: [] },
    policies: [],
    logs: [],
    nodeReports: [
      {
        source: 'edge-a-1.json',
        node: 'edge-a-1',
        checks: [{ id: 'edgecore.clusterDNS', status: 'pass', message: 'clusterDNS: 10.96.0.10' }],
      },
    ],
    unavailable: [],
  };
}

const rulesFound = (s: DiagnoseState): string[] => runRules(s).findings.map((f) => f.rule);
const only = (s: DiagnoseState, rule: string): ReturnType<typeof runRules>['findings'] =>
  runRules(s).findings.filter((f) => f.rule === rule);

describe('diagnose rules', () => {
  it('find nothing on a healthy cluster and evaluate every rule', () => {
    const r = runRules(healthy());
    expect(r.findings).toEqual([]);
    expect(r.notChecked).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('envoy DaemonSet with a not-ready edge agent (#6113)', () => {
    const s = healthy();
    s.status.daemonSets.push(daemonSet('cilium-envoy', { desired: 3 }));
    s.status.pods[1] = pod('cilium-edge-a', 'cilium-edge-site-a', 'edge-a-1', { ready: false });
    const [f] = only(s, 'envoy-blocks-edge-agents');
    expect(f?.severity).toBe('error');
    expect(f?.issue).toMatch(/#6113/);
    expect(f?.evidence.join('\n')).toMatch(/cilium-edge-a \(edge-a-1\)/);
    expect(f?.fix).toMatch(/envoy.enabled=false/);
  });

  it('missing CRDs and the agent log line (#6301)', () => {
    const s = healthy();
    s.ciliumCrds = REQUIRED_CILIUM_CRDS.filter((c) => c !== 'ciliumnodes.cilium.io');
    s.logs = [
      {
        pod: 'cilium-edge-a',
        node: 'edge-a-1',
        role: 'edge-agent',
        lines: ['level=info msg="Still waiting for Cilium Operator to register CRDs" subsys=k8s'],
      },
    ];
    const [f] = only(s, 'operator-crds-not-registered');
    expect(f?.evidence).toEqual([
      'CRDs missing: ciliumnodes.cilium.io',
      'cilium-edge-a (edge-a-1) logs: level=info msg="Still waiting for Cilium Operator to register CRDs" subsys=k8s',
      'Deployment cilium-operator: 1/1 ready',
    ]);
  });

  it('edge agents restarted every 60-90 s (#6641)', () => {
    const s = healthy();
    s.status.pods[2] = pod('cilium-edge-b', 'cilium-edge-site-b', 'edge-b-1', {
      restarts: 12,
      lastExit: { agoMs: 20_000, ranMs: 80_000 },
    });
    const [f] = only(s, 'edge-agent-restart-loop');
    expect(f?.evidence).toEqual(['cilium-edge-b on edge-b-1: 12 restarts, last run 80s (Error)']);
    expect(f?.fix).toMatch(/#6653/);
  });

  it('dynamicController disabled or absent', () => {
    const s = healthy();
    s.cloudcoreYaml = 'modules:\n  cloudHub:\n    nodeLimit: 10\n';
    expect(only(s, 'cloudcore-dynamic-controller-disabled')[0]?.evidence[0]).toMatch(
      /modules.dynamicController.enable = null/,
    );
    delete s.cloudcoreYaml;
    expect(runRules(s).notChecked.map((n) => n.rule)).toContain('cloudcore-dynamic-controller-disabled');
  });

  it("cloudcore bound to ClusterRole cilium by any binding, not only kec's", () => {
    const s = healthy();
    s.clusterRoleBindings = [
      {
        kind: 'ClusterRoleBinding',
        metadata: { name: 'cilium' },
        roleRef: { kind: 'ClusterRole', name: 'cilium' },
        subjects: [{ kind: 'ServiceAccount', name: 'cilium', namespace: 'kube-system' }],
      } as Obj,
    ];
    expect(rulesFound(s)).toEqual(['cloudcore-not-bound-to-cilium-role']);
    // The upstream script adds cloudcore to the chart's binding: that counts.
    (s.clusterRoleBindings[0]!['subjects'] as unknown[]).push({
      kind: 'ServiceAccount',
      name: 'cloudcore',
      namespace: 'kubeedge',
    });
    expect(rulesFound(s)).toEqual([]);
  });

  it('edge DaemonSet missing, or not using MetaServer', () => {
    const s = healthy();
    s.status.daemonSets = s.status.daemonSets.filter((d) => d.metadata?.name !== 'cilium-edge-site-b');
    s.status.daemonSets[1] = daemonSet('cilium-edge-site-a', {
      group: 'site-a',
      args: ['--config-dir=/tmp/cilium/config-map'],
      env: [{ name: 'KUBERNETES_SERVICE_HOST', value: '10.0.0.1' }],
    });
    s.status.groups = [
      { name: 'site-a', nodeSelector: { 'kec.kubeedge.io/group': 'site-a' }, source: 'spec' },
      { name: 'site-b', nodeSelector: { 'kec.kubeedge.io/group': 'site-b' }, source: 'spec' },
    ];
    const fs = only(s, 'edge-daemonset');
    expect(fs.map((f) => f.title)).toEqual([
      'edge group site-a: DaemonSet cilium-edge-site-a does not use MetaServer',
      'edge group site-b: DaemonSet cilium-edge-site-b missing',
    ]);
    expect(fs[0]?.evidence).toEqual([
      'DaemonSet cilium-edge-site-a: cilium-agent has no --k8s-api-server (talks to the cloud API server directly)',
      'DaemonSet cilium-edge-site-a: cilium-agent env KUBERNETES_SERVICE_HOST=10.0.0.1, not MetaServer',
      'DaemonSet cilium-edge-site-a: init config has no --k8s-api-server (talks to the cloud API server directly)',
    ]);
  });

  it('cloud DaemonSet without the edge-excluding affinity', () => {
    const s = healthy();
    s.status.daemonSets[0] = daemonSet('cilium', { desired: 3 });
    s.status.pods.push(pod('cilium-x', 'cilium', 'edge-a-1'));
    expect(only(s, 'cloud-daemonset-on-edge')[0]?.evidence).toEqual([
      'DaemonSet cilium has no nodeAffinity node-role.kubernetes.io/edge DoesNotExist',
      'its pods on edge nodes: edge-a-1',
    ]);
  });

  it('kube-proxy on edge nodes with kube-proxy replacement on', () => {
    const s = healthy();
    s.kubeProxy = {
      daemonSet: daemonSet('kube-proxy'),
      pods: [pod('kube-proxy-1', 'kube-proxy', 'edge-a-1', { container: 'kube-proxy' })],
    };
    expect(rulesFound(s)).toEqual([]); // KPR off: kube-proxy is needed
    s.ciliumConfig!['kube-proxy-replacement'] = 'true';
    expect(only(s, 'kube-proxy-on-edge-with-kpr')[0]?.evidence).toContain('kube-proxy pods on edge nodes: edge-a-1');
  });

  it('clusterDNS missing from preflight or edgecore data (#5400), not checked without node data', () => {
    const s = healthy();
    s.nodeReports = [
      {
        source: 'p.json',
        node: 'edge-a-1',
        checks: [{ id: 'edgecore.clusterDNS', status: 'warn', message: 'clusterDNS is not set' }],
      },
      { source: 'edgecore.yaml', node: 'edge-b-1', edgecore: { modules: { edged: { tailoredKubeletConfig: {} } } } },
    ];
    expect(only(s, 'cluster-dns-missing')[0]?.evidence).toEqual([
      'edge-a-1: preflight edgecore.clusterDNS warn: clusterDNS is not set',
      'edge-b-1: modules.edged.tailoredKubeletConfig.clusterDNS is null',
    ]);
    s.nodeReports = [];
    expect(runRules(s).notChecked.map((n) => n.rule)).toEqual(['cluster-dns-missing']);
  });

  it('kernel below the Cilium minimum, failed preflight BPF checks, agent BPF errors', () => {
    const s = healthy();
    s.status.nodes[2] = node('edge-b-1', { edge: 'site-b', kernel: '4.9.337-tegra' });
    s.nodeReports.push({
      source: 'pi.json',
      node: 'pi-1',
      checks: [{ id: 'kconfig.CONFIG_BPF_JIT', status: 'fail', message: 'CONFIG_BPF_JIT is not set' }],
    });
    const [f] = only(s, 'ebpf-unsupported-kernel');
    expect(f?.evidence).toEqual([
      'node edge-b-1: kernel 4.9.337-tegra < 5.10.0 (minimum of Cilium 1.19)',
      'pi-1: preflight kconfig.CONFIG_BPF_JIT: CONFIG_BPF_JIT is not set',
    ]);
    s.status.nodes[2] = node('rhel', { kernel: '4.18.0-372.el8.x86_64' });
    s.nodeReports.pop();
    expect(only(s, 'ebpf-unsupported-kernel')).toEqual([]);
  });

  it('policy not applied: invalid policy condition, operator errors', () => {
    const s = healthy();
    s.policies = [
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: 'p', namespace: 'app' },
        status: {
          conditions: [
            {
              type: 'cilium.io/PolicyValid',
              status: 'False',
              message:
                'Invalid CiliumNetworkPolicy spec: rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny',
            },
          ],
        },
      },
    ];
    s.logs = [
      {
        pod: 'cilium-operator-1',
        node: 'cloud-1',
        role: 'operator',
        lines: ['level=error msg="Failed to translate policy" subsys=policy'],
      },
    ];
    expect(only(s, 'policy-not-applied')[0]?.evidence).toEqual([
      'CiliumNetworkPolicy app/p: invalid: Invalid CiliumNetworkPolicy spec: rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny',
      'cilium-operator-1 logs: level=error msg="Failed to translate policy" subsys=policy',
    ]);
  });

  it('cross-node: native routing with edge nodes, WireGuard without keepalive, health unreachable', () => {
    const s = healthy();
    s.ciliumConfig = { 'routing-mode': 'native', 'enable-wireguard': 'true', 'kube-proxy-replacement': 'false' };
    s.probes = new Map([
      [
        'cilium-edge-a',
        {
          summary: {
            health: 'warning',
            cilium: 'Ok',
            kubernetes: 'Ok',
            controllers: { total: 1, failing: 0, failingNames: [] },
            clusterHealth: 'Warning',
            problems: [],
          },
        },
      ],
    ]);
    const [f] = only(s, 'cross-node-tunnel-encryption');
    expect(f?.severity).toBe('error');
    expect(f?.evidence).toEqual([
      'cilium-config routing-mode: native while edge nodes exist (edge sites behind NAT or on other networks are not routable)',
      'WireGuard without persistent keepalive: NAT mappings of edge sites expire and peers stop reaching them',
      'cilium-edge-a: cilium-health Warning',
    ]);
  });

  it('edge node NotReady while connected', () => {
    const s = healthy();
    s.status.nodes[1] = node('edge-a-1', { edge: 'site-a', ready: 'False' });
    expect(rulesFound(s)).toEqual(['edge-node-flapping']);
  });

  it('exit status: errors or collection errors fail, warnings alone do not', () => {
    const s = healthy();
    s.nodeReports = [{ source: 'x', checks: [{ id: 'edgecore.clusterDNS', status: 'warn', message: 'unset' }] }];
    expect(runRules(s).ok).toBe(true);
    s.status.errors.push({ what: 'nodes', error: 'HTTP 403' });
    expect(runRules(s).ok).toBe(false);
  });
});

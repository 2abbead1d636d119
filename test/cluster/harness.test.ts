// Static checks of the harness (run with the unit tests; no cluster needed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EDGE_LABELS } from '../../src/knowledge/kubeedge.ts';
import { renderKubeconfig } from './harness/kubeconfig.ts';
import { renderKwokConfig } from './harness/kwok.ts';
import { topologyNodes, DEFAULT_TOPOLOGY } from './harness/nodes.ts';
import { HARNESS_DIR, HELM_VERSION, K8S_VERSION, KWOK_VERSION } from './harness/paths.ts';
import { seedObjects } from './harness/seed.ts';
import { parse } from 'yaml';
import { GROUP_LABEL } from '../../src/names.ts';

describe('harness build pins', () => {
  it('build.sh, build/go.mod and paths.ts name the same versions', () => {
    const script = readFileSync(join(HARNESS_DIR, 'build.sh'), 'utf8');
    expect(script).toContain(`K8S_VERSION="${K8S_VERSION}"`);
    expect(script).toContain(`KWOK_VERSION="${KWOK_VERSION}"`);
    expect(script).toContain(`HELM_VERSION="${HELM_VERSION}"`);
    const gomod = readFileSync(join(HARNESS_DIR, 'build', 'go.mod'), 'utf8');
    expect(gomod).toMatch(new RegExp(`k8s\\.io/kubernetes ${K8S_VERSION.replace(/\./g, '\\.')}\\b`));
    const staging = K8S_VERSION.replace(/^v1\./, 'v0.');
    const replaces = [...gomod.matchAll(/^\s*(k8s\.io\/\S+) => (k8s\.io\/\S+) (v\S+)$/gm)];
    expect(replaces.length).toBeGreaterThan(20);
    for (const [, from, to, version] of replaces) {
      expect(to).toBe(from);
      expect(version).toBe(staging);
    }
  });
});

describe('harness seed', () => {
  const objects = seedObjects();
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

  it('has the objects a helm install of Cilium and a KubeEdge cloudcore create, under the chart names', () => {
    for (const [kind, name] of [
      ['DaemonSet', 'cilium'],
      ['DaemonSet', 'cilium-envoy'],
      ['Deployment', 'cilium-operator'],
      ['ConfigMap', 'cilium-config'],
      ['ServiceAccount', 'cilium'],
      ['ClusterRole', 'cilium'],
      ['ClusterRoleBinding', 'cilium'],
    ]) {
      expect(find(kind ?? '', name ?? '')?.metadata?.namespace ?? 'kube-system').toBe('kube-system');
    }
    expect(find('ConfigMap', 'cloudcore')?.metadata?.namespace).toBe('kubeedge');
    expect(find('Deployment', 'cloudcore')?.metadata?.namespace).toBe('kubeedge');
    expect(find('ServiceAccount', 'cloudcore')?.metadata?.namespace).toBe('kubeedge');
    const cc = find('ConfigMap', 'cloudcore') as { data: Record<string, string> };
    expect(parse(cc.data['cloudcore.yaml'] ?? '')).toMatchObject({ kind: 'CloudCore' });
  });

  it('cilium DaemonSet mirrors the chart and has no edge-excluding affinity yet', () => {
    const ds = find('DaemonSet', 'cilium') as unknown as {
      metadata: { labels: Record<string, string> };
      spec: {
        template: {
          spec: {
            affinity?: { nodeAffinity?: unknown };
            containers: { name: string; args: string[] }[];
            initContainers: { name: string; command: string[] }[];
          };
        };
      };
    };
    expect(ds.metadata.labels).toMatchObject({
      'k8s-app': 'cilium',
      'app.kubernetes.io/name': 'cilium-agent',
      'app.kubernetes.io/part-of': 'cilium',
      'app.kubernetes.io/managed-by': 'Helm',
    });
    expect(ds.spec.template.spec.containers[0]).toMatchObject({
      name: 'cilium-agent',
      args: ['--config-dir=/tmp/cilium/config-map'],
    });
    expect(ds.spec.template.spec.initContainers[0]).toMatchObject({
      name: 'config',
      command: ['cilium-dbg', 'build-config'],
    });
    expect(ds.spec.template.spec.affinity?.nodeAffinity).toBeUndefined();
  });

  it('merges the two ciliumpodippools files into one CRD with one storage version', () => {
    const crd = find('CustomResourceDefinition', 'ciliumpodippools.cilium.io') as unknown as {
      spec: { versions: { name: string; storage: boolean }[] };
    };
    expect(crd.spec.versions.map((v) => v.name).sort()).toEqual(['v2', 'v2alpha1']);
    expect(crd.spec.versions.filter((v) => v.storage)).toHaveLength(1);
  });
});

describe('harness topology and kubeconfig', () => {
  it('labels edge nodes like keadm plus the kec group label', () => {
    const nodes = topologyNodes(DEFAULT_TOPOLOGY);
    expect(nodes.filter((n) => n.role === 'cloud')).toHaveLength(2);
    const edge = nodes.filter((n) => n.role === 'edge');
    expect(new Set(edge.map((n) => n.group))).toEqual(new Set(['site-a', 'site-b']));
    for (const n of edge)
      expect(n.labels).toMatchObject({ [EDGE_LABELS.edge]: '', [EDGE_LABELS.agent]: '', [GROUP_LABEL]: n.group });
    expect(new Set(nodes.map((n) => n.ip)).size).toBe(nodes.length);
  });

  it('renders a token kubeconfig with the CA inlined', () => {
    const text = renderKubeconfig({
      server: 'https://127.0.0.1:1',
      caFile: join(HARNESS_DIR, 'build', 'go.mod'),
      user: 'u',
      credentials: { token: 't0k' },
      namespace: 'ns',
    });
    const kc = parse(text) as {
      users: { user: { token: string } }[];
      contexts: { context: { namespace: string } }[];
      clusters: { cluster: Record<string, string> }[];
    };
    expect(kc.users[0]?.user.token).toBe('t0k');
    expect(kc.contexts[0]?.context.namespace).toBe('ns');
    expect(kc.clusters[0]?.cluster['certificate-authority-data']).toMatch(/^[A-Za-z0-9+/=]+$/);
  });
});

describe('kwok configuration', () => {
  it('keeps crash-looping images out of the Running stage and adds the crash-loop stage', () => {
    const plain = renderKwokConfig([]);
    expect(plain).not.toContain('kec-pod-crashloop');
    const docs = renderKwokConfig(['r.invalid/x:1'])
      .split('---\n')
      .map(
        (d) =>
          parse(d) as {
            kind: string;
            metadata?: { name: string };
            spec?: { selector: { matchExpressions: { key: string; operator: string; values?: string[] }[] } };
          },
      );
    const running = docs.find((d) => d.metadata?.name === 'kec-pod-running');
    expect(running?.spec?.selector.matchExpressions).toContainEqual({
      key: '.spec.containers.[].image',
      operator: 'NotIn',
      values: ['r.invalid/x:1'],
    });
    const crash = docs.find((d) => d.metadata?.name === 'kec-pod-crashloop');
    expect(crash?.spec?.selector.matchExpressions).toContainEqual({
      key: '.spec.containers.[].image',
      operator: 'In',
      values: ['r.invalid/x:1'],
    });
    expect(docs.filter((d) => d.kind === 'KwokConfiguration')).toHaveLength(1);
  });
});

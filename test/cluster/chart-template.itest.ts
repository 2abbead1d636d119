// The real Cilium chart, all five versions kec supports: `helm template` of the real package
// with the values `kec plan` writes, then `kec plan --cilium-manifest` on that output. The edge
// DaemonSets must be derived from the chart's own DaemonSet (its containers, init containers,
// image, volumes) with kec's changes, and every object kec makes must be accepted by the real
// API server (server-side dry run). The harness's Cilium seed is checked against the real chart too.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { cluster, harness, helmBinary, kubectlBinary, waitFor } from './harness/index.ts';
import { MANIFESTS_DIR } from './harness/paths.ts';
import { renderCiliumSeed, SEED_CILIUM_VERSION } from './harness/seed-render.ts';
import { connect } from '../../src/cluster/client.ts';
import { helmCli } from '../../src/cluster/install/helm.ts';
import { CILIUM_CHART_VERSIONS } from '../../src/knowledge/cilium.ts';
import { monitoringHelmValues } from '../../src/plan/metrics-values.ts';
import { EXAMPLES, KEC_BIN, upstream } from '../paths.ts';

const exec = promisify(execFile);
const h = harness();

type Obj = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
};
type Container = {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: Array<{ name: string; value?: string }>;
};
type PodSpec = {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string }>;
  affinity?: unknown;
};
const podSpec = (ds: Obj): PodSpec => (ds.spec as { template: { spec: PodSpec } }).template.spec;
const docs = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null && typeof o === 'object');

async function kec(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return {
      code: 0,
      ...(await exec(process.execPath, [KEC_BIN, ...args], {
        env: { ...process.env, NO_COLOR: '1' },
        maxBuffer: 32 << 20,
      })),
    };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe.runIf(h.available).each([...CILIUM_CHART_VERSIONS])('real Cilium chart %s', (version) => {
  it('renders with the plan values; kec plan --cilium-manifest derives edge DaemonSets the API server accepts', async () => {
    const dir = mkdtempSync(join(tmpdir(), `kec-chart-${version}-`));
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      readFileSync(join(EXAMPLES, 'edge-cluster.yaml'), 'utf8').replace(
        /version: "?1\.18\.12"?/,
        `version: "${version}"`,
      ),
    );
    const first = await kec(['plan', '-f', spec, '-d', join(dir, 'plan')]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    // The real chart package, rendered as Helm would install it.
    const tgz = upstream('cilium-chart', version, `cilium-${version}.tgz`);
    const rendered = await exec(
      await helmBinary(),
      [
        'template',
        'cilium',
        tgz,
        '-n',
        'kube-system',
        '-f',
        join(dir, 'plan', 'cilium-values.yaml'),
        '--kube-version',
        '1.36.3',
      ],
      { maxBuffer: 32 << 20 },
    );
    const manifest = join(dir, 'cilium.yaml');
    writeFileSync(manifest, rendered.stdout);
    const chart = docs(rendered.stdout);
    const chartDs = chart.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'cilium')!;
    expect(chartDs, 'the chart renders DaemonSet cilium').toBeDefined();
    // The plan's values keep cloud agents off edge nodes and render no cilium-envoy DaemonSet.
    expect(JSON.stringify(podSpec(chartDs).affinity)).toContain('node-role.kubernetes.io/edge');
    expect(chart.some((o) => o.kind === 'DaemonSet' && o.metadata.name === 'cilium-envoy')).toBe(false);

    const second = await kec(['plan', '-f', spec, '-d', join(dir, 'full'), '--cilium-manifest', manifest]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'full', 'plan.json'), 'utf8')) as {
      groups: Array<{ name: string; daemonSet: string }>;
    };
    for (const g of plan.groups) {
      const [ds] = docs(readFileSync(join(dir, 'full', 'edge', g.name, 'cilium-agent.yaml'), 'utf8'));
      expect(ds!.kind).toBe('DaemonSet');
      expect(ds!.metadata.name).toBe(g.daemonSet);
      expect(ds!.metadata.labels).toMatchObject({
        'kec.kubeedge.io/group': g.name,
        'app.kubernetes.io/managed-by': 'kec',
      });
      const edge = podSpec(ds!);
      const cloud = podSpec(chartDs);
      // Derived from the chart's DaemonSet: the same containers, init containers, images and volumes.
      expect(edge.containers.map((c) => c.name)).toEqual(cloud.containers.map((c) => c.name));
      expect((edge.initContainers ?? []).map((c) => c.name)).toEqual((cloud.initContainers ?? []).map((c) => c.name));
      expect(new Set(edge.containers.map((c) => c.image))).toEqual(new Set(cloud.containers.map((c) => c.image)));
      expect(edge.volumes?.map((v) => v.name)).toEqual(cloud.volumes?.map((v) => v.name));
      // kec's changes: MetaServer as the API server for the agent and its config init container.
      const agent = edge.containers.find((c) => c.name === 'cilium-agent')!;
      expect(agent.args).toContain('--k8s-api-server=127.0.0.1:10550');
      expect(agent.env).toEqual(
        expect.arrayContaining([
          { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
          { name: 'KUBERNETES_SERVICE_PORT', value: '10550' },
        ]),
      );
      const config = (edge.initContainers ?? []).find((c) => c.name === 'config');
      expect(JSON.stringify(config)).toContain('127.0.0.1:10550');
      expect(JSON.stringify(edge.affinity)).toContain(g.name);
    }

    // Every object kec makes, and the chart's with kec's values, as the real API server sees them.
    const kubectl = await kubectlBinary();
    // Namespaced objects in namespaces the chart expects to exist (e.g. cilium-secrets) need them for a dry run.
    const namespaces = new Set(chart.map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined));
    for (const ns of namespaces) {
      await exec(kubectl, ['--kubeconfig', cluster().kubeconfig, 'create', 'namespace', ns]).catch(() => undefined);
    }
    const files = [
      manifest,
      join(dir, 'full', 'rbac.yaml'),
      ...plan.groups.map((g) => join(dir, 'full', 'edge', g.name, 'cilium-agent.yaml')),
    ];
    for (const f of files) {
      const r = await exec(
        kubectl,
        [
          '--kubeconfig',
          cluster().kubeconfig,
          'apply',
          '--dry-run=server',
          '--server-side',
          '--force-conflicts',
          '--field-manager',
          'kec-test',
          '-f',
          f,
        ],
        { maxBuffer: 32 << 20 },
      ).catch((e: { stderr: string }) => ({ stdout: '', stderr: e.stderr }));
      expect(r.stderr, f).toBe('');
      expect(r.stdout, f).toMatch(/serverside-applied \(server dry run\)/);
    }
    // The edgecore patch is a valid edgecore.yaml fragment with MetaServer on.
    const patch = parse(
      readFileSync(join(dir, 'full', 'edge', plan.groups[0]!.name, 'edgecore-patch.yaml'), 'utf8'),
    ) as { modules: { metaManager: { metaServer: { enable: boolean } } } };
    expect(patch.modules.metaManager.metaServer.enable).toBe(true);
  });
});

describe.runIf(h.available)('harness seed', () => {
  it(`is the real Cilium ${SEED_CILIUM_VERSION} chart's rendering, Secrets aside (node scripts/gen-harness-seed.ts)`, async () => {
    const committed = readFileSync(join(MANIFESTS_DIR, '20-cilium.yaml'), 'utf8');
    expect(committed).toBe(await renderCiliumSeed(await helmBinary()));
  });
});

describe.runIf(h.available)('helm template as kec install runs it (the objects Helm adopts)', () => {
  it("lists the chart's objects (helm template) with the cluster's API versions, so ServiceMonitors render when their CRD is served", async () => {
    const api = connect({ kubeconfig: cluster().kubeconfig });
    const helm = helmCli({ bin: await helmBinary(), kubeconfig: cluster().kubeconfig });
    const v = '1.19.6';
    const values = monitoringHelmValues({ cilium: { hubble: { enabled: false, metrics: [] } } } as never);
    const objects = async (): Promise<string[]> =>
      (
        await helm.objects({
          release: 'cilium',
          chart: upstream('cilium-chart', v, `cilium-${v}.tgz`),
          version: v,
          namespace: 'kube-system',
          values,
          kubeVersion: (await api.version()).gitVersion,
          apiVersions: await api.apiVersions(),
        })
      )
        .filter((o) => o.kind === 'ServiceMonitor')
        .map((o) => o.name)
        .sort();
    // Without the Prometheus Operator's CRD the chart refuses, as a real install would.
    expect(await api.apiVersions()).not.toContain('monitoring.coreos.com/v1');
    await expect(objects()).rejects.toThrow(/Service Monitor requires monitoring\.coreos\.com\/v1 CRDs/);
    // With it (a minimal ServiceMonitor CRD), the ServiceMonitors are listed.
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'servicemonitors.monitoring.coreos.com' },
      spec: {
        group: 'monitoring.coreos.com',
        scope: 'Namespaced',
        names: {
          plural: 'servicemonitors',
          singular: 'servicemonitor',
          kind: 'ServiceMonitor',
          listKind: 'ServiceMonitorList',
        },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await api.apply(crd);
    try {
      await waitFor('monitoring.coreos.com/v1 served', async () =>
        (await api.apiVersions()).includes('monitoring.coreos.com/v1'),
      );
      expect(await objects()).toEqual(['cilium-agent', 'cilium-operator']);
    } finally {
      await api.delete({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'servicemonitors.monitoring.coreos.com',
      });
    }
  });
});

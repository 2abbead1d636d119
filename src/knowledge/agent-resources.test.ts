import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath } from '../../test/cluster/harness/paths.ts';
import { ROOT, upstream } from '../../test/paths.ts';
import { AGENT_RESOURCE_VERSIONS, agentResourceVersionFor, agentResources, collectionPath } from './agent-resources.ts';
import { apiVersionFor } from './agent-resources-api.ts';
import { CILIUM_CHART_VERSIONS } from './cilium.ts';

// The harness's helm (make test builds it before the unit tests: `bash test/cluster/build.sh`).
const helm = process.env['KEC_HELM'] ?? binPath('helm');
const haveHelm = existsSync(helm);
const ci = process.env['CI'] === 'true';
if (!haveHelm && !ci)
  console.warn(
    `\n*** SKIPPING the agent-resources staleness test: no helm at ${helm} (set KEC_HELM); under CI=true this fails ***\n`,
  );

const names = (v: string): string[] => agentResources(v).map((r) => `${r.group || 'core'}/${r.resource}`);
const find = (v: string, resource: string) => agentResources(v).find((r) => r.resource === resource);

describe('generated agent resource table', () => {
  it.skipIf(!haveHelm && !ci)(
    'is up to date with the real charts (node scripts/gen-agent-resources.ts regenerates it)',
    () => {
      if (!haveHelm)
        throw new Error(
          `CI=true but no helm binary at ${helm} (bash test/cluster/build.sh builds it): the staleness test cannot run`,
        );
      const out = join(mkdtempSync(join(tmpdir(), 'kec-agent-res-')), 'agent-resources.json');
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-agent-resources.ts'), upstream('cilium-chart'), out], {
        stdio: 'pipe',
        env: { ...process.env, KEC_HELM: helm },
      });
      expect(readFileSync(out, 'utf8')).toBe(
        readFileSync(join(ROOT, 'src', 'knowledge', 'generated', 'agent-resources.json'), 'utf8'),
      );
    },
    60_000,
  );

  it('covers every chart version kec supports', () => {
    expect([...AGENT_RESOURCE_VERSIONS]).toEqual([...CILIUM_CHART_VERSIONS]);
    for (const v of CILIUM_CHART_VERSIONS) expect(agentResourceVersionFor(v)).toBe(v);
    expect(agentResourceVersionFor('1.18.3')).toBe('1.18.12');
    expect(agentResourceVersionFor('v1.20.0-rc.1')).toBe('1.20.0');
    expect(agentResourceVersionFor('1.15.5')).toBeUndefined();
    expect(agentResourceVersionFor('latest')).toBeUndefined();
  });

  it('has the core resources and the CRDs every agent watches', () => {
    for (const v of AGENT_RESOURCE_VERSIONS) {
      for (const n of [
        'core/nodes',
        'core/pods',
        'core/namespaces',
        'core/services',
        'discovery.k8s.io/endpointslices',
        'networking.k8s.io/networkpolicies',
        'apiextensions.k8s.io/customresourcedefinitions',
        'cilium.io/ciliumnodes',
        'cilium.io/ciliumidentities',
        'cilium.io/ciliumendpoints',
        'cilium.io/ciliumnetworkpolicies',
        'cilium.io/ciliumclusterwidenetworkpolicies',
      ])
        expect(names(v), `${v} ${n}`).toContain(n);
      expect(find(v, 'ciliumnodes')).toMatchObject({ version: 'v2', kind: 'CiliumNode' });
      expect(find(v, 'ciliumnodes')?.feature).toBeUndefined();
      expect(find(v, 'nodes')).toMatchObject({ version: 'v1', neverEmpty: true });
      expect(find(v, 'ciliumendpointslices')).toMatchObject({
        version: 'v2alpha1',
        feature: 'ciliumEndpointSlice.enabled',
      });
      // Secrets are granted only with readSecretsOnlyFromSecretsNamespace=false (not the default).
      expect(names(v)).not.toContain('core/secrets');
    }
  });

  it('follows the chart between 1.16 and 1.20', () => {
    // Core Endpoints and the BGPv1 CiliumBGPPeeringPolicy left the ClusterRole in 1.20.
    expect(names('1.16.19')).toContain('core/endpoints');
    expect(names('1.19.6')).toContain('core/endpoints');
    expect(names('1.19.6')).toContain('cilium.io/ciliumbgppeeringpolicies');
    expect(names('1.20.0')).not.toContain('core/endpoints');
    expect(names('1.20.0')).not.toContain('cilium.io/ciliumbgppeeringpolicies');
    // CiliumDatapathPlugin is new in 1.20.
    expect(names('1.19.6')).not.toContain('cilium.io/ciliumdatapathplugins');
    expect(find('1.20.0', 'ciliumdatapathplugins')).toMatchObject({ version: 'v2alpha1' });
    // API versions move with the releases.
    expect(find('1.16.19', 'ciliumcidrgroups')?.version).toBe('v2alpha1');
    expect(find('1.17.18', 'ciliumcidrgroups')?.version).toBe('v2');
    expect(find('1.17.18', 'ciliumbgpnodeconfigs')?.version).toBe('v2alpha1');
    expect(find('1.18.12', 'ciliumbgpnodeconfigs')?.version).toBe('v2');
    expect(find('1.19.6', 'ciliumpodippools')?.version).toBe('v2alpha1');
    expect(find('1.20.0', 'ciliumpodippools')?.version).toBe('v2');
  });

  it('agrees with the CRD fixtures on the v2 resources', () => {
    const fixtures = [
      'ciliumnetworkpolicies',
      'ciliumclusterwidenetworkpolicies',
      'ciliumendpoints',
      'ciliumnodes',
      'ciliumidentities',
      'ciliumcidrgroups',
      'ciliumnodeconfigs',
    ];
    for (const r of fixtures) {
      const crd = readFileSync(join(ROOT, 'test', 'fixtures', 'cilium-crds', `v2-${r}.yaml`), 'utf8');
      expect(crd).toMatch(/name: "?v2"?/);
      expect(find('1.20.0', r)?.version, r).toBe('v2');
      expect(crd, r).toContain(find('1.20.0', r)!.kind);
    }
    expect(apiVersionFor('', 'nodes', '1.20')).toBe('v1');
  });

  it('builds collection paths', () => {
    expect(collectionPath({ group: '', version: 'v1', resource: 'nodes' })).toBe('/api/v1/nodes');
    expect(collectionPath({ group: 'cilium.io', version: 'v2', resource: 'ciliumnodes' })).toBe(
      '/apis/cilium.io/v2/ciliumnodes',
    );
  });
});

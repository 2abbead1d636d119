import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../test/paths.ts';
import { baseRaw, set, valid } from '../../test/specs.ts';
import { buildPlan, findCiliumDaemonSet } from './plan.ts';

type C = { name: string; image: string; args?: string[] };
const manifest = parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/helm-template/cilium-1.18.12.yaml'), 'utf8'))
  .map((d) => d.toJS() as Record<string, unknown>)
  .filter(Boolean);

function containers(ds: Record<string, unknown>): { containers: C[]; initContainers: C[] } {
  return (ds['spec'] as { template: { spec: { containers: C[]; initContainers: C[] } } }).template.spec;
}

describe('edge DaemonSet', () => {
  it('uses the chart image unless the group names its own', () => {
    const plan = buildPlan(valid(baseRaw()), { ciliumManifest: manifest });
    const ds = containers(plan.groups[0]!.manifest!);
    expect(new Set([...ds.containers, ...ds.initContainers].map((c) => c.image))).toEqual(
      new Set(['quay.io/cilium/cilium:v1.18.12']),
    );
  });

  it('puts a group image, with {version} filled in, in every container that ran the chart image', () => {
    const raw = set(baseRaw(), 'spec.edgeGroups.0.agentImage', 'mirror.site-a.local/cilium/cilium:v{version}');
    const plan = buildPlan(valid(raw), { ciliumManifest: manifest });
    const ds = containers(plan.groups[0]!.manifest!);
    for (const c of [...ds.containers, ...ds.initContainers])
      expect(c.image, c.name).toBe('mirror.site-a.local/cilium/cilium:v1.18.12');
    expect(JSON.stringify(plan.groups[0]!.agentPatch)).toContain('mirror.site-a.local/cilium/cilium:v1.18.12');
    expect(findCiliumDaemonSet(manifest)).toBeDefined();
  });

  it('refuses an image reference without tag or digest', () => {
    const r = () => valid(set(baseRaw(), 'spec.edgeGroups.0.agentImage', 'mirror.local/cilium/cilium'));
    expect(r).toThrow(
      /spec\.edgeGroups\[0\]\.agentImage: "mirror\.local\/cilium\/cilium" is not an image reference with a tag or digest/,
    );
  });
});

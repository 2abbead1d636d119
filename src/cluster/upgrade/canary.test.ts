// The canary rule of `kec upgrade`: a canary group whose every node is offline (autonomous)
// proves nothing, so no other group is touched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../../../test/paths.ts';
import { baseRaw, set, valid } from '../../../test/specs.ts';
import { buildPlan, findCiliumDaemonSet } from '../../plan/plan.ts';
import { GROUP_LABEL } from '../../names.ts';
import type { Obj, ObjectReader, ObjectRef, ObjectWriter } from '../types.ts';
import { upgrade } from './upgrade.ts';

const manifest = parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/helm-template/cilium-1.18.12.yaml'), 'utf8'))
  .map((d) => d.toJS() as Record<string, unknown>)
  .filter(Boolean);
const cloud = findCiliumDaemonSet(manifest) as Obj;

function node(name: string, group: string, ready: boolean): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'node-role.kubernetes.io/edge': '', [GROUP_LABEL]: group } },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }] },
  };
}

/** A cluster where each edge group runs an older DaemonSet; records every real (not dry-run) write. */
function fakeApi(nodes: Obj[]): { api: ObjectReader & ObjectWriter; writes: string[] } {
  const writes: string[] = [];
  const old = (name: string): Obj => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'kube-system' },
    spec: { template: { spec: { containers: [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.17.18' }] } } },
  });
  const api = {
    get: async (r: ObjectRef) => (r.name === 'cilium' ? cloud : old(r.name)),
    list: async (_v: string, kind: string, opts?: { labelSelector?: string }) => {
      if (kind !== 'Node') return [];
      const want = (opts?.labelSelector ?? '').split(',').filter((x) => x.includes('='));
      return nodes.filter((n) => want.every((w) => n.metadata?.labels?.[w.split('=')[0]!] === w.split('=')[1]));
    },
    apply: async (o: Obj, opts?: { dryRun?: boolean }) => {
      if (!opts?.dryRun) writes.push(`apply ${o.metadata?.name}`);
      return o;
    },
    replace: async (o: Obj) => (writes.push(`replace ${o.metadata?.name}`), o),
    delete: async (r: ObjectRef) => void writes.push(`delete ${r.name}`),
  } as unknown as ObjectReader & ObjectWriter;
  return { api, writes };
}

describe('kec upgrade with a canary', () => {
  const raw = set(baseRaw(), 'spec.edgeGroups', [
    { name: 'site-a', memory: '4Gi', nodes: 2 },
    { name: 'site-b', memory: '4Gi', nodes: 2 },
  ]);
  const plan = buildPlan(valid(raw), { ciliumManifest: manifest });
  const opts = {
    from: '1.17.18',
    to: '1.18.12',
    autoRollback: true,
    dryRun: false,
    chart: 'cilium',
    gateTimeoutMs: 1000,
    pollMs: 10,
    compat: { removed: [], renamed: [] } as never,
  };

  it('stops before any other group when every node of the canary group is offline', async () => {
    const { api, writes } = fakeApi([
      node('a-1', 'site-a', false),
      node('a-2', 'site-a', false),
      node('b-1', 'site-b', true),
      node('b-2', 'site-b', true),
    ]);
    const r = await upgrade(api, plan, { ...opts, canary: 'site-a' });
    expect(r.ok).toBe(false);
    expect(r.groups.map((g) => [g.group, g.status])).toEqual([
      ['site-a', 'skipped'],
      ['site-b', 'skipped'],
    ]);
    expect(r.groups[0]!.detail).toMatch(
      /^canary: every node is offline \(autonomous\), so the new version was not proven/,
    );
    expect(r.groups[1]!.detail).toBe('not attempted: canary group site-a is offline');
    expect(writes).toEqual([]);
  });

  it('without a canary, an offline group is skipped and the others go on', async () => {
    const { api, writes } = fakeApi([node('a-1', 'site-a', false), node('b-1', 'site-b', true)]);
    const r = await upgrade(api, plan, { ...opts, gateTimeoutMs: 30 });
    expect(r.groups[0]).toMatchObject({ group: 'site-a', status: 'skipped' });
    expect(r.groups[0]!.detail).toMatch(/^every node is offline .*kubeedge\/kubeedge#4850/);
    expect(r.groups[1]!.group).toBe('site-b');
    expect(writes[0]).toBe('apply cilium-edge-site-b');
  });
});

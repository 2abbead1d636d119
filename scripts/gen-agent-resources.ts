// Generates src/knowledge/generated/agent-resources.json: per Cilium chart version, every
// API resource the Cilium agent may list and watch, read from the ClusterRole `cilium` that
// `helm template` renders from the real chart package with the chart's default values
// (../shared/upstream/cilium-chart/<version>/cilium-<version>.tgz).
//
// A rule counts when it grants both `list` and `watch`. The API version, kind and feature
// gate of each resource come from src/knowledge/agent-resources-api.ts (the chart's RBAC
// names only group and resource).
//
// Run: node scripts/gen-agent-resources.ts [chartDir [outFile]]
// helm: $KEC_HELM, else the harness's ($KEC_CACHE_DIR or ~/.cache/kec-harness, bin-v1.36.3/helm), else `helm` on PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { binPath } from '../test/cluster/harness/paths.ts';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { FEATURE_GATED, KINDS, NEVER_EMPTY, apiVersionFor } from '../src/knowledge/agent-resources-api.ts';

/** Any version the charts accept (>= 1.21); the agent's ClusterRole does not depend on it. */
const KUBE_VERSION = '1.33.0';

const chartDir =
  process.argv[2] ??
  join(process.env['KEC_UPSTREAM_DIR'] ?? join(import.meta.dirname, '..', '..', 'shared', 'upstream'), 'cilium-chart');
const out = process.argv[3] ?? join(import.meta.dirname, '..', 'src', 'knowledge', 'generated', 'agent-resources.json');

export function helmBinary(): string {
  const env = process.env['KEC_HELM'];
  if (env) return env;
  const cached = binPath('helm');
  return existsSync(cached) ? cached : 'helm';
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}

function agentClusterRole(version: string): Rule[] {
  const tgz = join(chartDir, version, `cilium-${version}.tgz`);
  const text = execFileSync(
    helmBinary(),
    ['template', 'cilium', tgz, '--namespace', 'kube-system', '--kube-version', KUBE_VERSION],
    { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as { kind?: string; metadata?: { name?: string }; rules?: Rule[] } | null;
    if (o?.kind === 'ClusterRole' && o.metadata?.name === 'cilium') return o.rules ?? [];
  }
  throw new Error(`${tgz}: helm template rendered no ClusterRole "cilium"`);
}

const versionKey = (v: string): number[] => v.split('.').map(Number);
const versions = readdirSync(chartDir)
  .filter((d) => /^\d+\.\d+\.\d+$/.test(d) && existsSync(join(chartDir, d, `cilium-${d}.tgz`)))
  .sort((a, b) => {
    const x = versionKey(a);
    const y = versionKey(b);
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });

const byVersion: Record<string, unknown[]> = {};
for (const version of versions) {
  const minor = version.split('.').slice(0, 2).join('.');
  const seen = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const rule of agentClusterRole(version)) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        if (resource.includes('/')) continue; // subresources (status) are written, not watched
        const key = `${group}/${resource}`;
        const e = seen.get(key) ?? { group, resource, verbs: new Set<string>() };
        for (const v of rule.verbs ?? []) e.verbs.add(v);
        seen.set(key, e);
      }
    }
  }
  const rows = [...seen.values()]
    .filter((e) => e.verbs.has('list') && e.verbs.has('watch'))
    .sort((a, b) =>
      a.group === b.group
        ? a.resource < b.resource
          ? -1
          : 1
        : a.group === ''
          ? -1
          : b.group === ''
            ? 1
            : a.group < b.group
              ? -1
              : 1,
    )
    .map((e) => {
      const apiVersion = apiVersionFor(e.group, e.resource, minor);
      const kind = KINDS[e.resource];
      if (!apiVersion || !kind)
        throw new Error(
          `Cilium ${version}: the agent watches ${e.group || 'core'}/${e.resource}, which src/knowledge/agent-resources-api.ts does not know; add its version and kind there`,
        );
      const feature = FEATURE_GATED[e.resource];
      return {
        group: e.group,
        version: apiVersion,
        resource: e.resource,
        kind,
        ...(feature ? { feature } : {}),
        ...(NEVER_EMPTY.has(e.resource) ? { neverEmpty: true } : {}),
      };
    });
  byVersion[version] = rows;
}

const body = {
  source:
    'ClusterRole cilium of `helm template` (default values) of shared/upstream/cilium-chart/<version>/cilium-<version>.tgz',
  kubeVersion: KUBE_VERSION,
  versions: byVersion,
};
const json = JSON.stringify(body, null, 2).replace(
  /\{\n\s+("group"[^}]*?)\n\s+\}/g,
  (_m, inner: string) => `{ ${inner.replace(/\n\s+/g, ' ')} }`,
);
writeFileSync(out, `${json}\n`);
console.log(`wrote ${versions.map((v) => `${v}: ${byVersion[v]!.length}`).join(', ')} agent resources to ${out}`);

// Reads what `kec plan -d DIR` wrote for one edge group: DIR/plan.json and
// DIR/edge/<group>/edgecore-patch.yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InputError, UsageError } from '../errors.ts';
import { KERNEL_FEATURE_NAMES } from '../knowledge/kernel.ts';
import type { KernelFeatureName } from '../knowledge/kernel.ts';

export interface GroupInput {
  ciliumVersion: string;
  group: string;
  features: KernelFeatureName[];
  linkMtu?: number;
  memoryBytes?: number;
  edgecorePatch: Record<string, unknown>;
  patchFile: string;
}

/** The group's record in DIR/plan.json and the plan's Cilium version; InputError/UsageError naming the flag or file. */
export function readPlanGroupRecord(
  dir: string,
  group: string | undefined,
): { ciliumVersion: string; group: string; record: Record<string, unknown> } {
  if (!group) throw new UsageError('--plan needs --group G (the edge group this node belongs to)');
  const file = join(dir, 'plan.json');
  let plan: { cilium?: { version?: string }; groups?: Array<Record<string, unknown>> };
  try {
    plan = JSON.parse(readFileSync(file, 'utf8')) as typeof plan;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `--plan ${dir}: cannot read plan.json (${code === 'ENOENT' ? 'no such file; run kec plan -f SPEC -d DIR first' : (e as Error).message})`,
    );
  }
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan))
    throw new InputError(`${file}: not a kec plan (expected a JSON object); regenerate it with kec plan`);
  const groups = (Array.isArray(plan.groups) ? plan.groups : []).filter(
    (x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x),
  );
  const g = groups.find((x) => x['name'] === group);
  if (!g)
    throw new InputError(
      `--group ${group}: not in ${file}; groups: ${groups.map((x) => String(x['name'])).join(', ') || '(none)'}`,
    );
  const version = plan.cilium?.version;
  if (typeof version !== 'string') throw new InputError(`${file}: cilium.version missing; regenerate the plan`);
  return { ciliumVersion: version, group, record: g };
}

export function readPlanGroup(dir: string, groupName: string | undefined): GroupInput {
  const { ciliumVersion: version, group, record: g } = readPlanGroupRecord(dir, groupName);
  const features = (Array.isArray(g['features']) ? g['features'] : []).filter((f): f is KernelFeatureName =>
    KERNEL_FEATURE_NAMES.includes(f as KernelFeatureName),
  );
  const mtu = g['mtu'] as { link?: unknown } | undefined;
  const mem = g['memory'] as { estimateBytes?: unknown } | undefined;
  const patchFile = join(dir, 'edge', group, 'edgecore-patch.yaml');
  let patch: unknown = g['edgecorePatch'];
  let text: string | undefined;
  try {
    text = readFileSync(patchFile, 'utf8');
  } catch (e) {
    // Only a missing file falls back to plan.json's copy; anything else is the user's to fix.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new InputError(`cannot read ${patchFile}: ${(e as Error).message}`);
  }
  if (text !== undefined) {
    try {
      patch = parse(text, { logLevel: 'error' }) as unknown;
    } catch (e) {
      throw new InputError(`${patchFile} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw new InputError(`${patchFile}: no edgecore patch for group ${group}`);
  return {
    ciliumVersion: version,
    group,
    features,
    ...(typeof mtu?.link === 'number' ? { linkMtu: mtu.link } : {}),
    ...(typeof mem?.estimateBytes === 'number' ? { memoryBytes: mem.estimateBytes } : {}),
    edgecorePatch: patch as Record<string, unknown>,
    patchFile,
  };
}

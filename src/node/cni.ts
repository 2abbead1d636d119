// /etc/cni/net.d: the container runtime loads the first config (by name) ending in
// .conf, .conflist or .json. Another CNI's config, or a leftover one, wins over Cilium's
// 05-cilium.conflist or breaks pod sandboxes (kubeedge/kubeedge#6612).
import type { FsRoot } from './fsroot.ts';
import { check } from './checks.ts';
import type { Check } from '../check.ts';

export const CNI_DIR = '/etc/cni/net.d';
/** Suffix `kec node prepare` gives a config it disables (the runtime ignores it). */
export const DISABLED_SUFFIX = '.kec-bak';
const LOADED = /\.(conf|conflist|json)$/;

export interface CniConfig {
  file: string;
  path: string;
  name?: string;
  plugins: string[];
  cilium: boolean;
  /** Not valid JSON: the runtime fails on it too. */
  invalid?: string;
}

export function scanCni(fs: FsRoot): CniConfig[] | undefined {
  const names = fs.list(CNI_DIR);
  if (!names) return undefined;
  const out: CniConfig[] = [];
  for (const file of names) {
    if (file.startsWith('.') || !LOADED.test(file)) continue;
    const path = `${CNI_DIR}/${file}`;
    if (!fs.isFile(path)) continue;
    const text = fs.readText(path) ?? '';
    let name: string | undefined;
    let plugins: string[] = [];
    let invalid: string | undefined;
    try {
      const doc = JSON.parse(text) as { name?: unknown; type?: unknown; plugins?: Array<{ type?: unknown }> };
      name = typeof doc.name === 'string' ? doc.name : undefined;
      plugins = Array.isArray(doc.plugins)
        ? doc.plugins.map((p) => String(p?.type ?? '?'))
        : typeof doc.type === 'string'
          ? [doc.type]
          : [];
    } catch (e) {
      invalid = (e as Error).message;
    }
    const cilium = plugins.includes('cilium-cni') || name === 'cilium' || /cilium/.test(file);
    out.push({
      file,
      path,
      ...(name !== undefined ? { name } : {}),
      plugins,
      cilium,
      ...(invalid !== undefined ? { invalid } : {}),
    });
  }
  return out;
}

/** Configs `kec node prepare` disables: everything the runtime would load that is not Cilium's. */
export function conflicting(configs: readonly CniConfig[]): CniConfig[] {
  return configs.filter((c) => !c.cilium);
}

export function cniCheck(fs: FsRoot): Check {
  const configs = scanCni(fs);
  if (!configs) return check('cni.conflicts', 'base', 'pass', `${CNI_DIR} does not exist yet (Cilium creates it)`);
  const others = conflicting(configs);
  const invalid = configs.filter((c) => c.invalid);
  const cilium = configs.filter((c) => c.cilium);
  const desc = (c: CniConfig): string => `${c.file} (${c.plugins.join('+') || c.name || 'unknown'})`;
  if (others.length || invalid.length) {
    return check(
      'cni.conflicts',
      'base',
      'fail',
      `${CNI_DIR} has ${[...others.map(desc), ...invalid.filter((c) => c.cilium).map((c) => `${c.file} (invalid JSON)`)].join(', ')}: the runtime uses the first config by name, so pods would not get Cilium (kubeedge/kubeedge#6612)`,
      `kec node prepare (backs them up and renames them to *${DISABLED_SUFFIX})`,
    );
  }
  if (cilium.length)
    return check(
      'cni.conflicts',
      'base',
      'warn',
      `${CNI_DIR} already has ${cilium.map((c) => c.file).join(', ')} (leftover of an earlier Cilium? the agent rewrites it)`,
    );
  return check('cni.conflicts', 'base', 'pass', `${CNI_DIR}: no other CNI configuration`);
}

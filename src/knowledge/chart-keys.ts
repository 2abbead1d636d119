// Which Helm value key paths exist in which Cilium chart version; generated from the
// real values.yaml files by scripts/gen-chart-keys.ts (see that file for the kinds).
import data from './generated/chart-keys.json' with { type: 'json' };

export type KeyKind = 'm' | 'v' | 'o' | 'c';
const versions: string[] = data.versions;
const paths = data.paths as Record<string, Array<KeyKind | 0>>;

export const CHART_KEY_VERSIONS: readonly string[] = versions;

/** The chart version whose key table stands for a Cilium minor ("1.18" → "1.18.12"), if kec has it. */
export function chartVersionFor(minor: string): string | undefined {
  return versions.find((v) => v.startsWith(`${minor}.`));
}

export function keyKind(chartVersion: string, path: string): KeyKind | undefined {
  const i = versions.indexOf(chartVersion);
  if (i < 0) return undefined;
  const k = paths[path]?.[i];
  return k === 0 || k === undefined ? undefined : k;
}

export type KeyCheck = { ok: true; via: string } | { ok: false; unknown: string; existsIn: string[]; nearest?: string };

/**
 * Checks one key path of a values document against a chart version. A path is known
 * when it, or one of its prefixes that is an open value (pass-through object, map
 * without fixed keys, list), is in the chart. Otherwise `unknown` is the shortest
 * prefix the chart does not have (where the typo is).
 */
export function checkKeyPath(chartVersion: string, path: string): KeyCheck {
  const parts = path.split('.');
  let n = 1;
  for (; n <= parts.length; n++) {
    const prefix = parts.slice(0, n).join('.');
    const kind = keyKind(chartVersion, prefix);
    if (kind === undefined) break;
    if (n === parts.length || kind === 'o') return { ok: true, via: prefix };
  }
  const unknown = parts.slice(0, n).join('.');
  const existsIn = versions.filter((v) => keyKind(v, unknown) !== undefined);
  const nearest = nearestKey(chartVersion, unknown);
  return nearest === undefined ? { ok: false, unknown, existsIn } : { ok: false, unknown, existsIn, nearest };
}

/** The chart key closest in spelling to `path` among siblings (for "did you mean"). */
function nearestKey(chartVersion: string, path: string): string | undefined {
  const i = versions.indexOf(chartVersion);
  const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.') + 1) : '';
  const leaf = path.slice(parent.length).toLowerCase();
  let best: { key: string; d: number } | undefined;
  for (const [p, kinds] of Object.entries(paths)) {
    if (!kinds[i] || !p.startsWith(parent) || p.slice(parent.length).includes('.')) continue;
    const d = editDistance(leaf, p.slice(parent.length).toLowerCase());
    if (d <= Math.max(2, Math.floor(leaf.length / 4)) && (!best || d < best.d)) best = { key: p, d };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** Leaf key paths of a values object, stopping at arrays (a list value is one key). */
export function keyPathsOf(values: unknown, prefix = ''): string[] {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return prefix ? [prefix] : [];
  const entries = Object.entries(values as Record<string, unknown>);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([k, v]) => keyPathsOf(v, prefix ? `${prefix}.${k}` : k));
}

/** Every key path a chart version has (for "moved to" suggestions). */
export function chartKeyPaths(chartVersion: string): string[] {
  const i = versions.indexOf(chartVersion);
  return i < 0
    ? []
    : Object.entries(paths)
        .filter(([, kinds]) => kinds[i])
        .map(([p]) => p);
}

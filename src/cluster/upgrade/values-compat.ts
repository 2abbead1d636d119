// Which Helm values of the running release the target chart no longer has: reported
// before an upgrade changes anything. Helm ignores unknown keys silently, so a value that
// was removed or renamed simply stops working after the upgrade.
import { chartKeyPaths, chartVersionFor, checkKeyPath, keyPathsOf } from '../../knowledge/chart-keys.ts';
import { minorOf, parseVersion } from '../../util/version.ts';

export interface RemovedValue {
  key: string;
  /** A key of the target chart that probably replaces it (same last segment, or nearest spelling). */
  suggestion?: string;
}

export interface ValuesCompat {
  fromChart: string | undefined;
  toChart: string | undefined;
  removed: RemovedValue[];
  /** Keys the check could not judge because kec has no key table for a version. */
  unchecked: boolean;
}

function tableFor(version: string): string | undefined {
  const v = parseVersion(version);
  return v ? chartVersionFor(minorOf(v)) : undefined;
}

export function valuesCompatibility(values: Record<string, unknown>, from: string, to: string): ValuesCompat {
  const fromChart = tableFor(from);
  const toChart = tableFor(to);
  if (!toChart) return { fromChart, toChart, removed: [], unchecked: true };
  const targetPaths = chartKeyPaths(toChart);
  const removed: RemovedValue[] = [];
  const seen = new Set<string>();
  for (const key of keyPathsOf(values)) {
    const r = checkKeyPath(toChart, key);
    if (r.ok || seen.has(r.unknown)) continue;
    seen.add(r.unknown);
    const leaf = r.unknown.split('.').pop()!;
    const moved = targetPaths.find((p) => p.endsWith(`.${leaf}`) || p === leaf);
    const suggestion = r.nearest ?? moved;
    removed.push(suggestion ? { key: r.unknown, suggestion } : { key: r.unknown });
  }
  return { fromChart, toChart, removed, unchecked: false };
}

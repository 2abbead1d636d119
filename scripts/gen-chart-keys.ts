// Generates src/knowledge/generated/chart-keys.json from the real Cilium chart
// values.yaml files in ../shared/upstream/cilium-chart/<version>/.
//
// For every key path in any version it records in which versions the path exists
// and what it holds there:
//   m  a mapping with keys of its own (deeper paths are listed)
//   v  a scalar value (or null)
//   o  an open value: an empty map/list, a list, or a Kubernetes object the chart
//      passes through verbatim (affinity, nodeSelector, resources, ...): any key
//      below it is the user's and not a chart key
//   c  documented in values.yaml only as a commented-out key (e.g. 1.16's
//      `#kubeProxyReplacement: "false"`): the templates read it, values.yaml has no default
// Run: node scripts/gen-chart-keys.ts [chartDir [outFile]]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PASS_THROUGH_KEYS } from '../src/knowledge/chart-passthrough.ts';

type Kind = 'm' | 'v' | 'o' | 'c';

const chartDir =
  process.argv[2] ??
  join(process.env['KEC_UPSTREAM_DIR'] ?? join(import.meta.dirname, '..', '..', 'shared', 'upstream'), 'cilium-chart');
const out = process.argv[3] ?? join(import.meta.dirname, '..', 'src', 'knowledge', 'generated', 'chart-keys.json');

function versionKey(v: string): number[] {
  return v.split('.').map(Number);
}
const versions = readdirSync(chartDir)
  .filter((d) => /^\d+\.\d+\.\d+$/.test(d))
  .sort((a, b) => {
    const x = versionKey(a);
    const y = versionKey(b);
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });

function walk(node: unknown, prefix: string, into: Map<string, Kind>): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (PASS_THROUGH_KEYS.has(k) || Array.isArray(v)) {
      into.set(path, 'o');
    } else if (v !== null && typeof v === 'object') {
      if (Object.keys(v).length === 0) into.set(path, 'o');
      else {
        into.set(path, 'm');
        walk(v, path, into);
      }
    } else {
      into.set(path, 'v');
    }
  }
}

/** Keys that values.yaml documents only in a comment directly under a `# --` doc block. */
function commentedKeys(text: string): string[] {
  const found: string[] = [];
  const stack: Array<{ indent: number; key: string }> = [];
  let docBlock = false;
  for (const line of text.split('\n')) {
    const key = /^(\s*)([A-Za-z0-9_-]+):(\s|$)/.exec(line);
    if (key) {
      const indent = key[1]!.length;
      while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
      stack.push({ indent, key: key[2]! });
      docBlock = false;
      continue;
    }
    if (/^\s*# --/.test(line)) docBlock = true;
    const commented = /^(\s*)#([A-Za-z][A-Za-z0-9]*):\s*\S/.exec(line);
    if (commented && docBlock) {
      const indent = commented[1]!.length;
      const parents = stack.filter((s) => s.indent < indent).map((s) => s.key);
      found.push([...parents, commented[2]!].join('.'));
      docBlock = false;
    } else if (!/^\s*#/.test(line) && line.trim() !== '') {
      docBlock = false;
    }
  }
  return found;
}

const table: Record<string, Array<Kind | 0>> = {};
versions.forEach((version, i) => {
  const text = readFileSync(join(chartDir, version, 'values.yaml'), 'utf8');
  const keys = new Map<string, Kind>();
  walk(parse(text), '', keys);
  for (const c of commentedKeys(text)) if (!keys.has(c)) keys.set(c, 'c');
  for (const [path, kind] of keys) {
    const row = (table[path] ??= versions.map(() => 0 as const));
    row[i] = kind;
  }
});

const sorted = Object.fromEntries(Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const body = { source: 'shared/upstream/cilium-chart/<version>/values.yaml', versions, paths: sorted };
writeFileSync(out, `${JSON.stringify(body, null, 0).replace(/\],"/g, '],\n"')}\n`);
console.log(`wrote ${Object.keys(sorted).length} key paths for ${versions.join(', ')} to ${out}`);

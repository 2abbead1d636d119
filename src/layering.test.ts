// The layering rules of docs/DEVELOPING.md, checked on the source itself: folders import
// each other without cycles, nothing outside src/cli imports src/cli, and production code
// never imports test kits (*.testkit.ts: test helpers beside the code they help test).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = dirname(new URL(import.meta.url).pathname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Relative imports (static, type-only and dynamic) of a file, as absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s));
}

const folderOf = (file: string): string => relative(SRC, dirname(file)) || '.';
const isTestCode = (file: string): boolean => file.endsWith('.testkit.ts');
const files = sources(SRC).filter((f) => !isTestCode(f));
const testKits = sources(SRC).filter(isTestCode);
const edges = new Map<string, Set<string>>();
for (const f of files) {
  for (const target of importsOf(f)) {
    if (!target.startsWith(SRC)) continue;
    const [from, to] = [folderOf(f), folderOf(target)];
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
  }
}

/** Every cycle's folders, found by depth-first search. */
function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') found.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of [...edges.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
}

describe('layering', () => {
  it('has no import cycle between folders', () => {
    expect(cycles().map((c) => c.join(' -> '))).toEqual([]);
  });

  it('keeps src/cli to itself: no other folder imports it', () => {
    const offenders = files
      .filter((f) => !folderOf(f).startsWith('cli'))
      .flatMap((f) =>
        importsOf(f)
          .filter((t) => relative(SRC, t).startsWith('cli/'))
          .map((t) => `${relative(SRC, f)} -> ${relative(SRC, t)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('never imports a .testkit.ts from production code', () => {
    expect(testKits.length).toBeGreaterThan(0);
    const offenders = files.flatMap((f) =>
      importsOf(f)
        .filter((t) => t.endsWith('.testkit.ts'))
        .map((t) => `${relative(SRC, f)} -> ${relative(SRC, t)}`),
    );
    expect(offenders).toEqual([]);
  });
});

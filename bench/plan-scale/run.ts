// bench/plan-scale: `kec plan` for 50 and 500 edge groups (500 groups = 10,000 nodes).
// Reports the median time of each size, in-process (validate + plan + render) and as the
// bundled CLI process writing its files, and the ratio 500/50 (goal <= 12x: planning
// must grow about linearly with the number of groups).
// Run: node bench/plan-scale/run.ts   (after `make build`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { validateSpec } from '../../src/edgenetwork/validate.ts';
import { buildPlan } from '../../src/plan/plan.ts';
import { renderPlan } from '../../src/plan/render.ts';
import { specWithGroups } from './spec.ts';

const ROOT = join(import.meta.dirname, '..', '..');
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function inProcess(raw: Record<string, unknown>, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = validateSpec(raw);
    if (!r.value) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
    const plan = buildPlan(r.value);
    if (plan.errors.length) throw new Error('plan failed');
    renderPlan(plan);
    times.push(performance.now() - t0);
  }
  return median(times);
}

function cli(file: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'kec-bench-out-'));
    const t0 = performance.now();
    execFileSync(process.execPath, [join(ROOT, 'dist', 'kec.mjs'), 'plan', '-f', file, '-d', join(out, 'p')], {
      stdio: 'ignore',
    });
    times.push(performance.now() - t0);
    rmSync(out, { recursive: true, force: true });
  }
  return median(times);
}

const work = mkdtempSync(join(tmpdir(), 'kec-bench-'));
const small = specWithGroups(50, 1000);
const large = specWithGroups(500, 10000);
const smallFile = join(work, 'small.yaml');
const largeFile = join(work, 'large.yaml');
writeFileSync(smallFile, stringify(small, { aliasDuplicateObjects: false }));
writeFileSync(largeFile, stringify(large, { aliasDuplicateObjects: false }));

inProcess(small, 5); // warm up the JIT
inProcess(large, 2);
const runs = Number(process.env['RUNS'] ?? 15);
const lib50 = inProcess(small, runs);
const lib500 = inProcess(large, runs);
const cli50 = cli(smallFile, Math.max(3, Math.floor(runs / 3)));
const cli500 = cli(largeFile, Math.max(3, Math.floor(runs / 3)));
rmSync(work, { recursive: true, force: true });

const result = {
  benchmark: 'plan-scale',
  node: process.versions.node,
  runs,
  inProcessMs: { groups50: +lib50.toFixed(2), groups500: +lib500.toFixed(2), ratio: +(lib500 / lib50).toFixed(2) },
  cliMs: { groups50: +cli50.toFixed(1), groups500: +cli500.toFixed(1), ratio: +(cli500 / cli50).toFixed(2) },
  goal: 'ratio 500/50 <= 12',
  ok: lib500 / lib50 <= 12 && cli500 / cli50 <= 12,
};
console.log(JSON.stringify(result, null, 2));
process.exitCode = result.ok ? 0 : 1;

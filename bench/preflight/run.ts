// bench/preflight: full `kec node preflight -o json` against `bpftool -j feature probe`
// on the same machine, interleaved in one run (the baseline), plus peak RSS of kec.
// Goals: wall time <= 0.5x bpftool's; peak RSS <= 60 MB. Needs root, bpftool and GNU
// time (/usr/bin/time, for max RSS). `nodeStartupOnly` (node -e 0) shows the floor any
// Node CLI pays. Run: node bench/preflight/run.ts [iterations]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findBpftool } from '../../src/node/bpftool.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const KEC = join(ROOT, 'dist', 'kec.mjs');
const N = Number(process.argv[2] ?? 30);
const bpftool = findBpftool();
if (!existsSync(KEC)) throw new Error('build first: node scripts/build.mjs');
if (!bpftool || process.geteuid?.() !== 0) throw new Error('needs root and bpftool (the baseline)');

/** Wall ms of one child, timed by a wrapper process so that every command pays the same spawn cost. */
function measure(cmd: string, args: string[]): { ms: number } {
  const wrapper = `const {spawnSync}=require('node:child_process');const t=process.hrtime.bigint();const r=spawnSync(${JSON.stringify(cmd)},${JSON.stringify(args)},{stdio:'ignore'});const ms=Number(process.hrtime.bigint()-t)/1e6;process.stdout.write(JSON.stringify({ms,code:r.status}));`;
  const res = spawnSync(process.execPath, ['-e', wrapper], { encoding: 'utf8' });
  if (!res.stdout) throw new Error(`measure failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as { ms: number };
}

function childRss(cmd: string, args: string[]): number {
  const res = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8' });
  return Number(res.stderr.trim().split('\n').pop());
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const series = { bpftool: [] as number[], warm: [] as number[], cold: [] as number[], kernelOnly: [] as number[] };
const kecArgs = (extra: string[]): string[] => [KEC, 'node', 'preflight', '-o', 'json', ...extra];
for (let i = 0; i < N; i++) {
  series.bpftool.push(measure(bpftool, ['-j', 'feature', 'probe']).ms);
  series.warm.push(measure(process.execPath, kecArgs([])).ms);
  series.cold.push(measure(process.execPath, kecArgs(['--no-probe-cache'])).ms);
  series.kernelOnly.push(measure(process.execPath, ['-e', '0']).ms);
}
const rss = existsSync('/usr/bin/time')
  ? Math.max(...Array.from({ length: 5 }, () => childRss(process.execPath, kecArgs(['--no-probe-cache']))))
  : NaN;
const b = median(series.bpftool);
const report = {
  iterations: N,
  medianMs: {
    bpftoolFeatureProbe: b,
    preflightWarmCache: median(series.warm),
    preflightColdNoCache: median(series.cold),
    nodeStartupOnly: median(series.kernelOnly),
  },
  ratioVsBpftool: {
    warm: +(median(series.warm) / b).toFixed(2),
    cold: +(median(series.cold) / b).toFixed(2),
    nodeStartupOnly: +(median(series.kernelOnly) / b).toFixed(2),
  },
  goalRatio: 0.5,
  peakRssMB: +(rss / 1024).toFixed(1),
  goalRssMB: 60,
};
console.log(JSON.stringify(report, null, 2));

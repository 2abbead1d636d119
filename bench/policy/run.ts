// Policy engine bench: 2,000 identities × 1,000 policies. Compiled engine (identities × rules)
// vs the straightforward per-flow evaluator (every policy for every pair), same run.
// The baseline is timed on a random sample of pairs and extrapolated to the full matrix;
// the sample is also checked for agreement. Usage: node bench/policy/run.ts [pods] [policies] [samplePairs]
import { compileMatrix } from '../../src/policy/compile.ts';
import { podEndpoints } from '../../src/policy/endpoints.ts';
import { evaluateFlow } from '../../src/policy/evaluate.ts';
import type { FlowL4 } from '../../src/policy/match.ts';
import { rng, syntheticWorld } from '../../src/policy/synthetic.ts';

const pods = Number(process.argv[2] ?? 2020); // 2,020 pods: 2,000 pod identities (every 97th pod is hostNetwork) + host + remote-node
const policies = Number(process.argv[3] ?? 1000);
const sample = Number(process.argv[4] ?? 20000);
const q: FlowL4 = { port: 80, protocol: 'TCP' };

const t0 = performance.now();
const w = syntheticWorld(pods, policies, 42);
const eps = podEndpoints(w.inventory);
const tParse = performance.now() - t0;

const runs: number[] = [];
let m = compileMatrix(w.sets, eps, q);
for (let i = 0; i < 3; i++) {
  const s = performance.now();
  m = compileMatrix(w.sets, eps, q);
  runs.push(performance.now() - s);
}
const compiled = Math.min(...runs);
const pairs = eps.length * eps.length;

const r = rng(7);
let disagree = 0;
const s = performance.now();
for (let k = 0; k < sample; k++) {
  const i = Math.floor(r() * eps.length);
  const j = Math.floor(r() * eps.length);
  const v = evaluateFlow(w.sets, eps[i]!, eps[j]!, q).verdict === 'allowed';
  if (v !== (m.allowed[i * eps.length + j] === 1)) disagree++;
}
const perPair = (performance.now() - s) / sample;
const baselineFull = perPair * pairs;
let allowed = 0;
for (const v of m.allowed) allowed += v;

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
console.log(
  `policy bench: ${eps.length} pods (${m.identities} identities incl. host/remote-node), ${w.sets.length} rules from ${policies} policies, ${pairs.toLocaleString('en')} pairs, probe ${q.port}/${q.protocol}`,
);
console.log(`  generate + parse policies:       ${fmt(tParse)}`);
console.log(
  `  compiled engine, full matrix:     ${fmt(compiled)} (best of 3; ${((compiled * 1e6) / pairs).toFixed(1)} ns/pair; ${((100 * allowed) / pairs).toFixed(1)}% allowed)`,
);
console.log(
  `  per-pair evaluator (baseline):    ${(perPair * 1000).toFixed(1)} µs/pair over ${sample} sampled pairs → full matrix ≈ ${fmt(baselineFull)}`,
);
console.log(`  speed-up (baseline / compiled):   ${(baselineFull / compiled).toFixed(0)}×  (goal ≥ 100×)`);
console.log(`  agreement on the sample:          ${sample - disagree}/${sample}`);
if (disagree > 0) process.exitCode = 1;

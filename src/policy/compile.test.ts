import { describe, expect, it } from 'vitest';
import { compileMatrix } from './compile.ts';
import { externalEndpoints, podEndpoints } from './endpoints.ts';
import { evaluateFlow } from './evaluate.ts';
import type { FlowL4 } from './match.ts';
import { rng, syntheticWorld } from './synthetic.ts';

// The compiled engine must give the same verdict as the straightforward per-flow evaluator.
describe('compiled engine agrees with the per-flow evaluator', () => {
  const probes: FlowL4[] = [
    { port: 80, protocol: 'TCP' },
    { port: 8080, protocol: 'TCP' },
    { port: 53, protocol: 'UDP' },
    { port: 85, protocol: 'TCP' },
    { port: 8, protocol: 'ICMP' },
  ];
  for (const seed of [1, 2, 3, 4]) {
    it(`every pair, seed ${seed}`, () => {
      const w = syntheticWorld(120, 150, seed, 6);
      const eps = [...podEndpoints(w.inventory), ...externalEndpoints(w.inventory)];
      for (const q of probes) {
        const m = compileMatrix(w.sets, eps, q);
        const n = eps.length;
        let allowed = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            const v = evaluateFlow(w.sets, eps[i]!, eps[j]!, q).verdict === 'allowed';
            if (v !== (m.allowed[i * n + j] === 1))
              expect.fail(`${eps[i]!.id} -> ${eps[j]!.id} ${q.port}/${q.protocol}: evaluator ${v}, compiled ${!v}`);
            allowed += v ? 1 : 0;
          }
        // Not degenerate: some flows allowed and some denied.
        expect(allowed).toBeGreaterThan(0);
        expect(allowed).toBeLessThan(n * n);
      }
    });
  }
  it('a random sample of a large world', () => {
    const w = syntheticWorld(800, 600, 9);
    const eps = podEndpoints(w.inventory);
    const q: FlowL4 = { port: 80, protocol: 'TCP' };
    const m = compileMatrix(w.sets, eps, q);
    const r = rng(5);
    for (let k = 0; k < 3000; k++) {
      const i = Math.floor(r() * eps.length);
      const j = Math.floor(r() * eps.length);
      expect(m.allowed[i * eps.length + j] === 1).toBe(evaluateFlow(w.sets, eps[i]!, eps[j]!, q).verdict === 'allowed');
    }
    expect(m.identities).toBeGreaterThan(790);
  });
});

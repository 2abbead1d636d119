// Policy view models, pure: the reachability matrix for one port (the compiled engine) and the
// trace of one cell (the per-flow evaluator) with the rule that decided it.
import { compileMatrix } from '../policy/compile.ts';
import type { Endpoint } from '../policy/endpoints.ts';
import type { Reason, Verdict } from '../policy/evaluate.ts';
import { evaluateFlow } from '../policy/evaluate.ts';
import type { FlowL4 } from '../policy/match.ts';
import { diffMatrices, probePorts } from '../policy/report.ts';
import type { PolicySet } from '../policy/types.ts';
import type { MatrixView, PolicyDiffView, TraceReason, TraceView } from './types.ts';

export function matrixView(sets: readonly PolicySet[], endpoints: Endpoint[], q: FlowL4): MatrixView {
  const m = compileMatrix(sets, endpoints, q);
  let allowedCount = 0;
  for (const v of m.allowed) allowedCount += v;
  return {
    port: q.port,
    protocol: q.protocol,
    ports: probePorts(endpoints, [...sets]).map((p) => ({ port: p.port, protocol: p.protocol })),
    endpoints: m.endpoints.map((e) => e.id),
    allowed: Array.from(m.allowed),
    allowedCount,
    identities: m.identities,
  };
}

const reasonView = (r: Reason): TraceReason => ({
  policy: r.namespace !== undefined && r.policy !== '' ? `${r.namespace}/${r.policy}` : r.policy,
  kind: r.kind,
  rule: r.rule,
  effect: r.effect,
  text: r.text,
});

/** The reason that decided: in the first denying direction its deny, else the ingress (then egress) allow. */
export function decidingReason(v: Verdict): Reason {
  const unknown: Reason = { policy: '', kind: '', rule: '', effect: 'not-selected', text: 'no reason recorded' };
  if (v.verdict === 'denied') {
    const d = v.egress.verdict === 'denied' ? v.egress : v.ingress;
    const deny = d.reasons.find((r) => r.effect === 'deny' || r.effect === 'default-deny' || r.effect === 'l7-deny');
    return deny ?? d.reasons[0] ?? unknown;
  }
  const allow = (rs: Reason[]): Reason | undefined =>
    rs.find((r) => r.effect === 'allow' || r.effect === 'l7-allow') ?? rs[0];
  return allow(v.ingress.reasons) ?? allow(v.egress.reasons) ?? unknown;
}

export function traceView(sets: readonly PolicySet[], src: Endpoint, dst: Endpoint, q: FlowL4): TraceView {
  const v = evaluateFlow(sets, src, dst, q);
  return {
    from: src.id,
    to: dst.id,
    port: q.port,
    protocol: q.protocol,
    verdict: v.verdict,
    egress: { verdict: v.egress.verdict, reasons: v.egress.reasons.map(reasonView) },
    ingress: { verdict: v.ingress.verdict, reasons: v.ingress.reasons.map(reasonView) },
    deciding: reasonView(decidingReason(v)),
  };
}

/** Verdicts that change from one policy set to another (as kec policy diff), on every port pods and rules name. */
export function diffView(
  oldSets: readonly PolicySet[],
  newSets: readonly PolicySet[],
  endpoints: Endpoint[],
  source: string,
): PolicyDiffView {
  const probes = probePorts(endpoints, [...oldSets, ...newSets]);
  const changes = diffMatrices([...oldSets], [...newSets], endpoints, probes);
  return {
    source,
    probes: probes.map((p) => `${p.port}/${p.protocol}`),
    changes,
    opened: changes.filter((c) => c.new).length,
    closed: changes.filter((c) => !c.new).length,
  };
}

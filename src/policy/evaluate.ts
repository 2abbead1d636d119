// The per-flow evaluator: straightforward, one flow at a time, with the reasons that decided
// it. `trace` uses it; the bench uses it as the baseline the compiled engine must agree with.
// Semantics (docs/policy.md): a flow is allowed when the source's egress AND the destination's
// ingress allow it; per direction, deny rules win, then default deny applies if any policy
// selecting the endpoint enforces that direction, then any matching allow rule allows.
import type { Endpoint } from './endpoints.ts';
import { relativeLabels } from './endpoints.ts';
import type { FlowL4 } from './match.ts';
import { l4Matches, peerMatches } from './match.ts';
import { matches } from './selector.ts';
import type { Direction, HttpMatch, PolicySet, Rule } from './types.ts';

export interface HttpRequest {
  method: string;
  path: string;
  host?: string;
}
export interface Query extends FlowL4 {
  http?: HttpRequest;
}

export type Effect =
  'allow' | 'deny' | 'default-deny' | 'not-enforced' | 'not-selected' | 'local-host' | 'l7-allow' | 'l7-deny';

export interface Reason {
  policy: string;
  namespace?: string;
  kind: string;
  rule: string;
  effect: Effect;
  text: string;
}

export interface DirectionVerdict {
  verdict: 'allowed' | 'denied';
  reasons: Reason[];
  /** HTTP rules that restrict the allowed flow (when no request was given to check). */
  l7?: HttpMatch[];
}

export interface Verdict {
  verdict: 'allowed' | 'denied';
  egress: DirectionVerdict;
  ingress: DirectionVerdict;
}

const none = (effect: Effect, text: string): Reason => ({ policy: '', kind: '', rule: '', effect, text });

function reason(set: PolicySet, rule: Rule | undefined, effect: Effect, text: string): Reason {
  const r: Reason = { policy: set.ref.name, kind: set.ref.kind, rule: rule ? rule.path : set.path, effect, text };
  if (set.ref.namespace !== undefined) r.namespace = set.ref.namespace;
  return r;
}

export function policyName(set: PolicySet): string {
  return set.ref.namespace !== undefined ? `${set.ref.namespace}/${set.ref.name}` : set.ref.name;
}

const fullMatch = (re: string, s: string): boolean => new RegExp(`^(?:${re})$`).test(s);

export function httpMatches(h: HttpMatch, req: HttpRequest): boolean {
  if (h.method !== undefined && !fullMatch(h.method, req.method)) return false;
  if (h.path !== undefined && !fullMatch(h.path, req.path)) return false;
  if (h.host !== undefined && (req.host === undefined || !fullMatch(h.host, req.host))) return false;
  return true;
}

/** One direction: `subject` is the endpoint whose policy applies, `peer` the other side. */
export function evaluateDirection(
  sets: readonly PolicySet[],
  subject: Endpoint,
  peer: Endpoint,
  dir: Direction,
  q: Query,
): DirectionVerdict {
  if (!subject.managed) {
    return {
      verdict: 'allowed',
      reasons: [
        none('not-enforced', `${subject.id} is not a Cilium-managed pod: its ${dir} is not enforced by these policies`),
      ],
    };
  }
  const peerLabels = relativeLabels(peer, subject);
  const dst = dir === 'ingress' ? subject : peer;
  const applicable = sets.filter((s) => !s.hostPolicy && matches(s.subject, subject.labels));
  for (const s of applicable) {
    for (const r of s.deny[dir]) {
      if (r.peers.some((p) => peerMatches(p, peer, peerLabels)) && matchL4(r, q, dst) !== undefined) {
        return { verdict: 'denied', reasons: [reason(s, r, 'deny', `denied by ${policyName(s)} ${r.path}`)] };
      }
    }
  }
  if (dir === 'ingress' && peer.kind === 'node' && peer.node === subject.node) {
    return {
      verdict: 'allowed',
      reasons: [
        none('local-host', `traffic from the pod's own node (${peer.id}) is always allowed (deny rules aside)`),
      ],
    };
  }
  const enforcing = applicable.filter((s) => s.defaultDeny[dir]);
  if (enforcing.length === 0) {
    const text =
      applicable.length === 0
        ? `no policy selects ${subject.id}: ${dir} allowed`
        : `policies select ${subject.id} but none has ${dir} rules (or enableDefaultDeny.${dir} is false): ${dir} allowed`;
    return { verdict: 'allowed', reasons: [none(applicable.length === 0 ? 'not-selected' : 'not-enforced', text)] };
  }
  const requires = applicable.flatMap((s) => s.requires[dir].map((sel) => ({ s, sel })));
  const failed = requires.find(({ sel }) => !matches(sel, peerLabels));
  const allows: { s: PolicySet; r: Rule; http: HttpMatch[] | 'any' }[] = [];
  if (!failed) {
    for (const s of applicable) {
      for (const r of s.allow[dir]) {
        if (!r.peers.some((p) => peerMatches(p, peer, peerLabels))) continue;
        const l4 = matchL4(r, q, dst);
        if (l4 !== undefined) allows.push({ s, r, http: l4 });
      }
    }
  }
  const defaultDeny = (): Reason[] =>
    enforcing.map((s) =>
      reason(
        s,
        undefined,
        'default-deny',
        `default deny: selected by ${policyName(s)}${failed && failed.s === s ? ` (peer fails requirement ${failed.sel.text})` : ''}`,
      ),
    );
  if (allows.length === 0) return { verdict: 'denied', reasons: defaultDeny() };
  // An allow without L7 rules on this port lifts L7 restrictions of other rules (rules are ORed).
  const l4only = allows.find((a) => a.http === 'any');
  if (l4only)
    return {
      verdict: 'allowed',
      reasons: [reason(l4only.s, l4only.r, 'allow', `allowed by ${policyName(l4only.s)} ${l4only.r.path}`)],
    };
  const http = allows.flatMap((a) => (a.http === 'any' ? [] : a.http));
  if (!q.http) {
    const a = allows[0]!;
    return {
      verdict: 'allowed',
      l7: http,
      reasons: [
        reason(
          a.s,
          a.r,
          'allow',
          `allowed at L4 by ${policyName(a.s)} ${a.r.path}; HTTP requests restricted to: ${http.map(httpText).join(' | ')}`,
        ),
      ],
    };
  }
  for (const a of allows) {
    const h = (a.http as HttpMatch[]).find((x) => httpMatches(x, q.http!));
    if (h)
      return {
        verdict: 'allowed',
        reasons: [
          reason(
            a.s,
            a.r,
            'l7-allow',
            `HTTP ${q.http.method} ${q.http.path} allowed by ${policyName(a.s)} ${a.r.path} (${httpText(h)})${h.headers.length ? `; header rules not checked: ${h.headers.join(', ')}` : ''}`,
          ),
        ],
      };
  }
  return {
    verdict: 'denied',
    reasons: allows.map((a) =>
      reason(
        a.s,
        a.r,
        'l7-deny',
        `HTTP ${q.http!.method} ${q.http!.path} matches no HTTP rule of ${policyName(a.s)} ${a.r.path}`,
      ),
    ),
  };
}

/** undefined = L4 does not match; 'any' = matches without L7 restriction; else the HTTP rules that apply. */
function matchL4(r: Rule, q: Query, dst: Endpoint): HttpMatch[] | 'any' | undefined {
  // Named ports resolve only on Cilium-managed pods (a hostNetwork pod is its node).
  const m = l4Matches(r, q, dst.kind === 'node' ? [] : dst.ports);
  if (m === 'all') return 'any';
  if (m.length === 0) return undefined;
  if (m.some((pr) => pr.http === undefined)) return 'any';
  return m.flatMap((pr) => pr.http ?? []);
}

export function httpText(h: HttpMatch): string {
  const parts = [
    h.method ? `method ${h.method}` : '',
    h.path ? `path ${h.path}` : '',
    h.host ? `host ${h.host}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' ') : 'any request';
}

export function evaluateFlow(sets: readonly PolicySet[], src: Endpoint, dst: Endpoint, q: Query): Verdict {
  const egress = evaluateDirection(sets, src, dst, 'egress', q);
  const ingress = evaluateDirection(sets, dst, src, 'ingress', q);
  return {
    verdict: egress.verdict === 'allowed' && ingress.verdict === 'allowed' ? 'allowed' : 'denied',
    egress,
    ingress,
  };
}

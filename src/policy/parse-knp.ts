// networking.k8s.io/v1 NetworkPolicy → PolicySet. Validation follows the API server
// (k8s pkg/apis/networking/validation: ValidateNetworkPolicySpec); translation follows
// Cilium's pkg/k8s/network_policy.go (namespace scoping, ipBlock → CIDR rules).
import type { PathPart } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import { parseCidr, cidrContainsIP } from '../util/cidr.ts';
import type { Ctx, Obj } from './parse-common.ts';
import { isServiceName, parseSelector } from './parse-common.ts';
import type { Direction, L4Proto, Peer, PolicyRef, PolicySet, PortMatch, Rule } from './types.ts';
import type { Requirement, Selector } from './selector.ts';
import { NS_LABEL, NS_LABELS_PREFIX, makeSelector } from './selector.ts';

export function parseKnp(ctx: Ctx, o: Obj, ref: PolicyRef): PolicySet[] {
  ctx.fields(o, [], ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  const spec = ctx.obj(o['spec'], ['spec']);
  if (!spec) {
    if (o['spec'] == null) ctx.error(['spec'], 'required');
    return [];
  }
  ctx.fields(spec, ['spec'], ['podSelector', 'policyTypes', 'ingress', 'egress']);
  const ns = ref.namespace ?? 'default';
  if (spec['podSelector'] === undefined)
    ctx.error(['spec', 'podSelector'], 'required (use {} to select every pod of the namespace)');
  const pod = parseSelector(ctx, spec['podSelector'], ['spec', 'podSelector']);
  const types = ctx.strList(spec['policyTypes'], ['spec', 'policyTypes']);
  types?.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress')
      ctx.error(['spec', 'policyTypes', i], `${show(t)}: expected Ingress or Egress`);
  });
  if (types && new Set(types).size !== types.length) ctx.error(['spec', 'policyTypes'], 'duplicate policy type');
  const egressLen = Array.isArray(spec['egress']) ? (spec['egress'] as unknown[]).length : 0;
  // policyTypes default: Ingress always, Egress when the policy has egress rules (NetworkPolicySpec docs).
  const effective = types && types.length > 0 ? types : egressLen > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const set: PolicySet = {
    ref,
    path: 'spec',
    subject: makeSelector([
      ...(pod?.reqs.map(k8sSource) ?? []),
      { source: 'k8s', key: NS_LABEL, op: 'In', values: [ns] },
    ]),
    hostPolicy: false,
    defaultDeny: { ingress: effective.includes('Ingress'), egress: effective.includes('Egress') },
    allow: { ingress: [], egress: [] },
    deny: { ingress: [], egress: [] },
    requires: { ingress: [], egress: [] },
  };
  for (const dir of ['ingress', 'egress'] as Direction[]) {
    const list = ctx.list(spec[dir], ['spec', dir]);
    const on = set.defaultDeny[dir];
    if (list && list.length > 0 && !on)
      ctx.warn(['spec', dir], `ignored: policyTypes does not include ${dir === 'ingress' ? 'Ingress' : 'Egress'}`);
    list?.forEach((r, i) => {
      const rule = parseKnpRule(ctx, r, ['spec', dir, i], dir, ns);
      if (rule && on) set.allow[dir].push(rule);
    });
  }
  return pod ? [set] : [];
}

function k8sSource(r: Requirement): Requirement {
  return r.source === 'any' ? { ...r, source: 'k8s' } : r;
}

function parseKnpRule(ctx: Ctx, v: unknown, p: PathPart[], dir: Direction, ns: string): Rule | undefined {
  const o = ctx.obj(v, p);
  if (!o && v !== null) return undefined;
  const peersKey = dir === 'ingress' ? 'from' : 'to';
  if (o) ctx.fields(o, p, [peersKey, 'ports']);
  const peersRaw = ctx.list(o?.[peersKey], [...p, peersKey]);
  const peers: Peer[] = [];
  // An empty or missing from/to list matches all sources/destinations (NetworkPolicyIngressRule docs).
  if (!peersRaw || peersRaw.length === 0) peers.push({ type: 'all' });
  peersRaw?.forEach((pv, i) => {
    const peer = parsePeer(ctx, pv, [...p, peersKey, i], ns);
    if (peer) peers.push(peer);
  });
  const rule: Rule = {
    path: p
      .map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`))
      .join('')
      .slice(1),
    effect: 'allow',
    peers,
  };
  const portsRaw = ctx.list(o?.['ports'], [...p, 'ports']);
  if (portsRaw && portsRaw.length > 0) {
    const ports: PortMatch[] = [];
    portsRaw.forEach((pp, i) => {
      const m = parseKnpPort(ctx, pp, [...p, 'ports', i]);
      if (m) ports.push(m);
    });
    rule.l4 = { ports: [{ ports }], icmps: [] };
  }
  return rule;
}

function parsePeer(ctx: Ctx, v: unknown, p: PathPart[], ns: string): Peer | undefined {
  const o = ctx.obj(v, p);
  if (!o) return undefined;
  ctx.fields(o, p, ['podSelector', 'namespaceSelector', 'ipBlock']);
  const hasPod = o['podSelector'] != null;
  const hasNs = o['namespaceSelector'] != null;
  const hasIp = o['ipBlock'] != null;
  if (!hasPod && !hasNs && !hasIp) {
    ctx.error(p, 'must specify a peer: podSelector, namespaceSelector or ipBlock');
    return undefined;
  }
  if (hasIp && (hasPod || hasNs)) {
    ctx.error(p, 'ipBlock may not be combined with podSelector or namespaceSelector');
    return undefined;
  }
  if (hasIp) return parseIpBlock(ctx, o['ipBlock'], [...p, 'ipBlock']);
  const pod = hasPod ? parseSelector(ctx, o['podSelector'], [...p, 'podSelector']) : makeSelector([]);
  const nsSel = hasNs ? parseSelector(ctx, o['namespaceSelector'], [...p, 'namespaceSelector']) : undefined;
  if (!pod || (hasNs && !nsSel)) return undefined;
  const reqs: Requirement[] = pod.reqs.map(k8sSource);
  if (nsSel) {
    // namespaceSelector (even {}) selects namespaces by their labels: every pod of a matching namespace.
    for (const r of nsSel.reqs) reqs.push({ ...r, source: 'k8s', key: NS_LABELS_PREFIX + r.key });
    reqs.push({ source: 'k8s', key: NS_LABEL, op: 'Exists', values: [] });
  } else {
    // No namespaceSelector: pods of the policy's own namespace.
    reqs.push({ source: 'k8s', key: NS_LABEL, op: 'In', values: [ns] });
  }
  const selector: Selector = makeSelector(reqs);
  return { type: 'endpoints', selector };
}

function parseIpBlock(ctx: Ctx, v: unknown, p: PathPart[]): Peer | undefined {
  const o = ctx.obj(v, p);
  if (!o) return undefined;
  ctx.fields(o, p, ['cidr', 'except']);
  const s = ctx.str(o['cidr'], [...p, 'cidr']);
  if (!s) {
    ctx.error([...p, 'cidr'], 'required: a CIDR such as 10.0.0.0/8');
    return undefined;
  }
  const cidr = parseCidr(s);
  if (!cidr) {
    ctx.error([...p, 'cidr'], `${show(s)} is not a valid CIDR`);
    return undefined;
  }
  const except = [];
  for (const [i, e] of (ctx.strList(o['except'], [...p, 'except']) ?? []).entries()) {
    const c = parseCidr(e);
    if (!c) {
      ctx.error([...p, 'except', i], `${show(e)} is not a valid CIDR`);
      continue;
    }
    if (
      c.family !== cidr.family ||
      !cidrContainsIP(cidr, { family: c.family, value: c.base }) ||
      c.prefix <= cidr.prefix
    ) {
      ctx.error([...p, 'except', i], `${e} must be a strict subset of cidr ${s}`);
      continue;
    }
    except.push(c);
  }
  return { type: 'cidr', cidr, except };
}

function parseKnpPort(ctx: Ctx, v: unknown, p: PathPart[]): PortMatch | undefined {
  const o = ctx.obj(v, p);
  if (!o) return undefined;
  ctx.fields(o, p, ['port', 'endPort', 'protocol']);
  const proto = ctx.str(o['protocol'], [...p, 'protocol']) ?? 'TCP';
  if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP') {
    ctx.error([...p, 'protocol'], `${show(proto)}: expected TCP, UDP or SCTP (case-sensitive)`);
    return undefined;
  }
  const m: PortMatch = { protocol: proto as L4Proto };
  const port = o['port'];
  const endPort = o['endPort'];
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.error([...p, 'port'], `${show(port)}: expected a port number 1-65535`);
      return undefined;
    }
    m.port = port;
  } else if (typeof port === 'string') {
    if (/^\d+$/.test(port)) {
      ctx.error([...p, 'port'], `${show(port)}: a numeric port must be an integer, not a string (remove the quotes)`);
      return undefined;
    }
    if (!isServiceName(port)) {
      ctx.error(
        [...p, 'port'],
        `${show(port)}: expected a port number or an IANA service name (up to 15 lower-case letters, digits, hyphens)`,
      );
      return undefined;
    }
    m.name = port.toLowerCase();
  } else if (port !== undefined && port !== null) {
    ctx.error([...p, 'port'], `expected a port number or name, got ${show(port)}`);
    return undefined;
  }
  if (endPort !== undefined && endPort !== null) {
    if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < 1 || endPort > 65535) {
      ctx.error([...p, 'endPort'], `${show(endPort)}: expected a port number 1-65535`);
      return undefined;
    }
    if (m.port === undefined) {
      ctx.error(
        [...p, 'endPort'],
        m.name ? 'endPort may not be used with a named port' : 'endPort needs a numeric port',
      );
      return undefined;
    }
    if (endPort < m.port) {
      ctx.error([...p, 'endPort'], `endPort ${endPort} must be greater than or equal to port ${m.port}`);
      return undefined;
    }
    if (endPort > m.port) m.endPort = endPort;
  }
  return m;
}

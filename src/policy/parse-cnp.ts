// CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy → PolicySet, with Cilium's own
// sanitize checks (cilium pkg/policy/api/rule_validation.go) and the k8s-side namespace
// defaulting of selectors (cilium pkg/k8s/apis/cilium.io/utils: getEndpointSelector).
import type { PathPart } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import { parseCidr, cidrContainsIP } from '../util/cidr.ts';
import type { Ctx, Obj } from './parse-common.ts';
import { isServiceName, parseSelector } from './parse-common.ts';
import type {
  Direction,
  HttpMatch,
  IcmpMatch,
  L4Proto,
  Peer,
  PolicyRef,
  PolicySet,
  PortMatch,
  PortRule,
  Rule,
} from './types.ts';
import type { Requirement, Selector } from './selector.ts';
import { NS_LABEL, hasKey, makeSelector, withRequirements } from './selector.ts';
import { CILIUM_ENTITIES, ICMP_TYPES, MAX_ICMP_FIELDS, MAX_PORTS } from '../knowledge/cilium-policy.ts';

const RULE_FIELDS = [
  'endpointSelector',
  'nodeSelector',
  'ingress',
  'ingressDeny',
  'egress',
  'egressDeny',
  'enableDefaultDeny',
  'description',
  'labels',
];
const RULE_UNSUPPORTED = { log: 'policy logging has no effect on verdicts' };
const L3_IN = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'];
const L3_OUT = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toServices', 'toFQDNs', 'toGroups', 'toNodes'];
const UNEVALUATED_L3: Record<string, string> = {
  fromNodes:
    'node selectors need node labels in identities (enable-node-selector-labels); this peer list selects nothing here',
  toNodes:
    'node selectors need node labels in identities (enable-node-selector-labels); this peer list selects nothing here',
  fromGroups: 'cloud-provider groups are resolved at runtime; this peer list selects nothing here',
  toGroups: 'cloud-provider groups are resolved at runtime; this peer list selects nothing here',
  toServices: 'service backends are resolved at runtime; this peer list selects nothing here',
  toFQDNs: 'DNS names are resolved at runtime from DNS proxy answers; this peer list selects nothing here',
};

interface RuleCtx {
  ctx: Ctx;
  ref: PolicyRef;
  /** Namespace for peer defaulting: the policy's namespace, or undefined for CCNP. */
  namespace: string | undefined;
  hostPolicy: boolean;
}

export function parseCilium(ctx: Ctx, o: Obj, ref: PolicyRef): PolicySet[] {
  ctx.fields(o, [], ['apiVersion', 'kind', 'metadata', 'spec', 'specs', 'status']);
  if (o['spec'] === undefined && o['specs'] === undefined) {
    ctx.error([], 'a Cilium policy needs `spec` or `specs`');
    return [];
  }
  const out: PolicySet[] = [];
  const ns = ref.kind === 'CiliumNetworkPolicy' ? ref.namespace : undefined;
  if (o['spec'] !== undefined && o['spec'] !== null) {
    const s = parseRule(ctx, o['spec'], ['spec'], ref, ns);
    if (s) out.push(s);
  }
  const specs = ctx.list(o['specs'], ['specs']);
  specs?.forEach((r, i) => {
    const s = parseRule(ctx, r, ['specs', i], ref, ns);
    if (s) out.push(s);
  });
  return out;
}

function parseRule(
  ctx: Ctx,
  v: unknown,
  p: PathPart[],
  ref: PolicyRef,
  namespace: string | undefined,
): PolicySet | undefined {
  const r = ctx.obj(v, p);
  if (!r) return undefined;
  ctx.fields(r, p, RULE_FIELDS, RULE_UNSUPPORTED);
  const hasEp = r['endpointSelector'] !== undefined && r['endpointSelector'] !== null;
  const hasNode = r['nodeSelector'] !== undefined && r['nodeSelector'] !== null;
  const hasNodeOnly = hasNode && !hasEp;
  // Report the selector conflict but keep validating the rest of the rule.
  const bad = hasEp === hasNode;
  if (bad)
    ctx.error(
      p,
      hasEp
        ? 'rule cannot have both endpointSelector and nodeSelector'
        : 'rule must have one of endpointSelector or nodeSelector',
    );
  const selPath = [...p, hasEp ? 'endpointSelector' : 'nodeSelector'];
  let subject = parseSelector(ctx, hasEp ? r['endpointSelector'] : r['nodeSelector'], selPath);
  if (!subject) subject = makeSelector([]);
  if (hasNodeOnly)
    ctx.warn(
      selPath,
      'host policy (nodeSelector): validated, but kec does not evaluate the host firewall; traffic to and from nodes is treated as unrestricted by host policies',
    );
  if (namespace !== undefined && hasEp) subject = withRequirements(subject, [nsIs(namespace)]);
  const rc: RuleCtx = { ctx, ref, namespace, hostPolicy: hasNodeOnly };
  const set: PolicySet = {
    ref,
    path: pathText(p),
    subject,
    hostPolicy: hasNodeOnly,
    defaultDeny: { ingress: false, egress: false },
    allow: { ingress: [], egress: [] },
    deny: { ingress: [], egress: [] },
    requires: { ingress: [], egress: [] },
  };
  for (const dir of ['ingress', 'egress'] as Direction[]) {
    for (const deny of [false, true]) {
      const key = deny ? `${dir}Deny` : dir;
      const list = ctx.list(r[key], [...p, key]);
      list?.forEach((item, i) => {
        const rule = parseDirRule(rc, item, [...p, key, i], dir, deny, set);
        if (rule) (deny ? set.deny : set.allow)[dir].push(rule);
      });
    }
  }
  // Default posture per direction: deny when the rule has an ingress (egress) section with at
  // least one allow or deny rule, unless enableDefaultDeny says otherwise (rule_validation.go Sanitize).
  const edd = ctx.obj(r['enableDefaultDeny'], [...p, 'enableDefaultDeny']);
  if (edd) ctx.fields(edd, [...p, 'enableDefaultDeny'], ['ingress', 'egress']);
  for (const dir of ['ingress', 'egress'] as Direction[]) {
    const explicit = edd?.[dir];
    if (explicit !== undefined && explicit !== null && typeof explicit !== 'boolean')
      ctx.error([...p, 'enableDefaultDeny', dir], `expected true or false, got ${show(explicit)}`);
    const lenOf = (k: string): number => (Array.isArray(r[k]) ? (r[k] as unknown[]).length : 0);
    set.defaultDeny[dir] = typeof explicit === 'boolean' ? explicit : lenOf(dir) + lenOf(`${dir}Deny`) > 0;
  }
  return bad ? undefined : set;
}

function nsIs(ns: string): Requirement {
  return { source: 'k8s', key: NS_LABEL, op: 'In', values: [ns] };
}

/** Namespace defaulting of a peer selector (getEndpointSelector): only when it names no namespace and no reserved label. */
export function defaultNamespace(sel: Selector, namespace: string | undefined): Selector {
  if (hasKey(sel, 'k8s', NS_LABEL) || sel.reqs.some((r) => r.source === 'reserved')) return sel;
  return withRequirements(sel, [
    namespace === undefined ? { source: 'k8s', key: NS_LABEL, op: 'Exists', values: [] } : nsIs(namespace),
  ]);
}

function parseDirRule(
  rc: RuleCtx,
  v: unknown,
  p: PathPart[],
  dir: Direction,
  deny: boolean,
  set: PolicySet,
): Rule | undefined {
  const { ctx } = rc;
  const o = ctx.obj(v, p);
  if (!o) return v === null ? { path: pathText(p), effect: deny ? 'deny' : 'allow', peers: [] } : undefined;
  const l3 = dir === 'ingress' ? L3_IN : L3_OUT;
  const req = dir === 'ingress' ? 'fromRequires' : 'toRequires';
  const known = [...l3, req, 'toPorts', 'icmps'];
  ctx.fields(o, p, known, { authentication: 'mutual authentication is not modelled (treated as satisfied)' });
  for (const k of l3)
    if (deny && k === 'toFQDNs') {
      if (o[k] != null) ctx.error([...p, k], 'deny policies do not support toFQDNs (deny.rst)');
    }
  // Combining L3 members in one rule is rejected by Cilium.
  const present = l3.filter((k) => Array.isArray(o[k]) && (o[k] as unknown[]).length > 0);
  if (present.length > 1)
    ctx.error(p, `combining ${present.join(' and ')} in one rule is not supported by Cilium; use separate rules`);
  for (const k of l3)
    if (o[k] === null)
      ctx.warn([...p, k], 'null: treated as absent (write `- {}` to select all endpoints of the namespace)');
  if (
    dir === 'egress' &&
    Array.isArray(o['toServices']) &&
    (o['toServices'] as unknown[]).length > 0 &&
    Array.isArray(o['toPorts']) &&
    (o['toPorts'] as unknown[]).length > 0
  ) {
    ctx.error(p, 'combining toServices and toPorts is not supported by Cilium (cilium#20067)');
  }
  const peers: Peer[] = [];
  let anyL3 = false;
  for (const k of l3) {
    if (o[k] === undefined || o[k] === null) continue;
    const list = ctx.list(o[k], [...p, k]);
    if (!list) continue;
    anyL3 = true; // an explicit empty list selects nothing (not a wildcard)
    if (k in UNEVALUATED_L3) {
      if (list.length > 0) ctx.warn([...p, k], `not evaluated by kec: ${UNEVALUATED_L3[k]}`);
      continue;
    }
    list.forEach((item, i) => {
      const ip = [...p, k, i];
      if (k.endsWith('Endpoints')) {
        const s = parseSelector(ctx, item, ip);
        if (s) peers.push({ type: 'endpoints', selector: defaultNamespace(s, rc.namespace) });
      } else if (k.endsWith('Entities')) {
        const e = ctx.str(item, ip);
        if (e === undefined) return;
        if (!CILIUM_ENTITIES.includes(e))
          ctx.error(ip, `unsupported entity ${show(e)}; expected one of ${CILIUM_ENTITIES.join(', ')}`);
        else peers.push({ type: 'entity', entity: e });
      } else if (k.endsWith('CIDRSet')) {
        const peer = parseCidrRule(ctx, item, ip);
        if (peer) peers.push(peer);
      } else {
        const s = ctx.str(item, ip);
        if (s === undefined) return;
        const c = parseCidr(s.includes('/') ? s : s.includes(':') ? `${s}/128` : `${s}/32`);
        if (!c) ctx.error(ip, `${show(s)} is not a CIDR or IP address`);
        else peers.push({ type: 'cidr', cidr: c, except: [] });
      }
    });
  }
  const requires = ctx.list(o[req], [...p, req]);
  requires?.forEach((item, i) => {
    const s = parseSelector(ctx, item, [...p, req, i]);
    if (s) set.requires[dir].push(defaultNamespace(s, rc.namespace));
  });
  if (requires && requires.length > 0)
    ctx.warn([...p, req], `${req} is deprecated upstream; kec applies it to every allow rule selecting this endpoint`);
  const toPorts = ctx.list(o['toPorts'], [...p, 'toPorts']);
  const icmpsRaw = ctx.list(o['icmps'], [...p, 'icmps']);
  if (toPorts && toPorts.length > 0 && icmpsRaw && icmpsRaw.length > 0)
    ctx.error(p, 'the icmps block may only be present without toPorts; define a separate rule for toPorts');
  const ports: PortRule[] = [];
  toPorts?.forEach((pr, i) => {
    const r = parsePortRule(rc, pr, [...p, 'toPorts', i], dir, deny);
    if (r) ports.push(r);
  });
  const icmps: IcmpMatch[] = [];
  icmpsRaw?.forEach((ir, i) => icmps.push(...parseIcmpRule(ctx, ir, [...p, 'icmps', i])));
  const hasL4 = (toPorts?.length ?? 0) > 0 || (icmpsRaw?.length ?? 0) > 0;
  // No L3 member at all: an L4 rule applies to every peer; an empty rule selects nothing.
  if (!anyL3 && hasL4) peers.push({ type: 'all' });
  const rule: Rule = { path: pathText(p), effect: deny ? 'deny' : 'allow', peers };
  if (hasL4) rule.l4 = { ports, icmps };
  if (!anyL3 && !hasL4 && !(requires && requires.length > 0))
    ctx.warn(
      p,
      'empty rule: selects no peer and allows nothing (it only puts the endpoint into default deny for this direction)',
    );
  return rule;
}

function parseCidrRule(ctx: Ctx, v: unknown, p: PathPart[]): Peer | undefined {
  const o = ctx.obj(v, p);
  if (!o) return undefined;
  ctx.fields(o, p, ['cidr', 'except', 'cidrGroupRef', 'cidrGroupSelector']);
  if (o['cidrGroupRef'] != null || o['cidrGroupSelector'] != null) {
    ctx.warn(
      p,
      'not evaluated by kec: CiliumCIDRGroup references are resolved at runtime; this entry selects nothing here',
    );
    return undefined;
  }
  const s = ctx.str(o['cidr'], [...p, 'cidr']);
  if (s === undefined) {
    ctx.error([...p, 'cidr'], 'required: a CIDR such as 10.0.0.0/8');
    return undefined;
  }
  const cidr = parseCidr(s);
  if (!cidr) {
    ctx.error([...p, 'cidr'], `${show(s)} is not a CIDR (address/prefix)`);
    return undefined;
  }
  const except = [];
  for (const [i, e] of (ctx.strList(o['except'], [...p, 'except']) ?? []).entries()) {
    const c = parseCidr(e);
    if (!c) {
      ctx.error([...p, 'except', i], `${show(e)} is not a CIDR`);
      continue;
    }
    if (!cidrContainsIP(cidr, { family: c.family, value: c.base }) || c.prefix < cidr.prefix) {
      ctx.error([...p, 'except', i], `${e} is not inside ${s}: except CIDRs must be contained in their CIDR`);
      continue;
    }
    except.push(c);
  }
  return { type: 'cidr', cidr, except };
}

function parsePortRule(rc: RuleCtx, v: unknown, p: PathPart[], dir: Direction, deny: boolean): PortRule | undefined {
  const { ctx } = rc;
  const o = ctx.obj(v, p);
  if (!o) return undefined;
  ctx.fields(o, p, ['ports', 'rules', 'serverNames'], {
    listener: 'custom Envoy listeners are not modelled',
    originatingTLS: 'TLS origination is not modelled',
    terminatingTLS: 'TLS termination is not modelled',
  });
  if (deny)
    for (const k of ['rules', 'serverNames'])
      if (o[k] != null) ctx.error([...p, k], 'deny policies do not support L7 rules or server names (deny.rst)');
  const portsRaw = ctx.list(o['ports'], [...p, 'ports']) ?? [];
  if (portsRaw.length > MAX_PORTS)
    ctx.error([...p, 'ports'], `too many ports (${portsRaw.length}); Cilium allows at most ${MAX_PORTS}`);
  const rules = ctx.obj(o['rules'], [...p, 'rules']);
  let http: HttpMatch[] | undefined;
  let otherL7: string | undefined;
  let kinds: string[] = [];
  if (rules) {
    ctx.fields(rules, [...p, 'rules'], ['http', 'dns', 'kafka', 'l7proto', 'l7']);
    kinds = ['http', 'kafka', 'dns', 'l7proto'].filter((k) => rules[k] != null);
    if (kinds.length > 1)
      ctx.error([...p, 'rules'], `multiple L7 protocol rule types in one port rule: ${kinds.join(', ')}`);
    if (rules['l7'] != null && rules['l7proto'] == null)
      ctx.error([...p, 'rules', 'l7'], '`l7` may only be used together with `l7proto`');
    if (rc.hostPolicy && kinds.length > 0) ctx.error([...p, 'rules'], 'host policies do not support L7 rules');
    if (kinds.includes('dns') && dir === 'ingress')
      ctx.error([...p, 'rules', 'dns'], 'DNS rules are not allowed on ingress');
    if (rules['http'] != null) http = parseHttp(ctx, rules['http'], [...p, 'rules', 'http']);
    const other = kinds.find((k) => k !== 'http');
    if (other) {
      otherL7 = other;
      ctx.warn(
        [...p, 'rules', other],
        `${other} L7 rules are not evaluated by kec: the port is treated as allowed at L4 (the proxy filters requests at runtime)`,
      );
    }
  }
  const hasDns = kinds.includes('dns');
  const hasL7 = kinds.length > 0;
  if (hasDns && portsRaw.length === 0) ctx.error([...p, 'ports'], 'port 53 must be specified for DNS rules');
  const serverNames = ctx.strList(o['serverNames'], [...p, 'serverNames']);
  if (serverNames) {
    if (hasL7) ctx.error([...p, 'serverNames'], 'serverNames are not allowed with L7 rules without TLS termination');
    serverNames.forEach((s, i) => {
      if (s === '') ctx.error([...p, 'serverNames', i], 'empty server name');
    });
    if (serverNames.length > 0)
      ctx.warn(
        [...p, 'serverNames'],
        'not evaluated by kec: TLS SNI is only known at runtime; the port is treated as allowed at L4',
      );
  }
  const ports: PortMatch[] = [];
  portsRaw.forEach((pp, i) => {
    const m = parsePortProtocol(ctx, pp, [...p, 'ports', i], hasDns);
    if (!m) return;
    if (hasL7 && !hasDns && m.protocol !== 'TCP')
      ctx.error(
        [...p, 'ports', i, 'protocol'],
        `L7 rules can only apply to TCP (not ${m.protocol}) except for DNS rules`,
      );
    if (hasL7 && m.port === undefined && m.name === undefined)
      ctx.error([...p, 'ports', i, 'port'], 'L7 rules can not be used when a port is 0');
    ports.push(m);
  });
  const out: PortRule = { ports };
  if (http) out.http = http;
  if (otherL7) out.otherL7 = otherL7;
  return out;
}

function parsePortProtocol(ctx: Ctx, v: unknown, p: PathPart[], hasDns: boolean): PortMatch | undefined {
  const o = ctx.obj(v, p);
  if (!o) return undefined;
  ctx.fields(o, p, ['port', 'endPort', 'protocol']);
  let portText: string | undefined;
  if (typeof o['port'] === 'number') {
    ctx.warn([...p, 'port'], `write the port as a string ("${o['port']}"): the CRD schema declares a string`);
    portText = String(o['port']);
  } else portText = ctx.str(o['port'], [...p, 'port']);
  if (portText === undefined || portText === '') {
    ctx.error([...p, 'port'], 'port must be specified (a number, a port name, or "0" for all ports)');
    return undefined;
  }
  const protoRaw = ctx.str(o['protocol'], [...p, 'protocol']) ?? 'ANY';
  const proto = protoRaw.toUpperCase();
  if (!['TCP', 'UDP', 'SCTP', 'ANY'].includes(proto)) {
    ctx.error([...p, 'protocol'], `${show(protoRaw)}: expected TCP, UDP, SCTP or ANY`);
    return undefined;
  }
  if (proto !== protoRaw)
    ctx.warn([...p, 'protocol'], `${show(protoRaw)} read as ${proto}; the CRD schema only accepts upper case`);
  const m: PortMatch = { protocol: proto as L4Proto | 'ANY' };
  const endPort = o['endPort'];
  if (
    endPort !== undefined &&
    endPort !== null &&
    (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < 0 || endPort > 65535)
  ) {
    ctx.error([...p, 'endPort'], `expected a port number 0-65535, got ${show(endPort)}`);
    return undefined;
  }
  if (/^\d+$/.test(portText)) {
    const n = Number(portText);
    if (n > 65535) {
      ctx.error([...p, 'port'], `${portText}: port out of range (0-65535)`);
      return undefined;
    }
    if (hasDns && typeof endPort === 'number' && endPort > n)
      ctx.error([...p, 'endPort'], 'DNS rules do not support port ranges');
    if (n !== 0) m.port = n;
    if (typeof endPort === 'number' && endPort !== 0) {
      if (n === 0) ctx.warn([...p, 'endPort'], 'endPort with port 0 (all ports) has no effect');
      else if (endPort < n)
        ctx.warn([...p, 'endPort'], `endPort ${endPort} is below port ${n}: ignored, the rule covers port ${n} only`);
      else if (endPort > n) m.endPort = endPort;
    }
  } else if (isServiceName(portText)) {
    m.name = portText.toLowerCase();
    if (typeof endPort === 'number' && endPort !== 0)
      ctx.warn([...p, 'endPort'], 'endPort is ignored with a named port');
  } else {
    ctx.error(
      [...p, 'port'],
      `${show(portText)}: expected a port number 0-65535 or a port name (IANA service name: up to 15 letters, digits, hyphens)`,
    );
    return undefined;
  }
  return m;
}

function parseHttp(ctx: Ctx, v: unknown, p: PathPart[]): HttpMatch[] {
  const out: HttpMatch[] = [];
  (ctx.list(v, p) ?? []).forEach((h, i) => {
    const hp = [...p, i];
    const o = ctx.obj(h, hp);
    if (!o) return;
    ctx.fields(o, hp, ['method', 'path', 'host', 'headers'], {
      headerMatches: 'header match/mismatch actions are not modelled (treated as matching)',
    });
    const m: HttpMatch = { headers: ctx.strList(o['headers'], [...hp, 'headers']) ?? [] };
    for (const k of ['method', 'path', 'host'] as const) {
      const s = ctx.str(o[k], [...hp, k]);
      if (s === undefined || s === '') continue;
      try {
        new RegExp(s);
        m[k] = s;
      } catch (e) {
        ctx.error([...hp, k], `not a valid regular expression: ${(e as Error).message}`);
      }
    }
    if (m.headers.length > 0)
      ctx.warn(
        [...hp, 'headers'],
        'header constraints are reported by trace but not checked (kec has no request headers)',
      );
    out.push(m);
  });
  return out;
}

function parseIcmpRule(ctx: Ctx, v: unknown, p: PathPart[]): IcmpMatch[] {
  const o = ctx.obj(v, p);
  if (!o) return [];
  ctx.fields(o, p, ['fields']);
  const fields = ctx.list(o['fields'], [...p, 'fields']) ?? [];
  if (fields.length > MAX_ICMP_FIELDS)
    ctx.error([...p, 'fields'], `too many ICMP types (${fields.length}); at most ${MAX_ICMP_FIELDS}`);
  const out: IcmpMatch[] = [];
  fields.forEach((f, i) => {
    const fp = [...p, 'fields', i];
    const fo = ctx.obj(f, fp);
    if (!fo) return;
    ctx.fields(fo, fp, ['type', 'family']);
    const fam = fo['family'] ?? 'IPv4';
    if (fam !== 'IPv4' && fam !== 'IPv6') {
      ctx.error([...fp, 'family'], `wrong family ${show(fam)}: expected IPv4 or IPv6`);
      return;
    }
    const t = fo['type'];
    let type: number | undefined;
    if (typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= 255) type = t;
    else if (typeof t === 'string' && /^\d+$/.test(t) && Number(t) <= 255) type = Number(t);
    else if (typeof t === 'string') {
      type = ICMP_TYPES[fam]?.[t];
      if (type === undefined) {
        ctx.error([...fp, 'type'], `${show(t)}: unknown ICMP type name for ${fam}`);
        return;
      }
    } else {
      ctx.error([...fp, 'type'], `required: an ICMP type 0-255 or its name, got ${show(t)}`);
      return;
    }
    out.push({ family: fam, type });
  });
  return out;
}

function pathText(p: PathPart[]): string {
  let s = '';
  for (const x of p) s += typeof x === 'number' ? `[${x}]` : s === '' ? x : `.${x}`;
  return s;
}

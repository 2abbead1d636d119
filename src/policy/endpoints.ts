// Flow endpoints: pods, nodes, external addresses and reserved entities, and the identity a
// peer has as seen from a given endpoint (a node is `host` from its own pods, `remote-node`
// from everyone else's; a hostNetwork pod is its node).
import type { Cidr } from '../util/cidr.ts';
import { parseCidr, parseIP } from '../util/cidr.ts';
import { UsageError } from '../errors.ts';
import type { ContainerPort, Inventory } from './inventory.ts';
import { podIdentityLabels } from './inventory.ts';
import { Labels } from './selector.ts';
import { RESERVED_IDENTITIES } from '../knowledge/cilium-policy.ts';

export interface Endpoint {
  /** `ns/pod`, `node:NAME`, `cidr:IP`, `entity:NAME`. */
  id: string;
  kind: 'pod' | 'node' | 'world' | 'reserved';
  /** A Cilium endpoint whose own policy is enforced (a pod without hostNetwork). */
  managed: boolean;
  /** Identity labels (pods, world, reserved); nodes get theirs relative to the peer. */
  labels: Labels;
  node?: string;
  cidr?: Cidr;
  ports: ContainerPort[];
}

const reservedCache = new Map<string, Labels>();
export function reservedLabels(name: string): Labels {
  let l = reservedCache.get(name);
  if (!l) {
    l = new Labels([['reserved', name, '']]);
    reservedCache.set(name, l);
  }
  return l;
}

/** The identity labels of `peer` as seen by `from`. */
export function relativeLabels(peer: Endpoint, from: Endpoint): Labels {
  if (peer.kind !== 'node') return peer.labels;
  return reservedLabels(peer.node !== undefined && peer.node === from.node ? 'host' : 'remote-node');
}

export const REMOTE_NODE = '\u0000remote';

export function podEndpoints(inv: Inventory): Endpoint[] {
  return inv.pods.map((p) => {
    const base = { id: `${p.namespace}/${p.name}`, ports: p.ports, ...(p.node !== undefined ? { node: p.node } : {}) };
    if (p.hostNetwork)
      return {
        ...base,
        kind: 'node' as const,
        managed: false,
        labels: new Labels(),
        ...(p.node === undefined ? { node: REMOTE_NODE } : {}),
      };
    return {
      ...base,
      kind: 'pod' as const,
      managed: true,
      labels: podIdentityLabels(p, inv.namespaces.get(p.namespace) ?? {}),
    };
  });
}

export function externalEndpoints(inv: Inventory): Endpoint[] {
  return inv.externals.map((e) => ({
    id: `cidr:${e.cidr.text}`,
    kind: 'world' as const,
    managed: false,
    labels: reservedLabels('world'),
    cidr: e.cidr,
    ports: [],
  }));
}

/** Resolves `--from`/`--to` text. `other` is the opposite endpoint's text, used to place entity:host. */
export function resolveEndpoint(text: string, inv: Inventory, pods: Endpoint[], otherNode?: string): Endpoint {
  if (text.startsWith('entity:')) {
    const e = text.slice(7);
    if (e === 'host')
      return {
        id: text,
        kind: 'node',
        managed: false,
        labels: new Labels(),
        node: otherNode ?? REMOTE_NODE,
        ports: [],
      };
    if (e === 'remote-node')
      return { id: text, kind: 'node', managed: false, labels: new Labels(), node: REMOTE_NODE, ports: [] };
    if (e === 'world') return { id: text, kind: 'world', managed: false, labels: reservedLabels('world'), ports: [] };
    if (e in RESERVED_IDENTITIES)
      return { id: text, kind: 'reserved', managed: false, labels: reservedLabels(e), ports: [] };
    throw new UsageError(
      `${text}: expected entity:world, host, remote-node, kube-apiserver, health, init, unmanaged or ingress (cluster and all are sets, not endpoints)`,
    );
  }
  if (text.startsWith('node:')) {
    const n = inv.nodes.find((x) => x.name === text.slice(5));
    if (!n) throw new UsageError(`${text}: no such Node in the inventory`);
    return { id: text, kind: 'node', managed: false, labels: new Labels(), node: n.name, ports: [] };
  }
  if (text.startsWith('cidr:')) {
    const raw = text.slice(5);
    const ip = parseIP(raw);
    const c = ip ? parseCidr(`${raw}/${ip.family === 4 ? 32 : 128}`) : parseCidr(raw);
    if (!c) throw new UsageError(`${text}: expected cidr:IP or cidr:CIDR`);
    // An address of a pod or node is that endpoint: CIDR identities only cover non-cluster addresses.
    if (c.prefix === (c.family === 4 ? 32 : 128)) {
      const addr = { family: c.family, value: c.base };
      const pod = inv.pods.find((p) =>
        p.ips.some((i) => {
          const x = parseIP(i);
          return x !== undefined && x.family === addr.family && x.value === addr.value;
        }),
      );
      if (pod) return pods.find((p) => p.id === `${pod.namespace}/${pod.name}`)!;
      const node = inv.nodes.find((n) =>
        n.ips.some((i) => {
          const x = parseIP(i);
          return x !== undefined && x.family === addr.family && x.value === addr.value;
        }),
      );
      if (node)
        return {
          id: `node:${node.name}`,
          kind: 'node',
          managed: false,
          labels: new Labels(),
          node: node.name,
          ports: [],
        };
    }
    return { id: text, kind: 'world', managed: false, labels: reservedLabels('world'), cidr: c, ports: [] };
  }
  const m = /^([^/]+)\/([^/]+)$/.exec(text);
  if (!m) throw new UsageError(`${text}: expected ns/pod, node:NAME, cidr:IP or entity:NAME`);
  const ep = pods.find((p) => p.id === text);
  if (!ep) throw new UsageError(`${text}: no such pod in the inventory`);
  return ep;
}

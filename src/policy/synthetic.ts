// Seeded synthetic clusters and policy sets, for the bench and the engine-agreement tests.
// Policies are built as manifests and go through the real parser.
import type { Inventory, Pod } from './inventory.ts';
import type { SourceObject } from './load.ts';
import { parsePolicyObjects } from './parse.ts';
import type { PolicySet } from './types.ts';
import { parseCidr } from '../util/cidr.ts';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface World {
  inventory: Inventory;
  sets: PolicySet[];
  manifests: unknown[];
}

/** `pods` pods with distinct identities (unique `id` label), in `namespaces` namespaces. */
export function syntheticWorld(pods: number, policies: number, seed = 1, namespaces = 20): World {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const nsNames = Array.from({ length: namespaces }, (_, i) => `ns${i}`);
  const inv: Inventory = { namespaces: new Map(), pods: [], nodes: [], externals: [], warnings: [] };
  nsNames.forEach((n, i) => inv.namespaces.set(n, { 'kubernetes.io/metadata.name': n, team: `t${i % 4}` }));
  for (let i = 0; i < pods; i++) {
    const p: Pod = {
      namespace: nsNames[i % namespaces]!,
      name: `p${i}`,
      labels: { app: `app${i % 50}`, tier: `tier${i % 5}`, id: String(i) },
      node: `node${i % 8}`,
      hostNetwork: i % 97 === 96,
      ips: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`],
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'alt', port: 8080, protocol: 'TCP' },
      ],
      serviceAccount: 'default',
    };
    inv.pods.push(p);
  }
  for (const c of ['8.8.8.0/24', '10.30.0.7/32']) inv.externals.push({ name: c, cidr: parseCidr(c)! });
  const manifests: unknown[] = [];
  const port = (): unknown =>
    pick([
      { port: '80', protocol: 'TCP' },
      { port: '8080', protocol: 'TCP' },
      { port: 'http', protocol: 'TCP' },
      { port: '53', protocol: 'ANY' },
      { port: '70', endPort: 90, protocol: 'TCP' },
    ]);
  const sel = (): Record<string, unknown> =>
    pick([
      { matchLabels: { app: `app${Math.floor(r() * 50)}` } },
      { matchLabels: { tier: `tier${Math.floor(r() * 5)}` } },
      {
        matchExpressions: [
          { key: 'app', operator: 'In', values: [`app${Math.floor(r() * 50)}`, `app${Math.floor(r() * 50)}`] },
        ],
      },
    ]);
  for (let i = 0; i < policies; i++) {
    const ns = pick(nsNames);
    const kind = r();
    if (kind < 0.4) {
      const peer = pick([
        { podSelector: sel() },
        { namespaceSelector: { matchLabels: { team: `t${Math.floor(r() * 4)}` } } },
        { namespaceSelector: {}, podSelector: sel() },
        { ipBlock: { cidr: '8.8.0.0/16', except: ['8.8.8.0/25'] } },
      ]);
      const rule: { from?: unknown[]; ports?: unknown[] } =
        r() < 0.3
          ? {}
          : {
              from: [peer],
              ...(r() < 0.6
                ? {
                    ports: [
                      pick([
                        { port: 80 },
                        { port: 'http' },
                        { port: 8000, endPort: 8100 },
                        { protocol: 'UDP', port: 53 },
                      ]),
                    ],
                  }
                : {}),
            };
      const egress = r() < 0.3;
      manifests.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `knp${i}`, namespace: ns },
        spec: {
          podSelector: sel(),
          ...(egress
            ? {
                policyTypes: ['Egress'],
                egress: [{ to: rule.from ?? [], ...(rule.ports ? { ports: rule.ports } : {}) }],
              }
            : { ingress: [rule] }),
        },
      });
    } else {
      const clusterwide = kind > 0.9;
      const dir = r() < 0.6 ? 'ingress' : 'egress';
      const from = dir === 'ingress' ? 'from' : 'to';
      const peer = pick([
        { [`${from}Endpoints`]: [sel()] },
        { [`${from}Entities`]: [pick(['world', 'cluster', 'host', 'remote-node', 'all'])] },
        { [`${from}CIDRSet`]: [{ cidr: '8.8.0.0/16', except: ['8.8.8.128/25'] }] },
        {},
      ]);
      const rule = {
        ...peer,
        ...(r() < 0.6 || Object.keys(peer).length === 0 ? { toPorts: [{ ports: [port()] }] } : {}),
      };
      const deny = r() < 0.15;
      manifests.push({
        apiVersion: 'cilium.io/v2',
        kind: clusterwide ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy',
        metadata: { name: `cnp${i}`, ...(clusterwide ? {} : { namespace: ns }) },
        spec: { endpointSelector: sel(), [deny ? `${dir}Deny` : dir]: [rule] },
      });
    }
  }
  const objects: SourceObject[] = manifests.map((m) => ({
    file: 'synthetic',
    value: m,
    prefix: [],
    locate: () => undefined,
  }));
  const parsed = parsePolicyObjects({ objects, errors: [] });
  if (parsed.errors.length > 0)
    throw new Error(`synthetic policies invalid: ${parsed.errors[0]!.path}: ${parsed.errors[0]!.message}`);
  return { inventory: inv, sets: parsed.sets, manifests };
}

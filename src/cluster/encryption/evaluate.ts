// kec encryption status as a pure function: per cloud and edge group, each node's encryption as
// its agent reports it on the CiliumNode (IPsec key index spec.encryption.key, WireGuard public
// key annotation), nodes on an old key, and offline (autonomous) nodes that cannot move now.
import type { Obj } from '../types.ts';
import { WIREGUARD } from '../../knowledge/encryption.ts';
import type { GroupDef } from '../snapshot/state.ts';
import { asNum, asRec, isEdgeNode, labelsOf, matchesSelector, nameOf } from '../snapshot/state.ts';
import type { NodeState } from '../status/report.ts';
import { nodeStatus } from '../status/report.ts';
import type { EncryptionConfig } from './config.ts';
import type { SecretSummary } from './config.ts';
import type { RotationRecord } from './rotation-state.ts';

export type NodeEncryption =
  'encrypting' | 'old-key' | 'not-encrypting' | 'no-agent' | 'offline-old-key' | 'offline' | 'not-applicable';

export interface EncryptionNode {
  name: string;
  state: NodeState;
  encryption: NodeEncryption;
  /** IPsec: the key index (SPI) the agent uses; 0 = none. */
  spi?: number;
  /** WireGuard: the node published a public key. */
  wireguardKey?: boolean;
  failure: boolean;
  detail?: string;
}

export interface EncryptionGroup {
  name: string;
  nodes: EncryptionNode[];
  counts: { nodes: number; encrypting: number; oldKey: number; notEncrypting: number; offline: number };
}

export interface EncryptionReport {
  namespace: string;
  mode: EncryptionConfig['mode'];
  nodeEncryption: boolean;
  strictMode: EncryptionConfig['strictMode'];
  ipsec?: NonNullable<EncryptionConfig['ipsec']> & { secret: SecretSummary };
  wireguard?: EncryptionConfig['wireguard'];
  rotation?: RotationRecord;
  cloud: EncryptionGroup;
  groups: EncryptionGroup[];
  /** Nodes that cannot take a new key now (offline): they move when they reconnect. */
  waitingForReconnect: string[];
  failures: string[];
  warnings: string[];
  ok: boolean;
}

export interface EvaluateInput {
  namespace: string;
  config: EncryptionConfig;
  secret?: SecretSummary;
  rotation?: RotationRecord;
  nodes: readonly Obj[];
  ciliumNodes: readonly Obj[];
  groups: readonly GroupDef[];
  now: number;
  offlineGraceMs: number;
}

/** The key index the agent on this node uses (CiliumNode spec.encryption.key; absent = 0). */
export function ciliumNodeSpi(cn: Obj): number {
  return asNum(asRec(asRec(cn['spec'])['encryption'])['key']);
}

export function hasWireguardKey(cn: Obj): boolean {
  return (cn.metadata?.annotations?.[WIREGUARD.publicKeyAnnotation] ?? '') !== '';
}

function evaluateNode(n: Obj, cn: Obj | undefined, i: EvaluateInput): EncryptionNode {
  const st = nodeStatus(n, i.now, i.offlineGraceMs);
  const offline = st.state.startsWith('offline');
  const base = { name: nameOf(n), state: st.state };
  const mode = i.config.mode;
  if (mode === 'none' || mode === 'ztunnel')
    return { ...base, encryption: 'not-applicable', failure: false, detail: `encryption ${mode}` };
  if (!cn) {
    if (offline) return { ...base, encryption: 'offline', failure: false, detail: 'no CiliumNode; node offline' };
    return { ...base, encryption: 'no-agent', failure: true, detail: 'no CiliumNode: no Cilium agent has run here' };
  }
  if (mode === 'wireguard') {
    const wg = hasWireguardKey(cn);
    if (wg) return { ...base, encryption: 'encrypting', wireguardKey: true, failure: false };
    if (offline) return { ...base, encryption: 'offline', wireguardKey: false, failure: false };
    return {
      ...base,
      encryption: 'not-encrypting',
      wireguardKey: false,
      failure: true,
      detail: `no ${WIREGUARD.publicKeyAnnotation} annotation: peers cannot encrypt to it`,
    };
  }
  const spi = ciliumNodeSpi(cn);
  const want = i.secret?.key?.spi;
  if (spi === 0) {
    if (offline) return { ...base, encryption: 'offline', spi, failure: false, detail: 'offline, no key reported' };
    return {
      ...base,
      encryption: 'not-encrypting',
      spi,
      failure: true,
      detail: 'spec.encryption.key is 0: no IPsec key loaded',
    };
  }
  if (want === undefined || spi === want) return { ...base, encryption: 'encrypting', spi, failure: false };
  if (offline)
    return {
      ...base,
      encryption: 'offline-old-key',
      spi,
      failure: false,
      detail: `on key ${spi}, Secret has ${want}: takes the new key when it reconnects`,
    };
  return { ...base, encryption: 'old-key', spi, failure: false, detail: `on key ${spi}, Secret has ${want}` };
}

function group(name: string, nodes: EncryptionNode[]): EncryptionGroup {
  return {
    name,
    nodes,
    counts: {
      nodes: nodes.length,
      encrypting: nodes.filter((n) => n.encryption === 'encrypting').length,
      oldKey: nodes.filter((n) => n.encryption === 'old-key' || n.encryption === 'offline-old-key').length,
      notEncrypting: nodes.filter((n) => n.encryption === 'not-encrypting' || n.encryption === 'no-agent').length,
      offline: nodes.filter((n) => n.state.startsWith('offline')).length,
    },
  };
}

export function evaluateEncryption(i: EvaluateInput): EncryptionReport {
  const byName = new Map(i.ciliumNodes.map((c) => [nameOf(c), c]));
  const evaluated = i.nodes.map((n) => ({ obj: n, e: evaluateNode(n, byName.get(nameOf(n)), i) }));
  const grouped = new Set<string>();
  const groups = i.groups.map((g) => {
    const members = evaluated.filter((x) => matchesSelector(labelsOf(x.obj), g.nodeSelector));
    for (const m of members) grouped.add(m.e.name);
    return group(
      g.name,
      members.map((m) => m.e),
    );
  });
  const cloud = group(
    'cloud',
    evaluated.filter((x) => !isEdgeNode(x.obj)).map((x) => x.e),
  );
  const failures: string[] = [];
  const warnings: string[] = [];
  const where = (g: EncryptionGroup): string => (g.name === 'cloud' ? 'cloud' : `group ${g.name}`);
  for (const g of [cloud, ...groups])
    for (const n of g.nodes) {
      if (n.failure) failures.push(`${where(g)}: node ${n.name}: ${n.detail ?? n.encryption}`);
      else if (n.encryption === 'old-key') warnings.push(`${where(g)}: node ${n.name} ${n.detail ?? ''}`.trimEnd());
    }
  for (const x of evaluated)
    if (isEdgeNode(x.obj) && !grouped.has(x.e.name) && x.e.failure)
      failures.push(`edge node ${x.e.name} (no group): ${x.e.detail ?? x.e.encryption}`);
  const report: EncryptionReport = {
    namespace: i.namespace,
    mode: i.config.mode,
    nodeEncryption: i.config.nodeEncryption,
    strictMode: i.config.strictMode,
    cloud,
    groups,
    waitingForReconnect: evaluated
      .filter((x) => x.e.encryption === 'offline-old-key' || (x.e.encryption === 'offline' && i.config.mode !== 'none'))
      .map((x) => x.e.name),
    failures,
    warnings,
    ok: false,
  };
  if (i.config.ipsec) {
    const secret = i.secret ?? { name: i.config.ipsec.secretName, present: false };
    report.ipsec = { ...i.config.ipsec, secret };
    if (!secret.present)
      failures.unshift(
        `Secret ${i.namespace}/${secret.name} not found: agents cannot load an IPsec key (kec encryption create-key)`,
      );
    else if (secret.problem) failures.unshift(secret.problem);
    else if (secret.key && !secret.key.perTunnel)
      warnings.push(
        `the IPsec key uses the global-key form (no "+" after the SPI), deprecated since Cilium 1.16 (GHSA-pwqm-x5x6-5586); the next kec encryption rotate-key switches to per-tunnel keys`,
      );
  }
  if (i.config.wireguard) report.wireguard = i.config.wireguard;
  if (i.rotation) report.rotation = i.rotation;
  report.ok = failures.length === 0;
  return report;
}

// kec diagnose rules for transparent encryption: the IPsec key Secret, SPI mismatch between
// nodes, WireGuard UDP 51871 blocked at an edge site's NAT, and an MTU too big for the tunnel.
// Evidence is what the cluster shows: cilium-config, the Secret's key index (never the key),
// CiliumNode spec.encryption.key, and agents' `cilium-dbg status` WireGuard handshakes.
import type { Obj } from '../types.ts';
import { MTU } from '../../knowledge/cilium.ts';
import { WIREGUARD } from '../../knowledge/encryption.ts';
import { edgeDaemonSetName } from '../../names.ts';
import { nodeStatus } from '../status/report.ts';
import { asArr, asRec, asStr, containersOf, isEdgeNode, labelsOf, matchesSelector, nameOf } from '../snapshot/state.ts';
import { encryptionConfigOf } from '../encryption/config.ts';
import { ciliumNodeSpi } from '../encryption/evaluate.ts';
import { spiDistance } from '../encryption/keys.ts';
import type { DiagnoseState } from './state.ts';
import type { Finding, Rule } from './diagnose-rules.ts';

const online = (s: DiagnoseState): Set<string> => {
  const now = Date.parse(s.status.collectedAt);
  return new Set(
    s.status.nodes.filter((n) => !nodeStatus(n, now, Number.MAX_SAFE_INTEGER).state.startsWith('offline')).map(nameOf),
  );
};

const keySecret: Rule = {
  id: 'ipsec-key-secret-missing',
  title: 'IPsec key Secret missing or unreadable',
  check(s) {
    if (!s.ciliumConfig) return 'cilium-config not readable';
    const cfg = encryptionConfigOf(s.ciliumConfig);
    if (cfg.mode !== 'ipsec') return [];
    if (!s.ipsecSecret) return `Secret ${s.status.namespace}/${cfg.ipsec?.secretName ?? ''} could not be read (RBAC?)`;
    if (s.ipsecSecret.present && !s.ipsecSecret.problem) return [];
    return [
      {
        rule: this.id,
        title: this.title,
        severity: 'error',
        evidence: [
          'cilium-config enable-ipsec: true',
          s.ipsecSecret.present
            ? (s.ipsecSecret.problem ?? '')
            : `no Secret ${s.status.namespace}/${s.ipsecSecret.name} (agents mount it at /etc/ipsec and do not start without it)`,
        ],
        fix: `kec encryption create-key -n ${s.status.namespace} (a key from the CSPRNG, never printed); the Secret must be in the Cilium namespace`,
      },
    ];
  },
};

const spiMismatch: Rule = {
  id: 'ipsec-spi-mismatch',
  title: 'IPsec key index (SPI) differs between nodes',
  check(s) {
    if (!s.ciliumConfig) return 'cilium-config not readable';
    if (encryptionConfigOf(s.ciliumConfig).mode !== 'ipsec') return [];
    if (!s.ciliumNodes) return 'CiliumNodes could not be listed';
    const up = online(s);
    const bySpi = new Map<number, string[]>();
    for (const cn of s.ciliumNodes) {
      if (!up.has(nameOf(cn))) continue; // offline nodes move when they reconnect
      const spi = ciliumNodeSpi(cn);
      bySpi.set(spi, [...(bySpi.get(spi) ?? []), nameOf(cn)]);
    }
    const want = s.ipsecSecret?.spi;
    const spis = [...bySpi.keys()];
    if (spis.length <= 1 && (want === undefined || spis.every((x) => x === want))) return [];
    const evidence = [...bySpi].map(([spi, nodes]) => `key ${spi}: ${nodes.join(', ')}`);
    if (want !== undefined) evidence.unshift(`Secret ${s.ipsecSecret?.name ?? ''} has key ${want}`);
    for (const [pod, p] of s.probes ?? []) {
      const n = 'summary' in p ? (p.summary.ipsec?.errors['XfrmInStateProtoError'] ?? 0) : 0;
      if (n > 0) evidence.push(`${pod}: XfrmInStateProtoError ${n} (key or anti-replay mismatch between nodes)`);
    }
    // One rotation apart (new key loading) is a transition; anything else loses traffic.
    const transitional = want !== undefined && spis.every((x) => x === want || (x !== 0 && spiDistance(x, want) === 1));
    return [
      {
        rule: this.id,
        title: this.title,
        severity: transitional ? 'warning' : 'error',
        evidence,
        fix: transitional
          ? `a key rotation is in progress (agents load the new key within about a minute): kec encryption rotate-key --wait finishes it; nodes on key 0 have no key loaded`
          : `nodes more than one key apart cannot decrypt each other's traffic: restart the agents of the nodes not on key ${want ?? '?'} (they load the Secret's key), then rotate once more with kec encryption rotate-key`,
      },
    ];
  },
};

const ZERO_TIME = /^0001-01-01/;

/** Node by any of its addresses (Node status.addresses and CiliumNode spec.addresses). */
function nodesByIp(s: DiagnoseState): Map<string, Obj> {
  const m = new Map<string, Obj>();
  const byName = new Map(s.status.nodes.map((n) => [nameOf(n), n]));
  for (const n of s.status.nodes)
    for (const a of asArr(asRec(n['status'])['addresses']).map(asRec)) {
      const ip = asStr(a['address']);
      if (ip) m.set(ip, n);
    }
  for (const cn of s.ciliumNodes ?? []) {
    const n = byName.get(nameOf(cn));
    if (!n) continue;
    for (const a of asArr(asRec(cn['spec'])['addresses']).map(asRec)) {
      const ip = asStr(a['ip']);
      if (ip) m.set(ip, n);
    }
  }
  return m;
}

const wireguardNat: Rule = {
  id: 'wireguard-port-blocked-at-nat',
  title: `WireGuard (UDP ${WIREGUARD.port}) not getting through to edge nodes`,
  check(s) {
    if (!s.ciliumConfig) return 'cilium-config not readable';
    const cfg = encryptionConfigOf(s.ciliumConfig);
    if (cfg.mode !== 'wireguard') return [];
    const probes = [...(s.probes ?? [])].filter(([, p]) => 'summary' in p);
    if (!probes.length)
      return 'no agent answered cilium-dbg status (exec unavailable?): WireGuard handshake ages cannot be observed';
    const now = Date.parse(s.status.collectedAt);
    const up = online(s);
    const ipNode = nodesByIp(s);
    const stale = new Map<string, string[]>();
    for (const [pod, p] of probes) {
      if (!('summary' in p)) continue;
      for (const peer of p.summary.wireguardPeers ?? []) {
        const ip = peer.endpoint.replace(/^\[?([^\]]+?)\]?:\d+$/, '$1');
        const node = ipNode.get(ip);
        if (!node || !isEdgeNode(node) || !up.has(nameOf(node))) continue;
        const t = peer.lastHandshake && !ZERO_TIME.test(peer.lastHandshake) ? Date.parse(peer.lastHandshake) : NaN;
        if (!Number.isNaN(t) && now - t <= WIREGUARD.staleHandshakeMs) continue;
        const age = Number.isNaN(t) ? 'never' : `${Math.round((now - t) / 60_000)} min ago`;
        stale.set(nameOf(node), [
          ...(stale.get(nameOf(node)) ?? []),
          `${pod} → ${peer.endpoint}: last handshake ${age}`,
        ]);
      }
    }
    if (!stale.size) return [];
    const out: Finding[] = [];
    const groups = s.status.groups.map((g) => ({
      g,
      nodes: [...stale.keys()].filter((n) => {
        const node = s.status.nodes.find((x) => nameOf(x) === n);
        return node !== undefined && matchesSelector(labelsOf(node), g.nodeSelector);
      }),
    }));
    for (const { g, nodes } of groups.filter((x) => x.nodes.length)) {
      const nat = s.spec?.behindNat?.includes(g.name);
      out.push({
        rule: this.id,
        title: `edge group ${g.name}: WireGuard handshakes with ${nodes.length} Ready node(s) are stale`,
        severity: 'error',
        evidence: [
          ...nodes.flatMap((n) => (stale.get(n) ?? []).slice(0, 3).map((e) => `${n}: ${e}`)),
          `cilium-config wireguard-persistent-keepalive: ${cfg.wireguard?.persistentKeepalive ?? '(unset)'}`,
          ...(nat ? [`spec: group ${g.name} is behind NAT`] : []),
        ],
        fix: `the nodes are Ready (edgecore reaches cloudcore) but WireGuard does not: allow UDP ${WIREGUARD.port} both ways at the site's NAT/firewall (or forward it to each node), and set encryption.wireguard.persistentKeepalive (e.g. 25s) so edge nodes open and keep the NAT mapping`,
      });
    }
    return out;
  },
};

const mtu: Rule = {
  id: 'mtu-too-big-for-tunnel',
  title: 'MTU too big for the tunnel and encryption',
  check(s) {
    if (!s.ciliumConfig) return 'cilium-config not readable';
    const c = s.ciliumConfig;
    const cfg = encryptionConfigOf(c);
    const tunnel = (c['routing-mode'] ?? 'tunnel') === 'tunnel' ? MTU.tunnelIPv4 : 0;
    const enc = cfg.mode === 'wireguard' ? MTU.wireguard : cfg.mode === 'ipsec' ? MTU.ipsec : 0;
    const overhead = tunnel + enc;
    const out: Finding[] = [];
    for (const g of s.status.groups) {
      const ds = s.status.daemonSets.find((d) => nameOf(d) === edgeDaemonSetName(g.name));
      const arg =
        ds &&
        containersOf(ds)
          .flatMap((x) => x.args)
          .find((a) => a.startsWith('--mtu='));
      const configured = arg ? Number(arg.slice('--mtu='.length)) : Number(c['mtu'] ?? 0) || undefined;
      const path = s.spec?.linkMtu?.[g.name];
      const evidence: string[] = [];
      if (configured !== undefined && path !== undefined && configured > path)
        evidence.push(
          `agents use MTU ${configured} (${arg ? `DaemonSet ${nameOf(ds!)} ${arg}` : 'cilium-config mtu'}), the site's path MTU is ${path} (spec link.mtu)`,
        );
      if (configured === undefined && path !== undefined && path < MTU.ethernet)
        evidence.push(
          `agents auto-detect the device MTU (usually ${MTU.ethernet}); the site's path MTU is ${path} (spec link.mtu)`,
        );
      if (configured !== undefined && configured - overhead < MTU.minimum)
        evidence.push(`pod MTU ${configured} - ${overhead} = ${configured - overhead} is below ${MTU.minimum}`);
      if (!evidence.length) continue;
      out.push({
        rule: this.id,
        title: `edge group ${g.name}: ${this.title}`,
        severity: 'error',
        evidence: [...evidence, `overhead: tunnel ${tunnel} + ${cfg.mode} ${enc} bytes`],
        fix: `pass the site's path MTU to its agents (kec plan sets --mtu from spec link.mtu; re-plan and kec upgrade): Cilium subtracts the ${overhead}-byte overhead from it for pods; larger packets are dropped on the way (ICMP "fragmentation needed" rarely crosses NAT)`,
      });
    }
    return out;
  },
};

export const ENCRYPTION_RULES: readonly Rule[] = [keySecret, spiMismatch, wireguardNat, mtu];

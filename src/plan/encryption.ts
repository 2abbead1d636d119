// The encryption decision of one edge group, as `kec plan` shows it and plan.json carries it:
// what the agents of the group do, the bytes it costs on the pod MTU, and what the site needs.
import type { EdgeGroup, EdgeNetwork } from '../edgenetwork/types.ts';
import type { MtuPlan } from '../edgenetwork/mtu.ts';
import { IPSEC, WIREGUARD } from '../knowledge/encryption.ts';

export interface GroupEncryption {
  type: EdgeNetwork['spec']['cilium']['encryption']['type'];
  /** Node-to-node (host) traffic encrypted too (WireGuard only). */
  nodeEncryption: boolean;
  /** Bytes the encryption takes from the pod MTU. */
  overheadBytes: number;
  /** WireGuard persistent keepalive, when WireGuard is used. */
  wireguardKeepalive?: string;
  /** What the site's network must let through, in one line. */
  needs: string;
}

export function groupEncryption(spec: EdgeNetwork['spec'], g: EdgeGroup, mtu: MtuPlan): GroupEncryption {
  const e = spec.cilium.encryption;
  const base = {
    type: e.type,
    nodeEncryption: e.type === 'wireguard' && e.nodeEncryption,
    overheadBytes: mtu.encryption,
  };
  if (e.type === 'wireguard')
    return {
      ...base,
      wireguardKeepalive: e.wireguardKeepalive,
      needs: `UDP ${WIREGUARD.port} between this site and every other node${g.link.behindNAT ? '; behind NAT: the keepalive keeps the mapping open' : ''}`,
    };
  if (e.type === 'ipsec')
    return {
      ...base,
      needs: `ESP (IP protocol ${IPSEC.espProtocol})${g.link.behindNAT ? ', which rarely crosses NAT: prefer WireGuard for this site' : ''}; Secret ${IPSEC.secretName} (kec encryption create-key)`,
    };
  if (e.type === 'ztunnel') return { ...base, needs: 'TCP (HBONE) between ztunnel instances; no per-packet overhead' };
  return { ...base, needs: 'nothing: traffic between sites is not encrypted' };
}

// Warnings about the cluster as planned: things that work, but not the way a user
// with edge sites behind NAT might expect.
import type { Diagnostic } from '../diagnostics.ts';
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { KNOWN_ISSUES } from '../knowledge/kubeedge.ts';
import { getPath } from '../util/merge.ts';

export function planWarnings(spec: EdgeNetwork['spec'], values: Record<string, unknown>): Diagnostic[] {
  const w: Diagnostic[] = [];
  const warn = (path: string, message: string): void => {
    w.push({ severity: 'warning', path, message });
  };
  spec.edgeGroups.forEach((g, i) => {
    if (g.link.behindNAT && spec.cilium.routing.mode === 'tunnel') {
      warn(
        `spec.edgeGroups[${i}].link.behindNAT`,
        `pod traffic between "${g.name}" and other sites needs ${spec.cilium.routing.protocol === 'geneve' ? 'UDP 6081' : 'UDP 8472'} between node addresses; ` +
          `behind NAT that works only through a site VPN or with ${spec.cilium.encryption.type === 'wireguard' ? 'WireGuard initiated from the edge (keepalive set)' : 'WireGuard encryption'}; control traffic (cloudcore) is unaffected`,
      );
    }
  });
  if (spec.cilium.hubble.relay && spec.edgeGroups.some((g) => g.link.behindNAT)) {
    warn(
      'spec.cilium.hubble.relay',
      'Hubble Relay dials every agent on TCP 4244; agents behind NAT will show as unavailable in hubble status',
    );
  }
  if (getPath(values, ['envoy', 'enabled']) === true) {
    warn(
      'spec.cilium.values.envoy.enabled',
      `the cilium-envoy DaemonSet keeps edge agents from becoming Ready (${KNOWN_ISSUES.envoyBlocksEdgeAgent})`,
    );
  }
  return w;
}

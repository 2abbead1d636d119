// Ports Cilium opens on the node, against sockets already bound (/proc/net/{tcp,udp}[6]).
import { PORTS } from '../knowledge/cilium.ts';
import { check } from './checks.ts';
import type { FsRoot } from './fsroot.ts';
import type { Check } from '../check.ts';

const LISTEN = '0A';

/** Local ports in use: TCP in LISTEN, UDP bound (any state). */
export function boundPorts(fs: FsRoot): { tcp: Set<number>; udp: Set<number> } | undefined {
  const read = (proto: 'tcp' | 'udp'): Set<number> | undefined => {
    const texts = [fs.readText(`/proc/net/${proto}`), fs.readText(`/proc/net/${proto}6`)];
    if (texts.every((t) => t === undefined)) return undefined;
    const out = new Set<number>();
    for (const t of texts) {
      for (const l of (t ?? '').split('\n').slice(1)) {
        const f = l.trim().split(/\s+/);
        if (f.length < 4) continue;
        if (proto === 'tcp' && f[3] !== LISTEN) continue;
        const port = parseInt(f[1]!.split(':').pop() ?? '', 16);
        if (Number.isFinite(port)) out.add(port);
      }
    }
    return out;
  };
  const tcp = read('tcp');
  const udp = read('udp');
  return tcp && udp ? { tcp, udp } : undefined;
}

/** Which ports apply on an edge node for these features (relay 4245 and operator 9963 are checked too: harmless if free). */
type PortUse = { port: number; protocol: string; use: string; feature: string };
function relevant(features: readonly string[]): PortUse[] {
  const ports: ReadonlyArray<{ port: number; protocol: string; use: string }> = PORTS;
  return ports
    .filter((p) => p.port !== 4245)
    .flatMap((p): PortUse[] => {
      if (p.port === 8472) return features.includes('tunnel-vxlan') ? [{ ...p, feature: 'tunnel-vxlan' }] : [];
      if (p.port === 6081) return features.includes('tunnel-geneve') ? [{ ...p, feature: 'tunnel-geneve' }] : [];
      if (p.port === 51871) return features.includes('wireguard') ? [{ ...p, feature: 'wireguard' }] : [];
      return [{ ...p, feature: 'base' }];
    });
}

export function portChecks(fs: FsRoot, features: readonly string[]): Check[] {
  const bound = boundPorts(fs);
  return relevant(features).map((p) => {
    const id = `port.${p.port}`;
    const label = `${p.port}/${p.protocol.toLowerCase()} (${p.use})`;
    if (!bound) return check(id, p.feature, 'skip', `${label}: no /proc/net under ${fs.root}`);
    const set = p.protocol === 'UDP' ? bound.udp : bound.tcp;
    if (set.has(p.port)) {
      return check(
        id,
        p.feature,
        'fail',
        `${label}: already in use`,
        `find the owner with \`ss -lpn 'sport = :${p.port}'\` and stop it (an old Cilium agent or another CNI?)`,
      );
    }
    return check(id, p.feature, 'pass', `${label}: free`);
  });
}

// Stage 3: rules across fields — versions, networking, encryption, Helm pass-through.
// Per-group rules (kernel, selectors, MTU) are in group-constraints.ts.
import type { Diagnostics } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import type { EdgeNetwork } from './types.ts';
import {
  CILIUM_LATEST_PATCH,
  CILIUM_SUPPORTED_MINORS,
  FEATURE_MIN_CILIUM,
  HUBBLE_METRICS,
} from '../knowledge/cilium.ts';
import { KUBEEDGE_LATEST_KNOWN, KUBEEDGE_MIN_VERSION } from '../knowledge/kubeedge.ts';
import { chartVersionFor, checkKeyPath, keyPathsOf } from '../knowledge/chart-keys.ts';
import { atLeast, compareVersions, minorOf, parseVersion } from '../util/version.ts';
import { cidrContainsIP, cidrsOverlap, parseCidr, parseIP } from '../util/cidr.ts';
import { checkGroups } from './group-constraints.ts';

export function checkRules(n: EdgeNetwork, d: Diagnostics): void {
  checkVersions(n, d);
  checkNetwork(n, d);
  checkEncryption(n, d);
  checkFeatures(n, d);
  checkHelmValues(n, d);
  checkGroups(n, d);
}

function checkVersions(n: EdgeNetwork, d: Diagnostics): void {
  const c = parseVersion(n.spec.cilium.version ?? '');
  if (c && !d.hasErrorAt('spec.cilium.version')) {
    const minor = minorOf(c);
    const latest = CILIUM_LATEST_PATCH[minor];
    if (latest === undefined) {
      d.error(
        'spec.cilium.version',
        `Cilium ${c.raw} is not supported; kec supports ${CILIUM_SUPPORTED_MINORS.join(', ')}` +
          (compareVersions(c, { major: 1, minor: 16, patch: 0 }) < 0
            ? ' (upgrade Cilium first: older releases are end of life)'
            : ''),
      );
    } else if (!/^v?\d+\.\d+\.\d+/.test(c.raw)) {
      d.error('spec.cilium.version', `${show(c.raw)} names a minor only; give the exact release, e.g. "${latest}"`);
    } else {
      const l = parseVersion(latest)!;
      if (compareVersions(c, l) > 0)
        d.warn(
          'spec.cilium.version',
          `${c.raw} is newer than the newest ${minor} release kec knows (${latest}); chart keys are checked against ${latest}`,
        );
      else if (compareVersions(c, l) < 0)
        d.warn('spec.cilium.version', `${c.raw} is not the latest ${minor} patch release; ${latest} has the fixes`);
    }
  }
  const k = parseVersion(n.spec.kubeedge.version ?? '');
  if (k && !d.hasErrorAt('spec.kubeedge.version')) {
    if (!atLeast(k, KUBEEDGE_MIN_VERSION)) {
      d.error(
        'spec.kubeedge.version',
        `KubeEdge ${k.raw} cannot run Cilium on edge nodes: edge agents reach the API through MetaServer, which needs KubeEdge >= 1.16`,
      );
    } else if (
      compareVersions(k, parseVersion(KUBEEDGE_LATEST_KNOWN)!) > 0 &&
      minorOf(k) !== minorOf(parseVersion(KUBEEDGE_LATEST_KNOWN)!)
    ) {
      d.warn(
        'spec.kubeedge.version',
        `KubeEdge ${k.raw} is newer than kec knows (${KUBEEDGE_LATEST_KNOWN}); edgecore keys are assumed unchanged`,
      );
    }
  }
}

function cidr(path: string, text: string | undefined, d: Diagnostics): ReturnType<typeof parseCidr> {
  if (text === undefined) return undefined;
  const c = parseCidr(text);
  if (!c) d.error(path, `${show(text)} is not a CIDR such as 10.0.0.0/8`);
  return c;
}

function checkNetwork(n: EdgeNetwork, d: Diagnostics): void {
  const k = n.spec.kubernetes;
  const pod = cidr('spec.kubernetes.podCIDR', k.podCIDR, d);
  const svc = cidr('spec.kubernetes.serviceCIDR', k.serviceCIDR, d);
  const nat = cidr('spec.cilium.routing.nativeRoutingCIDR', n.spec.cilium.routing.nativeRoutingCIDR, d);
  if (pod && svc && cidrsOverlap(pod, svc)) {
    if (svc.prefix > pod.prefix) {
      // Cilium's and Kubernetes' defaults (10.0.0.0/8 and 10.96.0.0/12) nest like this; cluster-pool IPAM
      // hands out node CIDRs from the start of the pool, so it breaks only once allocation reaches the services.
      d.warn(
        'spec.kubernetes.serviceCIDR',
        `${svc.text} lies inside the pod CIDR ${pod.text}; pods and Services collide once node CIDRs are allocated from that range; prefer disjoint ranges`,
      );
    } else {
      d.error('spec.kubernetes.serviceCIDR', `${svc.text} overlaps the pod CIDR ${pod.text} (spec.kubernetes.podCIDR)`);
    }
  }
  if (pod && pod.family === 4 && k.podCIDRMaskSize <= pod.prefix) {
    d.error(
      'spec.kubernetes.podCIDRMaskSize',
      `/${k.podCIDRMaskSize} per node does not fit in the pod CIDR ${pod.text}; use a size larger than ${pod.prefix}`,
    );
  }
  const dns = parseIP(k.clusterDNS);
  if (!dns) d.error('spec.kubernetes.clusterDNS', `${show(k.clusterDNS)} is not an IP address`);
  else if (svc && !cidrContainsIP(svc, dns))
    d.error('spec.kubernetes.clusterDNS', `${k.clusterDNS} is outside the service CIDR ${svc.text}`);
  const host = k.apiServer.host;
  if (host !== undefined) {
    const ip = parseIP(host);
    if (!ip && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(host))
      d.error('spec.kubernetes.apiServer.host', `${show(host)} is not an IP address or DNS name`);
    if (ip && ((pod && cidrContainsIP(pod, ip)) || (svc && cidrContainsIP(svc, ip)))) {
      d.warn(
        'spec.kubernetes.apiServer.host',
        `${host} is inside the pod or service CIDR; agents need the API server's real address, not a ClusterIP`,
      );
    }
  }
  if (n.spec.cilium.kubeProxyReplacement && host === undefined) {
    d.error(
      'spec.kubernetes.apiServer.host',
      'is required with kubeProxyReplacement: true: without kube-proxy, cloud agents cannot reach the API server through its ClusterIP',
    );
  }
  const r = n.spec.cilium.routing;
  if (r.mode === 'native') {
    if (r.nativeRoutingCIDR === undefined) {
      d.error(
        'spec.cilium.routing.nativeRoutingCIDR',
        'is required with routing.mode native (the CIDR routable without masquerading, usually the pod CIDR)',
      );
    } else if (nat && pod && !cidrsOverlap(nat, pod)) {
      d.warn(
        'spec.cilium.routing.nativeRoutingCIDR',
        `${nat.text} does not contain the pod CIDR ${pod.text}; pod traffic will be masqueraded`,
      );
    }
    n.spec.edgeGroups.forEach((g, i) => {
      if (g.link.behindNAT) {
        d.error(
          'spec.cilium.routing.mode',
          `native routing needs a routable path between nodes, but edge group "${g.name}" is behind NAT (spec.edgeGroups[${i}].link.behindNAT); use tunnel`,
        );
      }
    });
  } else if (r.nativeRoutingCIDR !== undefined) {
    d.warn('spec.cilium.routing.nativeRoutingCIDR', 'is only used with routing.mode native; tunnel mode ignores it');
  }
}

function checkEncryption(n: EdgeNetwork, d: Diagnostics): void {
  const e = n.spec.cilium.encryption;
  if (e.nodeEncryption && e.type !== 'wireguard' && !d.hasErrorAt('spec.cilium.encryption.type')) {
    d.error('spec.cilium.encryption.nodeEncryption', `works only with WireGuard; encryption.type is ${show(e.type)}`);
  }
  const v = parseVersion(n.spec.cilium.version ?? '');
  if (e.type === 'ztunnel' && v && !atLeast(v, FEATURE_MIN_CILIUM.ztunnelEncryption)) {
    d.error(
      'spec.cilium.encryption.type',
      `"ztunnel" needs Cilium >= 1.19; spec.cilium.version is ${v.raw}; use wireguard or ipsec`,
    );
  }
  if (
    e.type !== 'wireguard' &&
    n.spec.cilium.encryption.wireguardKeepalive !== '0s' &&
    n.spec.cilium.encryption.wireguardKeepalive !== undefined
  ) {
    d.warn('spec.cilium.encryption.wireguardKeepalive', 'is only used with WireGuard');
  }
}

function checkFeatures(n: EdgeNetwork, d: Diagnostics): void {
  const c = n.spec.cilium;
  if (c.hostRouting === 'bpf' && !c.kubeProxyReplacement) {
    d.error(
      'spec.cilium.hostRouting',
      '"bpf" host routing needs kubeProxyReplacement: true (and eBPF masquerading, which kec turns on)',
    );
  }
  if (c.hubble.relay && !c.hubble.enabled) d.error('spec.cilium.hubble.relay', 'needs hubble.enabled: true');
  if (c.hubble.ui && !c.hubble.relay)
    d.error('spec.cilium.hubble.ui', 'needs hubble.relay: true (the UI reads flows from Relay)');
  c.hubble.metrics.forEach((m, i) => {
    if (typeof m !== 'string') return; // the schema reported it
    const name = m.split(':')[0] ?? '';
    if (!(HUBBLE_METRICS as readonly string[]).includes(name)) {
      d.error(
        `spec.cilium.hubble.metrics[${i}]`,
        `${show(m)} is not a Hubble metric; known: ${HUBBLE_METRICS.join(', ')}`,
      );
    }
  });
  if (c.hubble.metrics.length > 0 && !c.hubble.enabled)
    d.error('spec.cilium.hubble.metrics', 'need hubble.enabled: true');
}

/** Extra Helm values: every key must exist in the chart of the chosen version. */
function checkHelmValues(n: EdgeNetwork, d: Diagnostics): void {
  const values = n.spec.cilium.values;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    d.error('spec.cilium.values', 'must be a mapping of Helm values');
    return;
  }
  const v = parseVersion(n.spec.cilium.version ?? '');
  const chart = v && chartVersionFor(minorOf(v));
  if (!chart) return;
  const reported = new Set<string>();
  for (const key of keyPathsOf(values)) {
    const res = checkKeyPath(chart, key);
    if (res.ok || reported.has(res.unknown)) continue;
    reported.add(res.unknown);
    const path = `spec.cilium.values.${res.unknown}`;
    if (d.hasErrorAt(path)) continue;
    const hint = res.nearest
      ? `; did you mean "${res.nearest}"?`
      : res.existsIn.length
        ? ` (it exists in chart ${res.existsIn.join(', ')})`
        : '';
    d.error(path, `is not a value of the Cilium ${chart} chart: Helm would ignore it silently${hint}`);
  }
}

// Which datapath features a normalised spec turns on: drives kernel checks in the
// plan and `kec node preflight --plan DIR --group G`.
import type { KernelFeatureName } from '../knowledge/kernel.ts';
import type { KernelFeature } from '../knowledge/cilium.ts';
import type { EdgeNetwork } from './types.ts';

export interface EnabledFeature {
  /** Kernel-option feature name (knowledge/kernel.ts). */
  name: KernelFeatureName;
  /** Feature with its own kernel floor (knowledge/cilium.ts FEATURE_MIN_KERNEL), if any. */
  minKernel?: KernelFeature;
  /** The spec field that turns it on. */
  because: string;
}

export function enabledFeatures(spec: EdgeNetwork['spec']): EnabledFeature[] {
  const c = spec.cilium;
  const out: EnabledFeature[] = [{ name: 'base', because: 'spec.cilium.version' }];
  if (c.routing.mode === 'tunnel') {
    out.push({
      name: c.routing.protocol === 'geneve' ? 'tunnel-geneve' : 'tunnel-vxlan',
      because: 'spec.cilium.routing',
    });
  }
  if (c.l7Proxy) out.push({ name: 'l7-proxy', because: 'spec.cilium.l7Proxy' });
  if (!bpfMasquerade(spec))
    out.push({ name: 'iptables-masquerade', because: 'spec.cilium.hostRouting (legacy: iptables masquerading)' });
  if (c.encryption.type === 'ipsec') out.push({ name: 'ipsec', because: 'spec.cilium.encryption.type' });
  if (c.encryption.type === 'wireguard')
    out.push({ name: 'wireguard', minKernel: 'wireguard', because: 'spec.cilium.encryption.type' });
  if (c.bandwidthManager)
    out.push({ name: 'bandwidth-manager', minKernel: 'bandwidth-manager', because: 'spec.cilium.bandwidthManager' });
  if (c.kubeProxyReplacement) out.push({ name: 'kube-proxy-replacement', because: 'spec.cilium.kubeProxyReplacement' });
  if (c.hostRouting === 'bpf')
    out.push({ name: 'host-routing', minKernel: 'host-routing', because: 'spec.cilium.hostRouting' });
  if (c.datapathMode !== 'veth') out.push({ name: 'netkit', minKernel: 'netkit', because: 'spec.cilium.datapathMode' });
  if (c.bigTCP.ipv6) out.push({ name: 'bigtcp', minKernel: 'bigtcp-ipv6', because: 'spec.cilium.bigTCP.ipv6' });
  if (c.bigTCP.ipv4) out.push({ name: 'bigtcp', minKernel: 'bigtcp-ipv4', because: 'spec.cilium.bigTCP.ipv4' });
  return out;
}

/** eBPF masquerading goes with eBPF host routing (Cilium tuning guide: host routing needs KPR + BPF masquerade). */
export function bpfMasquerade(spec: EdgeNetwork['spec']): boolean {
  return spec.cilium.hostRouting === 'bpf';
}

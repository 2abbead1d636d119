// Helm values for the single Cilium release. Cloud components are kept off edge
// nodes here, in the values, so that the next `helm upgrade` keeps it (a kubectl patch
// of the DaemonSet would be reverted).
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import { cloudOnlyAffinity } from './affinity.ts';
import { bpfMasquerade } from '../edgenetwork/features.ts';
import { deepMerge } from '../util/merge.ts';
import { monitoringHelmValues } from './metrics-values.ts';

export interface Decision {
  id: string;
  title: string;
  detail: string;
  source: string;
}

export function ciliumValues(spec: EdgeNetwork['spec']): { values: Record<string, unknown>; decisions: Decision[] } {
  const c = spec.cilium;
  const k = spec.kubernetes;
  const decisions: Decision[] = [];
  const v: Record<string, unknown> = {};

  v['kubeProxyReplacement'] = String(c.kubeProxyReplacement);
  if (k.apiServer.host !== undefined) {
    v['k8sServiceHost'] = k.apiServer.host;
    v['k8sServicePort'] = k.apiServer.port;
  }
  v['routingMode'] = c.routing.mode;
  if (c.routing.mode === 'tunnel') v['tunnelProtocol'] = c.routing.protocol;
  else v['ipv4NativeRoutingCIDR'] = c.routing.nativeRoutingCIDR;
  v['ipam'] = {
    mode: 'cluster-pool',
    operator: { clusterPoolIPv4PodCIDRList: [k.podCIDR], clusterPoolIPv4MaskSize: k.podCIDRMaskSize },
  };

  if (c.encryption.type !== 'none') {
    const enc: Record<string, unknown> = { enabled: true, type: c.encryption.type };
    if (c.encryption.type === 'wireguard') {
      enc['nodeEncryption'] = c.encryption.nodeEncryption;
      enc['wireguard'] = { persistentKeepalive: c.encryption.wireguardKeepalive };
      if (spec.edgeGroups.some((g) => g.link.behindNAT)) {
        decisions.push({
          id: 'wireguard-keepalive',
          title: `WireGuard keepalive ${c.encryption.wireguardKeepalive}`,
          detail:
            'Edge groups behind NAT lose their NAT mapping when idle; a persistent keepalive keeps the tunnel from the edge open.',
          source: 'Cilium encryption.wireguard.persistentKeepalive; KubeEdge e2e used 10s, the 2024 blog 60s',
        });
      }
    }
    v['encryption'] = enc;
  }

  // kubeedge#6113: the cilium-envoy DaemonSet (default on since 1.16) blocks edge agents.
  v['envoy'] = { enabled: false };
  v['l7Proxy'] = c.l7Proxy;
  decisions.push({
    id: 'envoy-embedded',
    title: 'No cilium-envoy DaemonSet (envoy.enabled=false)',
    detail: c.l7Proxy
      ? 'The standalone cilium-envoy DaemonSet, default since Cilium 1.16, keeps edge agents from becoming Ready (kubeedge#6113, website#703). kec runs Envoy inside each agent instead, so L7 and FQDN policies keep working on cloud and edge nodes alike.'
      : 'L7 proxy is off (spec.cilium.l7Proxy: false), so no Envoy runs at all; the cilium-envoy DaemonSet, which blocks edge agents (kubeedge#6113), is not deployed.',
    source: 'kubeedge/kubeedge#6113, kubeedge/website#703; Cilium values envoy.enabled',
  });

  if (!c.kubeProxyReplacement) {
    // The default, explained rather than warned about: a default must not warn about itself.
    decisions.push({
      id: 'kube-proxy-stays',
      title: 'kube-proxy keeps handling Services (kubeProxyReplacement: false)',
      detail:
        'Services on edge nodes then need kube-proxy (reaching the API through MetaServer) or EdgeMesh; with spec.cilium.kubeProxyReplacement: true, edge agents handle Services themselves.',
      source: 'Cilium values kubeProxyReplacement; KubeEdge docs: kube-proxy and EdgeMesh on edge nodes',
    });
  }

  v['affinity'] = cloudOnlyAffinity();
  v['operator'] = { replicas: c.operatorReplicas, affinity: cloudOnlyAffinity() };
  decisions.push({
    id: 'cloud-affinity',
    title: 'Cloud components stay off edge nodes (affinity in the Helm values)',
    detail:
      'The cilium DaemonSet, cilium-operator, hubble-relay and hubble-ui require node-role.kubernetes.io/edge DoesNotExist. Being Helm values, this survives helm upgrade; edge nodes get their own DaemonSets cilium-edge-<group>.',
    source:
      'kubeedge hack/configure_cilium.sh (patches the DaemonSet instead); Cilium values affinity, operator.affinity, hubble.relay.affinity, hubble.ui.affinity',
  });

  const hubble: Record<string, unknown> = { enabled: c.hubble.enabled };
  if (c.hubble.enabled) {
    hubble['relay'] = c.hubble.relay ? { enabled: true, affinity: cloudOnlyAffinity() } : { enabled: false };
    hubble['ui'] = c.hubble.ui ? { enabled: true, affinity: cloudOnlyAffinity() } : { enabled: false };
    if (c.hubble.metrics.length > 0) hubble['metrics'] = { enabled: [...c.hubble.metrics] };
  }
  v['hubble'] = hubble;

  if (c.bandwidthManager) v['bandwidthManager'] = { enabled: true };
  const bpf: Record<string, unknown> = {};
  if (bpfMasquerade(spec)) bpf['masquerade'] = true;
  if (c.hostRouting === 'bpf') bpf['hostLegacyRouting'] = false;
  if (c.datapathMode !== 'veth') bpf['datapathMode'] = c.datapathMode;
  if (Object.keys(bpf).length) v['bpf'] = bpf;
  if (c.bigTCP.ipv4) v['enableIPv4BIGTCP'] = true;
  if (c.bigTCP.ipv6) v['enableIPv6BIGTCP'] = true;

  let values = v;
  if (c.prometheus) {
    values = deepMerge(values, monitoringHelmValues(spec, { serviceMonitor: c.serviceMonitors }));
    decisions.push({
      id: 'metrics',
      title: `Metrics for kec monitoring rules${c.serviceMonitors ? ' (with ServiceMonitors)' : ''}`,
      detail:
        'Agent and operator Prometheus metrics are on, and Hubble adds its drop and policy metrics: the alerts of `kec monitoring rules` use them.',
      source: 'Cilium values prometheus.enabled, operator.prometheus.enabled, hubble.metrics.enabled',
    });
  }
  return { values: deepMerge(values, c.values), decisions };
}

// What the chart's RBAC does not say about the resources the Cilium agent lists and watches:
// the API version the agent asks for, the kind, and whether a default install watches it.
// scripts/gen-agent-resources.ts joins these facts to the ClusterRole `cilium` of each real
// chart (helm template) and writes generated/agent-resources.json.
//
// Sources:
// - API versions of cilium.io: the CRD files under cilium/cilium
//   pkg/k8s/apis/cilium.io/client/crds/{v2,v2alpha1}/ (test/fixtures/cilium-crds/ holds the
//   v2 CRDs of main) and each release's upgrade notes: CiliumCIDRGroup and
//   CiliumLoadBalancerIPPool moved to v2 in 1.17, the BGP control plane v2 API
//   (CiliumBGPNodeConfig/PeerConfig/Advertisement) in 1.18, CiliumPodIPPool got a v2 API in
//   1.20 (cilium/cilium PR #44383); CiliumEndpointSlice, CiliumL2AnnouncementPolicy,
//   CiliumBGPPeeringPolicy (out of the agent's RBAC from 1.20) and CiliumDatapathPlugin (new in 1.20) are v2alpha1.
// - Core groups: Kubernetes' stable versions (v1 for all of them since Kubernetes 1.21).
// - Kinds: the CRDs' spec.names.kind, Kubernetes' own kinds.
// - Feature gates: the Helm values that make the agent start the watcher (Cilium's
//   values.yaml of each chart: bgpControlPlane, l2announcements, envoyConfig, egressGateway,
//   localRedirectPolicy, ciliumEndpointSlice, ipam.mode=multi-pool); everything else is
//   watched by every agent with the chart's default values.

/** API version of a cilium.io resource by the first Cilium minor that uses it. */
export const CILIUM_IO_VERSIONS: Readonly<
  Record<string, ReadonlyArray<readonly [sinceMinor: string, version: string]>>
> = {
  ciliumcidrgroups: [
    ['1.0', 'v2alpha1'],
    ['1.17', 'v2'],
  ],
  ciliumloadbalancerippools: [
    ['1.0', 'v2alpha1'],
    ['1.17', 'v2'],
  ],
  ciliumbgpnodeconfigs: [
    ['1.0', 'v2alpha1'],
    ['1.18', 'v2'],
  ],
  ciliumbgppeerconfigs: [
    ['1.0', 'v2alpha1'],
    ['1.18', 'v2'],
  ],
  ciliumbgpadvertisements: [
    ['1.0', 'v2alpha1'],
    ['1.18', 'v2'],
  ],
  ciliumpodippools: [
    ['1.0', 'v2alpha1'],
    ['1.20', 'v2'],
  ],
  ciliumbgppeeringpolicies: [['1.0', 'v2alpha1']],
  ciliumendpointslices: [['1.0', 'v2alpha1']],
  ciliuml2announcementpolicies: [['1.0', 'v2alpha1']],
  ciliumdatapathplugins: [['1.0', 'v2alpha1']],
};
/** Every other cilium.io resource the agent watches is cilium.io/v2. */
export const CILIUM_IO_DEFAULT_VERSION = 'v2';

/** Preferred version of the other API groups in the agent's ClusterRole. */
export const GROUP_VERSIONS: Readonly<Record<string, string>> = {
  '': 'v1',
  'networking.k8s.io': 'v1',
  'discovery.k8s.io': 'v1',
  'apiextensions.k8s.io': 'v1',
  'coordination.k8s.io': 'v1',
  'policy.networking.k8s.io': 'v1alpha2',
};

export const KINDS: Readonly<Record<string, string>> = {
  namespaces: 'Namespace',
  services: 'Service',
  pods: 'Pod',
  endpoints: 'Endpoints',
  nodes: 'Node',
  secrets: 'Secret',
  networkpolicies: 'NetworkPolicy',
  endpointslices: 'EndpointSlice',
  customresourcedefinitions: 'CustomResourceDefinition',
  clusternetworkpolicies: 'ClusterNetworkPolicy',
  ciliumloadbalancerippools: 'CiliumLoadBalancerIPPool',
  ciliumbgppeeringpolicies: 'CiliumBGPPeeringPolicy',
  ciliumbgpnodeconfigs: 'CiliumBGPNodeConfig',
  ciliumbgpadvertisements: 'CiliumBGPAdvertisement',
  ciliumbgppeerconfigs: 'CiliumBGPPeerConfig',
  ciliumclusterwideenvoyconfigs: 'CiliumClusterwideEnvoyConfig',
  ciliumclusterwidenetworkpolicies: 'CiliumClusterwideNetworkPolicy',
  ciliumegressgatewaypolicies: 'CiliumEgressGatewayPolicy',
  ciliumendpoints: 'CiliumEndpoint',
  ciliumendpointslices: 'CiliumEndpointSlice',
  ciliumenvoyconfigs: 'CiliumEnvoyConfig',
  ciliumidentities: 'CiliumIdentity',
  ciliumlocalredirectpolicies: 'CiliumLocalRedirectPolicy',
  ciliumnetworkpolicies: 'CiliumNetworkPolicy',
  ciliumnodes: 'CiliumNode',
  ciliumnodeconfigs: 'CiliumNodeConfig',
  ciliumcidrgroups: 'CiliumCIDRGroup',
  ciliuml2announcementpolicies: 'CiliumL2AnnouncementPolicy',
  ciliumpodippools: 'CiliumPodIPPool',
  ciliumdatapathplugins: 'CiliumDatapathPlugin',
};

/**
 * Resources the agent watches only when a feature is on (the Helm value that turns it on).
 * Endpoints: the agent reads EndpointSlices and falls back to Endpoints only on clusters without them.
 */
export const FEATURE_GATED: Readonly<Record<string, string>> = {
  endpoints: 'only without EndpointSlices (pre-1.21 clusters)',
  ciliumloadbalancerippools: 'bgpControlPlane.enabled or l2announcements.enabled',
  ciliumbgppeeringpolicies: 'bgpControlPlane.enabled',
  ciliumbgpnodeconfigs: 'bgpControlPlane.enabled',
  ciliumbgpadvertisements: 'bgpControlPlane.enabled',
  ciliumbgppeerconfigs: 'bgpControlPlane.enabled',
  ciliumclusterwideenvoyconfigs: 'envoyConfig.enabled (or ingressController/gatewayAPI)',
  ciliumenvoyconfigs: 'envoyConfig.enabled (or ingressController/gatewayAPI)',
  ciliumegressgatewaypolicies: 'egressGateway.enabled',
  ciliumlocalredirectpolicies: 'localRedirectPolicy.enabled',
  ciliumendpointslices: 'ciliumEndpointSlice.enabled',
  ciliuml2announcementpolicies: 'l2announcements.enabled',
  ciliumpodippools: 'ipam.mode=multi-pool',
  ciliumdatapathplugins: 'datapath plugins (off by default)',
  clusternetworkpolicies: 'k8sClusterNetworkPolicy.enabled',
};

/**
 * Resources of which every cluster has at least one object (the agent's own Node, the
 * `kubernetes` Service, kube-system, Cilium's CRDs): an empty list of these is wrong.
 */
export const NEVER_EMPTY: ReadonlySet<string> = new Set([
  'nodes',
  'namespaces',
  'services',
  'customresourcedefinitions',
]);

function minorNumber(minor: string): number {
  const [a, b] = minor.split('.').map(Number);
  return (a ?? 0) * 1000 + (b ?? 0);
}

/** The version the agent of Cilium `minor` ("1.18") uses for a resource of `group`. */
export function apiVersionFor(group: string, resource: string, minor: string): string | undefined {
  if (group !== 'cilium.io') return GROUP_VERSIONS[group];
  const steps = CILIUM_IO_VERSIONS[resource];
  if (!steps) return CILIUM_IO_DEFAULT_VERSION;
  let v: string | undefined;
  for (const [since, version] of steps) if (minorNumber(minor) >= minorNumber(since)) v = version;
  return v;
}

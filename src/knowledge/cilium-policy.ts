// Upstream facts the policy engine (src/policy) depends on.

/** Entities accepted in fromEntities/toEntities. Source: CNP CRD enum (cilium.io/v2, fixtures/cilium-crds) and pkg/policy/api/entity.go. */
export const CILIUM_ENTITIES = [
  'all',
  'world',
  'cluster',
  'host',
  'init',
  'ingress',
  'unmanaged',
  'remote-node',
  'health',
  'none',
  'kube-apiserver',
];

/**
 * Reserved identities and their numeric IDs. Source: cilium pkg/identity/numericidentity.go
 * (ReservedIdentityHost = 1 ... ReservedIdentityIngress = 8).
 */
export const RESERVED_IDENTITIES: Record<string, number> = {
  host: 1,
  world: 2,
  unmanaged: 3,
  health: 4,
  init: 5,
  'remote-node': 6,
  'kube-apiserver': 7,
  ingress: 8,
};

/**
 * What each entity selects, as reserved labels; `cluster` additionally selects every pod of the
 * cluster (io.cilium.k8s.policy.cluster=<name>) and `all` selects everything.
 * Source: pkg/policy/api/entity.go (InitEntities, EntitySelectorMapping).
 */
export const ENTITY_RESERVED: Record<string, string[]> = {
  world: ['world'],
  host: ['host'],
  'remote-node': ['remote-node'],
  health: ['health'],
  init: ['init'],
  unmanaged: ['unmanaged'],
  ingress: ['ingress'],
  'kube-apiserver': ['kube-apiserver'],
  none: [],
  cluster: ['host', 'remote-node', 'init', 'health', 'unmanaged', 'ingress', 'kube-apiserver'],
};

/** Source: pkg/policy/api/rule_validation.go (maxPorts, maxICMPFields). */
export const MAX_PORTS = 40;
export const MAX_ICMP_FIELDS = 40;

/** Default cluster name (io.cilium.k8s.policy.cluster label). Source: Helm value cluster.name default "default". */
export const DEFAULT_CLUSTER_NAME = 'default';

/**
 * Pod labels Cilium leaves out of security identities by default (a subset of the default
 * label filter, pkg/labelsfilter/filter.go): they cannot be selected by policy.
 */
export const IDENTITY_IRRELEVANT_LABELS = [
  'pod-template-hash',
  'pod-template-generation',
  'controller-revision-hash',
  'controller-uid',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/job-completion-index',
  'batch.kubernetes.io/controller-uid',
];

/** ICMP type names accepted by the CNP CRD. Source: CRD icmps.fields.type description; IANA ICMP/ICMPv6 registries. */
export const ICMP_TYPES: Record<'IPv4' | 'IPv6', Record<string, number>> = {
  IPv4: {
    EchoReply: 0,
    DestinationUnreachable: 3,
    Redirect: 5,
    Echo: 8,
    EchoRequest: 8,
    RouterAdvertisement: 9,
    RouterSelection: 10,
    TimeExceeded: 11,
    ParameterProblem: 12,
    Timestamp: 13,
    TimestampReply: 14,
    Photuris: 40,
    ExtendedEchoRequest: 42,
    ExtendedEchoReply: 43,
  },
  IPv6: {
    DestinationUnreachable: 1,
    PacketTooBig: 2,
    TimeExceeded: 3,
    ParameterProblem: 4,
    EchoRequest: 128,
    EchoReply: 129,
    MulticastListenerQuery: 130,
    MulticastListenerReport: 131,
    MulticastListenerDone: 132,
    RouterSolicitation: 133,
    RouterAdvertisement: 134,
    NeighborSolicitation: 135,
    NeighborAdvertisement: 136,
    RedirectMessage: 137,
    RouterRenumbering: 138,
    ICMPNodeInformationQuery: 139,
    ICMPNodeInformationResponse: 140,
    InverseNeighborDiscoverySolicitation: 141,
    InverseNeighborDiscoveryAdvertisement: 142,
    HomeAgentAddressDiscoveryRequest: 144,
    HomeAgentAddressDiscoveryReply: 145,
    MobilePrefixSolicitation: 146,
    MobilePrefixAdvertisement: 147,
    DuplicateAddressRequestCodeSuffix: 157,
    DuplicateAddressConfirmationCodeSuffix: 158,
    ExtendedEchoRequest: 160,
    ExtendedEchoReply: 161,
  },
};

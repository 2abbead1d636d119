// The EdgeNetwork spec (apiVersion kec.kubeedge.io/v1alpha1): every field, its type,
// default and meaning. docs/spec.md is generated from this file.
import type { Field } from './schema-dsl.ts';
import { DATAPATH_MODES, HUBBLE_METRICS, ROUTING_MODES, TUNNEL_PROTOCOLS } from '../knowledge/cilium.ts';
import { METASERVER } from '../knowledge/kubeedge.ts';

export const API_VERSION = 'kec.kubeedge.io/v1alpha1';
export const KIND = 'EdgeNetwork';

const VERSION = /^v?\d+\.\d+(\.\d+)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const edgeGroup: Field = {
  t: 'object',
  doc: 'A set of edge nodes that share hardware, kernel and link: one edge DaemonSet `cilium-edge-<name>` each.',
  fields: {
    name: {
      t: 'string',
      required: true,
      pattern: DNS_LABEL,
      patternHint: 'a DNS label (lower-case letters, digits, "-")',
      doc: 'Group name; the edge DaemonSet is `cilium-edge-<name>`.',
    },
    nodeSelector: {
      t: 'stringMap',
      doc: "Node labels that pick this group's nodes (in addition to `node-role.kubernetes.io/edge`). Default: `kec.kubeedge.io/group: <name>`.",
    },
    arch: {
      t: 'string',
      default: 'arm64',
      enum: ['amd64', 'arm64'],
      doc: 'CPU architecture (Cilium publishes amd64 and arm64 images).',
    },
    kernel: {
      t: 'string',
      doc: "Kernel release (`uname -r`) of the group's nodes; enables kernel checks in the plan.",
      example: '5.15.0-1034-raspi',
    },
    nodes: {
      t: 'int',
      default: 1,
      min: 0,
      // KubeEdge's scalability tests reach 100,000 edge nodes per cluster.
      max: 100_000,
      doc: 'How many nodes the group has (used for cluster-size estimates and the runbook).',
    },
    memory: {
      t: 'quantity',
      unit: 'bytes',
      required: true,
      doc: "Memory of one node; sizes BPF maps and the agent's resources.",
      example: '4Gi',
    },
    cpu: { t: 'quantity', unit: 'cpu', default: '1', doc: 'CPU cores of one node.' },
    maxPods: {
      t: 'int',
      default: 110,
      min: 1,
      max: 1024,
      doc: 'Pods per node (edged `maxPods`); each endpoint gets a policy map.',
    },
    agentImage: {
      t: 'string',
      // distribution/reference: registry/path of [a-z0-9._-] (and a :port), then :tag or @sha256:digest; {version} allowed.
      pattern:
        /^[A-Za-z0-9][A-Za-z0-9._\-/:{}]*:[A-Za-z0-9_{}][A-Za-z0-9._\-{}]{0,127}$|^[A-Za-z0-9][A-Za-z0-9._\-/:{}]*@sha256:[0-9a-f]{64}$/,
      patternHint: 'an image reference with a tag or digest, e.g. registry.site.local/cilium/cilium:v{version}',
      doc: "Cilium image for this group (e.g. a site-local registry mirror); `{version}` is replaced by spec.cilium.version. Default: the image of the chart's cilium DaemonSet.",
      example: 'mirror.site-a.local/cilium/cilium:v{version}',
    },
    memoryBudgetPercent: {
      t: 'number',
      // 30%: the defaults (110 pods, policy maps of 16384, embedded Envoy) need about 272Mi, which fits a 1 GiB board.
      default: 30,
      min: 1,
      max: 90,
      doc: "Share of the node's memory the Cilium agent (with its BPF maps) may use; the plan fails above it.",
    },
    link: {
      t: 'object',
      doc: "The network path from the group's nodes to the rest of the cluster.",
      fields: {
        mtu: {
          t: 'int',
          default: 1500,
          min: 576,
          max: 9216,
          doc: 'MTU of the path to the cloud (PPPoE 1492, LTE often 1420–1450, VPN less).',
        },
        behindNAT: {
          t: 'bool',
          default: false,
          doc: 'Nodes reach the cloud through NAT: native routing is refused, WireGuard gets a keepalive.',
        },
        ipv6Underlay: {
          t: 'bool',
          default: false,
          doc: 'Tunnel packets travel over IPv6 (70 B tunnel overhead instead of 50).',
        },
      },
    },
    bpf: {
      t: 'object',
      doc: 'BPF map sizing for this group.',
      fields: {
        mapDynamicSizeRatio: {
          t: 'number',
          default: 0.0025,
          min: 0,
          max: 1,
          exclusiveMin: true,
          doc: "Share of node memory for CT/NAT/neighbour maps (Cilium's `bpf-map-dynamic-size-ratio`).",
        },
        policyMapMax: {
          t: 'int',
          default: 16384,
          min: 1024,
          max: 65536,
          doc: 'Entries per endpoint policy map (`bpf-policy-map-max`).',
        },
      },
    },
  },
};

export const SPEC_SCHEMA: Field = {
  t: 'object',
  doc: 'An EdgeNetwork document.',
  fields: {
    apiVersion: { t: 'string', required: true, enum: [API_VERSION], doc: `Always \`${API_VERSION}\`.` },
    kind: { t: 'string', required: true, enum: [KIND], doc: `Always \`${KIND}\`.` },
    metadata: {
      t: 'object',
      doc: 'Object metadata.',
      fields: {
        name: {
          t: 'string',
          default: 'edge-network',
          pattern: DNS_LABEL,
          patternHint: 'a DNS label',
          doc: "Name of this cluster's network description.",
        },
      },
    },
    spec: {
      t: 'object',
      required: true,
      doc: 'The cluster: Kubernetes, KubeEdge, Cilium and the edge groups.',
      fields: {
        kubernetes: {
          t: 'object',
          doc: 'The Kubernetes control plane and address ranges.',
          fields: {
            version: {
              t: 'string',
              required: true,
              pattern: VERSION,
              patternHint: 'a version such as "1.31"',
              doc: 'Kubernetes minor or patch version.',
              example: '1.31',
            },
            apiServer: {
              t: 'object',
              doc: 'Where cloud agents reach the API server (`k8sServiceHost`/`k8sServicePort`); required with kube-proxy replacement.',
              fields: {
                host: {
                  t: 'string',
                  doc: 'IP address or DNS name of the API server (or its load balancer).',
                  example: '192.0.2.10',
                },
                port: { t: 'int', default: 6443, min: 1, max: 65535, doc: 'API server port.' },
              },
            },
            podCIDR: {
              t: 'string',
              // Cilium's own default, 10.0.0.0/8, contains Kubernetes' default Service range 10.96.0.0/12.
              default: '10.0.0.0/10',
              doc: "Cluster pool for pod addresses (Cilium `ipam.operator.clusterPoolIPv4PodCIDRList`). The default is Cilium's 10.0.0.0/8 narrowed to stay clear of Kubernetes' default Service range 10.96.0.0/12 (16,384 node CIDRs of /24).",
            },
            podCIDRMaskSize: {
              t: 'int',
              default: 24,
              min: 16,
              max: 30,
              doc: 'Per-node pod CIDR size (`ipam.operator.clusterPoolIPv4MaskSize`).',
            },
            serviceCIDR: { t: 'string', default: '10.96.0.0/12', doc: 'Service ClusterIP range.' },
            clusterDNS: {
              t: 'string',
              default: '10.96.0.10',
              doc: "ClusterIP of the cluster DNS service, written to edgecore's clusterDNS.",
            },
            clusterDomain: { t: 'string', default: 'cluster.local', doc: 'Cluster DNS domain.' },
          },
        },
        kubeedge: {
          t: 'object',
          doc: 'The KubeEdge installation.',
          fields: {
            version: {
              t: 'string',
              required: true,
              pattern: VERSION,
              patternHint: 'a version such as "1.21.0"',
              doc: 'KubeEdge version (>= 1.16 for MetaServer-based CNI).',
              example: '1.21.0',
            },
            namespace: {
              t: 'string',
              default: 'kubeedge',
              pattern: DNS_LABEL,
              patternHint: 'a namespace name',
              doc: 'Namespace of cloudcore.',
            },
            cloudcoreServiceAccount: {
              t: 'string',
              default: 'cloudcore',
              doc: "ServiceAccount cloudcore runs as (it answers edge agents' API calls).",
            },
            metaServer: {
              t: 'string',
              default: METASERVER.server,
              pattern: /^[^\s/:]+:\d+$/,
              patternHint: 'host:port',
              doc: 'edgecore MetaServer address edge agents use as API server.',
            },
            edgecore: {
              t: 'map',
              default: {},
              doc: "Extra edgecore.yaml settings merged into every group's edgecore patch (checked for keys KubeEdge no longer has).",
            },
          },
        },
        cilium: {
          t: 'object',
          doc: 'The Cilium release.',
          fields: {
            version: {
              t: 'string',
              required: true,
              pattern: VERSION,
              patternHint: 'a version such as "1.18.12"',
              doc: 'Cilium version (1.16–1.20).',
              example: '1.18.12',
            },
            namespace: {
              t: 'string',
              default: 'kube-system',
              pattern: DNS_LABEL,
              patternHint: 'a namespace name',
              doc: 'Namespace of the Cilium release.',
            },
            release: {
              t: 'string',
              default: 'cilium',
              pattern: DNS_LABEL,
              patternHint: 'a Helm release name',
              doc: 'Helm release name.',
            },
            chart: {
              t: 'string',
              default: 'cilium/cilium',
              doc: 'Helm chart reference (repo/chart, OCI reference or path).',
            },
            kubeProxyReplacement: {
              t: 'bool',
              default: false,
              doc: "Replace kube-proxy with Cilium's eBPF service handling (`true`/`false`; `strict` etc. no longer exist).",
            },
            routing: {
              t: 'object',
              doc: 'How pod traffic crosses nodes.',
              fields: {
                mode: {
                  t: 'string',
                  default: 'tunnel',
                  enum: ROUTING_MODES,
                  doc: '`tunnel` (works across NAT) or `native` (needs routable pod CIDRs).',
                },
                protocol: { t: 'string', default: 'vxlan', enum: TUNNEL_PROTOCOLS, doc: 'Tunnel protocol.' },
                nativeRoutingCIDR: {
                  t: 'string',
                  doc: 'CIDR routable without masquerading; required for native routing.',
                },
              },
            },
            encryption: {
              t: 'object',
              doc: 'Transparent encryption between nodes.',
              fields: {
                type: {
                  t: 'string',
                  default: 'none',
                  doc: '`none`, `wireguard`, `ipsec`, or `ztunnel` (Cilium >= 1.19).',
                },
                nodeEncryption: {
                  t: 'bool',
                  default: false,
                  doc: 'Also encrypt node-to-node traffic (WireGuard only).',
                },
                wireguardKeepalive: {
                  t: 'string',
                  pattern: /^\d+(ms|s|m)$/,
                  patternHint: 'a duration such as "25s"',
                  doc: 'WireGuard persistent keepalive; defaults to 25s when a group is behind NAT, else 0s.',
                },
              },
            },
            hubble: {
              t: 'object',
              doc: 'Hubble flow visibility.',
              fields: {
                enabled: { t: 'bool', default: true, doc: 'Run the Hubble server in every agent.' },
                relay: { t: 'bool', default: false, doc: 'Deploy Hubble Relay (kept on cloud nodes).' },
                ui: { t: 'bool', default: false, doc: 'Deploy Hubble UI (kept on cloud nodes; needs relay).' },
                metrics: {
                  t: 'array',
                  items: { t: 'string', doc: 'metric handler' },
                  default: [],
                  doc: `Hubble metrics (${HUBBLE_METRICS.join(', ')}), options after a colon.`,
                },
              },
            },
            prometheus: {
              t: 'bool',
              default: false,
              doc: 'Agent and operator metrics (ports 9962/9963) plus the Hubble drop/policy metrics that `kec monitoring rules` alerts on.',
            },
            serviceMonitors: {
              t: 'bool',
              default: false,
              doc: 'With prometheus: create ServiceMonitors for agent, operator and Hubble metrics (needs the Prometheus Operator CRDs at install time).',
            },
            l7Proxy: {
              t: 'bool',
              default: true,
              doc: 'L7/FQDN policy support. The proxy runs inside the agent (no cilium-envoy DaemonSet; kubeedge#6113).',
            },
            bandwidthManager: { t: 'bool', default: false, doc: 'EDT-based bandwidth manager (kernel >= 5.1).' },
            hostRouting: {
              t: 'string',
              default: 'legacy',
              enum: ['legacy', 'bpf'],
              doc: '`bpf` enables eBPF host routing (kernel >= 5.10, needs kube-proxy replacement).',
            },
            datapathMode: {
              t: 'string',
              default: 'veth',
              enum: DATAPATH_MODES,
              doc: 'Pod device type; netkit needs kernel >= 6.8.',
            },
            bigTCP: {
              t: 'object',
              doc: 'BIG TCP (GSO/GRO beyond 64 KiB).',
              fields: {
                ipv4: { t: 'bool', default: false, doc: 'IPv4 BIG TCP (kernel >= 6.3).' },
                ipv6: { t: 'bool', default: false, doc: 'IPv6 BIG TCP (kernel >= 5.19).' },
              },
            },
            operatorReplicas: {
              t: 'int',
              default: 2,
              min: 1,
              max: 10,
              doc: 'cilium-operator replicas (cloud nodes only).',
            },
            values: {
              t: 'map',
              default: {},
              doc: 'Extra Helm values merged last; every key is checked against the chart of `version`.',
            },
          },
        },
        edgeGroups: { t: 'array', items: edgeGroup, minItems: 1, required: true, doc: 'Edge node groups.' },
      },
    },
  },
};

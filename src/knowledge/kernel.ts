// Kernel configuration options Cilium needs, per feature.
// Source: cilium/cilium Documentation/operations/system_requirements.rst
// ("Linux Kernel", "Base Requirements", "Requirements for Tunneling and Routing",
// "Requirements for L7 and FQDN Policies", "Requirements for IPsec",
// "Requirements for the Bandwidth Manager", "Requirements for Netkit"); field notes §3.
// Each option is accepted as built in (y) or as a module (m).

export const KERNEL_FEATURES = {
  base: {
    title: 'Cilium base requirements',
    options: [
      'CONFIG_BPF',
      'CONFIG_BPF_SYSCALL',
      'CONFIG_NET_CLS_BPF',
      'CONFIG_BPF_JIT',
      'CONFIG_NET_CLS_ACT',
      'CONFIG_NET_SCH_INGRESS',
      'CONFIG_CRYPTO_SHA1',
      'CONFIG_CRYPTO_USER_API_HASH',
      'CONFIG_CGROUPS',
      'CONFIG_CGROUP_BPF',
      'CONFIG_PERF_EVENTS',
      'CONFIG_SCHEDSTATS',
    ],
  },
  'tunnel-vxlan': { title: 'VXLAN tunnelling', options: ['CONFIG_VXLAN', 'CONFIG_FIB_RULES'] },
  'tunnel-geneve': { title: 'Geneve tunnelling', options: ['CONFIG_GENEVE', 'CONFIG_FIB_RULES'] },
  'l7-proxy': {
    title: 'L7 and FQDN policies (Envoy proxy)',
    options: [
      'CONFIG_NETFILTER_XT_TARGET_TPROXY',
      'CONFIG_NETFILTER_XT_TARGET_MARK',
      'CONFIG_NETFILTER_XT_TARGET_CT',
      'CONFIG_NETFILTER_XT_MATCH_MARK',
      'CONFIG_NETFILTER_XT_MATCH_SOCKET',
    ],
  },
  'iptables-masquerade': {
    title: 'iptables-based masquerading',
    options: ['CONFIG_NETFILTER_XT_SET', 'CONFIG_IP_SET', 'CONFIG_IP_SET_HASH_IP', 'CONFIG_NETFILTER_XT_MATCH_COMMENT'],
  },
  ipsec: {
    title: 'IPsec transparent encryption',
    options: [
      'CONFIG_XFRM',
      'CONFIG_XFRM_OFFLOAD',
      'CONFIG_XFRM_STATISTICS',
      'CONFIG_XFRM_ALGO',
      'CONFIG_XFRM_USER',
      'CONFIG_INET_ESP',
      'CONFIG_INET6_ESP',
      'CONFIG_INET_IPCOMP',
      'CONFIG_INET6_IPCOMP',
      'CONFIG_INET_XFRM_TUNNEL',
      'CONFIG_INET6_XFRM_TUNNEL',
      'CONFIG_INET_TUNNEL',
      'CONFIG_INET6_TUNNEL',
      'CONFIG_CRYPTO_AEAD',
      'CONFIG_CRYPTO_AEAD2',
      'CONFIG_CRYPTO_GCM',
      'CONFIG_CRYPTO_SEQIV',
      'CONFIG_CRYPTO_CBC',
      'CONFIG_CRYPTO_HMAC',
      'CONFIG_CRYPTO_SHA256',
      'CONFIG_CRYPTO_AES',
    ],
  },
  wireguard: { title: 'WireGuard transparent encryption', options: ['CONFIG_WIREGUARD'] },
  'bandwidth-manager': { title: 'Bandwidth Manager (EDT, fq qdisc)', options: ['CONFIG_NET_SCH_FQ'] },
  'kube-proxy-replacement': {
    title: 'kube-proxy replacement (socket LB)',
    options: ['CONFIG_CGROUP_BPF', 'CONFIG_BPF_SYSCALL'],
  },
  'host-routing': { title: 'eBPF host routing', options: ['CONFIG_BPF_SYSCALL', 'CONFIG_NET_CLS_BPF'] },
  netkit: { title: 'netkit devices', options: ['CONFIG_NETKIT'] },
  bigtcp: { title: 'BIG TCP', options: ['CONFIG_IPV6'] },
} as const satisfies Record<string, { title: string; options: readonly string[] }>;

export type KernelFeatureName = keyof typeof KERNEL_FEATURES;
export const KERNEL_FEATURE_NAMES = Object.keys(KERNEL_FEATURES) as KernelFeatureName[];

/**
 * Where kernel configs live, in the order kubeadm's system validators try them
 * (kubernetes/system-validators validators/kernel_validator.go), plus /proc/config.gz.
 * `${release}` is replaced by `uname -r`.
 */
export const KERNEL_CONFIG_PATHS = [
  '/proc/config.gz',
  '/boot/config-${release}',
  '/usr/src/linux-${release}/.config',
  '/usr/src/linux/.config',
  '/usr/lib/modules/${release}/config',
  '/usr/lib/ostree-boot/config-${release}',
  '/usr/lib/kernel/config-${release}',
  '/usr/src/linux-headers-${release}/.config',
  '/lib/modules/${release}/build/.config',
] as const;

/**
 * Options that are `bool` in the kernel's Kconfig (built in or off, never a module): `=m` in a
 * config for one of them cannot come from the kernel build. Sources: init/Kconfig (BPF,
 * BPF_SYSCALL, CGROUPS, CGROUP_BPF, PERF_EVENTS), kernel/bpf/Kconfig (BPF_JIT),
 * lib/Kconfig.debug (SCHEDSTATS), net/Kconfig (FIB_RULES), net/sched/Kconfig (NET_CLS_ACT),
 * net/xfrm/Kconfig (XFRM, XFRM_OFFLOAD, XFRM_STATISTICS).
 */
export const BOOL_OPTIONS: ReadonlySet<string> = new Set([
  'CONFIG_BPF',
  'CONFIG_BPF_SYSCALL',
  'CONFIG_BPF_JIT',
  'CONFIG_CGROUPS',
  'CONFIG_CGROUP_BPF',
  'CONFIG_PERF_EVENTS',
  'CONFIG_SCHEDSTATS',
  'CONFIG_FIB_RULES',
  'CONFIG_NET_CLS_ACT',
  'CONFIG_XFRM',
  'CONFIG_XFRM_OFFLOAD',
  'CONFIG_XFRM_STATISTICS',
]);

/** RHEL 8.6's kernel build (4.18.0-372): the first RHEL 8 kernel with the eBPF backports Cilium supports. */
export const RHEL8_MIN_BUILD = 372;

// Upstream facts about Cilium's transparent encryption (IPsec, WireGuard) that `kec encryption`
// depends on. Sources, checked for the minors kec supports (1.16–1.20):
// - cilium-config keys: the real charts' templates/cilium-configmap.yaml of 1.16.19, 1.17.18,
//   1.18.12, 1.19.6 and 1.20.0 (shared/upstream/cilium-chart), see configKeysFor().
// - IPsec Secret, key format, SPI range, rotation: Documentation/security/network/encryption-ipsec.rst
//   ("Generate & Import the PSK", "Key Rotation", "Troubleshooting"), cilium/cilium main
//   (commit 03d8e2f2) and docs.cilium.io v1.20; the `+` (per-tunnel keys) form is the documented
//   one since v1.16, which deprecated the global form (GHSA-pwqm-x5x6-5586).
// - CiliumNode fields: pkg/k8s/apis/cilium.io/v2/types.go (NodeSpec.Encryption.Key, "the index
//   to the key to use for encryption or 0 if encryption is disabled").
// - WireGuard: Documentation/security/network/encryption-wireguard.rst (public key in the
//   CiliumNode annotation network.cilium.io/wg-pub-key, UDP 51871); agent status model
//   api/v1/models (encryption.wireguard.interfaces[].peers[].last-handshake-time).

/** The chart's defaults for encryption.ipsec.* (values.yaml of every supported chart). */
export const IPSEC = {
  secretName: 'cilium-ipsec-keys',
  keyFile: 'keys',
  mountPath: '/etc/ipsec',
  /** "The key variable is a uint8 with value between 1 and 15 included … with a rollover from 15 to 1." */
  minSpi: 1,
  maxSpi: 15,
  /** encryption.ipsec.keyRotationDuration default: the old key is removed this long after the new one is loaded. */
  defaultRotationDuration: '5m',
  /** "all agents watch for key updates and update their configuration within 1 minute". */
  keyWatcherDelayMs: 60_000,
  /** IP protocol of ESP. */
  espProtocol: 50,
} as const;

export const WIREGUARD = {
  /** CiliumNode annotation with the node's WireGuard public key. */
  publicKeyAnnotation: 'network.cilium.io/wg-pub-key',
  port: 51871,
  /**
   * WireGuard rekeys every 120 s while traffic flows (REKEY_AFTER_TIME) and drops a session
   * after 180 s without one (REJECT_AFTER_TIME): a handshake older than this means the peer
   * has not answered for several rekey periods.
   */
  staleHandshakeMs: 5 * 60_000,
} as const;

/** CiliumNode: where the agent publishes the IPsec key index (SPI) it uses. */
export const CILIUM_NODE = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNode',
  encryptionKeyPath: ['spec', 'encryption', 'key'],
} as const;

/** IPsec algorithms kec can generate keys for (`--algorithm`), as Cilium's key file spells them. */
export const IPSEC_ALGORITHMS = {
  /** The documented default: "3+ rfc4106(gcm(aes)) <20 random bytes in hex> 128" (16-byte key + 4-byte salt, 128-bit ICV). */
  'rfc4106-gcm-aes-128': { kind: 'aead', name: 'rfc4106(gcm(aes))', keyBytes: 20, icvBits: 128 },
  /** The same with a 256-bit AES key (32-byte key + 4-byte salt). */
  'rfc4106-gcm-aes-256': { kind: 'aead', name: 'rfc4106(gcm(aes))', keyBytes: 36, icvBits: 128 },
  /** Authentication and encryption separately: "<spi>+ hmac(sha256) <32 bytes> cbc(aes) <16 bytes>". */
  'cbc-aes-sha256': { kind: 'auth-enc', auth: 'hmac(sha256)', authBytes: 32, enc: 'cbc(aes)', encBytes: 16 },
} as const;
export type IpsecAlgorithm = keyof typeof IPSEC_ALGORITHMS;

export interface EncryptionConfigKeys {
  ipsec: string;
  wireguard: string;
  ztunnel?: string;
  nodeEncryption: string;
  ipsecKeyFile: string;
  ipsecKeyWatcher: string;
  ipsecRotationDuration: string;
  wireguardKeepalive: string;
  /** Strict mode: one key before 1.19, egress (and ingress) keys from 1.19. */
  strictEgress: string[];
  strictIngress?: string;
}

/** cilium-config keys per minor (templates/cilium-configmap.yaml of each chart). */
export function configKeysFor(minor: string | undefined): EncryptionConfigKeys {
  const base = {
    ipsec: 'enable-ipsec',
    wireguard: 'enable-wireguard',
    nodeEncryption: 'encrypt-node',
    ipsecKeyFile: 'ipsec-key-file',
    ipsecKeyWatcher: 'enable-ipsec-key-watcher',
    ipsecRotationDuration: 'ipsec-key-rotation-duration',
    wireguardKeepalive: 'wireguard-persistent-keepalive',
  };
  const [maj, min] = (minor ?? '').split('.').map(Number);
  const from119 = maj === undefined || Number.isNaN(min) || maj > 1 || (maj === 1 && (min ?? 0) >= 19);
  if (!from119) return { ...base, strictEgress: ['enable-encryption-strict-mode'] };
  // 1.19 renamed strict mode to -egress and added -ingress; either spelling is read.
  return {
    ...base,
    ztunnel: 'enable-ztunnel',
    strictEgress: ['enable-encryption-strict-mode-egress', 'enable-encryption-strict-mode'],
    strictIngress: 'enable-encryption-strict-mode-ingress',
  };
}

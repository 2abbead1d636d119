// The deployed encryption configuration, read from cilium-config (keys per Cilium minor:
// knowledge/encryption.ts configKeysFor), and the IPsec key Secret reduced to what may be shown.
import type { Obj, ObjectReader } from '../types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { configKeysFor, IPSEC } from '../../knowledge/encryption.ts';
import { asRec, asStr } from '../snapshot/state.ts';
import type { IpsecKey, KeySummary } from './keys.ts';
import { parseKey } from './keys.ts';

export type EncryptionMode = 'ipsec' | 'wireguard' | 'ztunnel' | 'none';

export interface EncryptionConfig {
  mode: EncryptionMode;
  /** encrypt-node: node-to-node (host) traffic too (WireGuard only). */
  nodeEncryption: boolean;
  strictMode: { egress: boolean; ingress: boolean };
  ipsec?: {
    secretName: string;
    keyFile: string;
    /** enable-ipsec-key-watcher: agents reload the key file without a restart (chart default true). */
    keyWatcher: boolean;
    /** How long agents keep the previous key after loading a new one. */
    rotationDuration: string;
  };
  wireguard?: { persistentKeepalive: string };
  /** The cilium-config keys read, for the report. */
  source: Record<string, string>;
}

const isTrue = (v: string | undefined): boolean => v === 'true';

/** From cilium-config data. `minor`: the Cilium minor when known (key names changed in 1.19). */
export function encryptionConfigOf(data: Readonly<Record<string, string>>, minor?: string): EncryptionConfig {
  const k = configKeysFor(minor);
  const wanted = [
    k.ipsec,
    k.wireguard,
    ...(k.ztunnel ? [k.ztunnel] : ['enable-ztunnel']),
    k.nodeEncryption,
    k.ipsecKeyFile,
    k.ipsecKeyWatcher,
    k.ipsecRotationDuration,
    k.wireguardKeepalive,
    ...k.strictEgress,
    ...(k.strictIngress ? [k.strictIngress] : []),
  ];
  const source = Object.fromEntries(wanted.filter((w) => data[w] !== undefined).map((w) => [w, data[w]!]));
  const mode: EncryptionMode = isTrue(data[k.ipsec])
    ? 'ipsec'
    : isTrue(data[k.wireguard])
      ? 'wireguard'
      : isTrue(data['enable-ztunnel'])
        ? 'ztunnel'
        : 'none';
  const cfg: EncryptionConfig = {
    mode,
    nodeEncryption: isTrue(data[k.nodeEncryption]),
    strictMode: {
      egress: k.strictEgress.some((x) => isTrue(data[x])),
      ingress: k.strictIngress !== undefined && isTrue(data[k.strictIngress]),
    },
    source,
  };
  if (mode === 'ipsec') {
    // ipsec-key-file is "<mountPath>/<keyFile>"; the Secret name itself is not in cilium-config.
    const file = data[k.ipsecKeyFile] ?? `${IPSEC.mountPath}/${IPSEC.keyFile}`;
    cfg.ipsec = {
      secretName: IPSEC.secretName,
      keyFile: file.split('/').pop() ?? IPSEC.keyFile,
      keyWatcher: data[k.ipsecKeyWatcher] !== 'false',
      rotationDuration: data[k.ipsecRotationDuration] ?? IPSEC.defaultRotationDuration,
    };
  }
  if (mode === 'wireguard') cfg.wireguard = { persistentKeepalive: data[k.wireguardKeepalive] ?? '0s' };
  return cfg;
}

export async function readCiliumConfig(
  api: ObjectReader,
  namespace: string,
): Promise<Record<string, string> | undefined> {
  const cm = await api.get({ apiVersion: 'v1', kind: 'ConfigMap', name: CHART_NAMES.configMap, namespace });
  if (!cm) return undefined;
  return Object.fromEntries(Object.entries(asRec(cm['data'])).map(([key, v]) => [key, String(v)]));
}

export function secretRef(namespace: string, name: string = IPSEC.secretName) {
  return { apiVersion: 'v1', kind: 'Secret', name, namespace };
}

/** The key line of a Secret (data base64 or stringData), parsed; the Secret object is dropped by the caller. */
export function keyOfSecret(secret: Obj, keyFile: string): IpsecKey {
  const ns = secret.metadata?.namespace ?? '';
  const where = `Secret ${ns}/${secret.metadata?.name ?? ''} key ${keyFile}`;
  const b64 = asStr(asRec(secret['data'])[keyFile]);
  const plain = asStr(asRec(secret['stringData'])[keyFile]);
  const line = plain ?? (b64 !== undefined ? Buffer.from(b64, 'base64').toString('utf8') : undefined);
  if (line === undefined) {
    const keys = Object.keys(asRec(secret['data']));
    return parseKey('', `${where} (missing; the Secret has ${keys.length ? keys.join(', ') : 'no keys'})`);
  }
  return parseKey(line, where);
}

export interface SecretSummary {
  name: string;
  present: boolean;
  key?: KeySummary;
  /** Why the key could not be read (no RBAC, bad format), without its content. */
  problem?: string;
  resourceVersion?: string;
}

/** Reads the Secret and keeps only the key's SPI, algorithm and form. */
export async function readKeySecret(
  api: ObjectReader,
  namespace: string,
  keyFile: string = IPSEC.keyFile,
  name: string = IPSEC.secretName,
): Promise<SecretSummary> {
  const s = await api.get(secretRef(namespace, name));
  if (!s) return { name, present: false };
  const out: SecretSummary = { name, present: true };
  if (s.metadata?.resourceVersion) out.resourceVersion = s.metadata.resourceVersion;
  try {
    out.key = keyOfSecret(s, keyFile).summary();
  } catch (e) {
    out.problem = (e as Error).message;
  }
  return out;
}

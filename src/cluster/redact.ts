// Redaction of secrets in anything kec collects from a cluster (status, diagnose,
// sysdump): PEM blocks, JWTs (ServiceAccount and KubeEdge tokens), bearer tokens,
// key=value / key: value pairs whose key names a secret, and object fields or env vars
// whose name does. Secrets themselves are never fetched; this covers copies of their
// content that leak into ConfigMaps, env, args, annotations and logs.

export const REDACTED = '<redacted>';

/** Field, env var and data-key names whose value is a secret. */
const SECRET_NAME =
  /(^|[-_.])(token|tokens|password|passwd|passphrase|secret|secrets|credentials?|private[-_]?key|privatekey|api[-_]?key|apikey|client[-_]?key|access[-_]?key|secret[-_]?key|auth[-_]?key|psk|pre[-_]?shared[-_]?key|certificate[-_]?data|key[-_]?data|client[-_]?certificate[-_]?data|bootstrap[-_]?token)$/i;
/** Data keys holding certificates or keys by file name (ca.crt, tls.key, server.pem...). */
const SECRET_FILE = /\.(key|pem|crt|cert|p12|pfx|jks)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) || SECRET_FILE.test(name);
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
// A JWT: three base64url parts, the first two starting with a JSON object ("eyJ").
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g;
// KubeEdge's keadm token: 64 hex chars, a dot, then a JWT (the JWT rule catches the rest).
const KUBEEDGE_TOKEN = /\b[0-9a-f]{64}\.(?=eyJ)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
// key: value / key=value / "key": "value" where the key names a secret.
const PAIR =
  /(["']?)([A-Za-z0-9_.-]*(?:token|password|passwd|secret|private[-_]?key|api[-_]?key|apikey|credentials?|client[-_]?key|psk))\1(\s*[:=]\s*)(["']?)([^\s"',}]+)\4/gi;
// Kubernetes bootstrap tokens: abcdef.0123456789abcdef
const BOOTSTRAP = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;
// Cilium IPsec key lines ("3+ rfc4106(gcm(aes)) <hex> 128", "1 hmac(sha256) <hex> cbc(aes) <hex>"): the hex
// material after a kernel crypto algorithm name such as rfc4106(gcm(aes)), hmac(sha256), cbc(aes).
const IPSEC_KEY = /(\b[a-z0-9]+\((?:[a-z0-9-]+\(?)+\)+\s+)(?:0x)?[0-9a-fA-F]{16,}\b/g;

/** Redacts secrets inside free text (logs, config files held in ConfigMaps). */
export function redactText(text: string): string {
  return text
    .replace(PEM, (_m, kind: string) => `-----BEGIN ${kind}-----\n${REDACTED}\n-----END ${kind}-----`)
    .replace(KUBEEDGE_TOKEN, '')
    .replace(JWT, REDACTED)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(PAIR, (m, q: string, key: string, sep: string, vq: string, value: string) =>
      value === REDACTED || value === '' ? m : `${q}${key}${q}${sep}${vq}${REDACTED}${vq}`,
    )
    .replace(BOOTSTRAP, REDACTED)
    .replace(IPSEC_KEY, (_m, alg: string) => `${alg}${REDACTED}`);
}

/** Fields nobody needs in a dump that may carry copies of other objects' content. */
const DROP_METADATA = ['managedFields'];

/**
 * A deep copy of a Kubernetes object (or any JSON value) with secrets redacted:
 * values of secret-named fields, env vars and data keys, and secrets in every string.
 * Secret objects are reduced to their metadata (kec never fetches them; this is the net).
 */
export function redactObject<T>(value: T): T {
  return walk(value, undefined) as T;
}

function walk(v: unknown, key: string | undefined): unknown {
  if (typeof v === 'string') return key !== undefined && isSecretName(key) && v !== '' ? REDACTED : redactText(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map((x) => walk(x, undefined));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  if (o['kind'] === 'Secret' && typeof o['apiVersion'] === 'string') {
    const meta = (o['metadata'] ?? {}) as Record<string, unknown>;
    return {
      apiVersion: o['apiVersion'],
      kind: 'Secret',
      metadata: { name: meta['name'], namespace: meta['namespace'] },
      data: REDACTED,
    };
  }
  // env entries: { name: FOO_TOKEN, value: ... }
  const envLike =
    typeof o['name'] === 'string' &&
    'value' in o &&
    Object.keys(o).every((k) => k === 'name' || k === 'value' || k === 'valueFrom');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (k === 'metadata' && x !== null && typeof x === 'object') {
      const meta = { ...(x as Record<string, unknown>) };
      for (const d of DROP_METADATA) delete meta[d];
      out[k] = walk(meta, k);
      continue;
    }
    if (envLike && k === 'value' && isSecretName(o['name'] as string) && typeof x === 'string' && x !== '') {
      out[k] = REDACTED;
      continue;
    }
    out[k] = walk(x, k);
  }
  return out;
}

/**
 * Helm values of the Cilium chart carry certificates and keys under short names
 * (hubble.tls.server.key, tls.ca.key, clustermesh.apiserver.tls.*.cert): on top of
 * redactObject, any `key`/`cert`/`crt` string and any long base64 blob is redacted.
 */
export function redactHelmValues<T>(value: T): T {
  const walk = (v: unknown, name: string): unknown => {
    if (typeof v === 'string') {
      if (v !== '' && (/^(key|cert|crt)$/i.test(name) || (v.length >= 64 && /^[A-Za-z0-9+/=\s]+$/.test(v))))
        return '<redacted>';
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, name));
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(redactObject(value), '') as T;
}

// A throw-away PKI for one harness cluster, made with openssl (argument arrays only).
// EC P-256 keys: fast to generate, accepted by the apiserver for TLS and SA tokens.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertPair {
  cert: string;
  key: string;
}

export interface ClusterPki {
  dir: string;
  ca: CertPair;
  /** Serving cert for the apiserver (and the fault proxy): 127.0.0.1, localhost, kubernetes.default.svc. */
  serving: CertPair;
  admin: CertPair;
  controllerManager: CertPair;
  scheduler: CertPair;
  kwok: CertPair;
  /** Service-account token signing key pair (private key + public key). */
  serviceAccount: { key: string; pub: string };
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const DAYS = ['-days', '30'];

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { maxBuffer: 1 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`openssl ${args[0] ?? ''} failed: ${err.stderr ?? err.message}`, { cause: e });
  }
}

async function leaf(dir: string, ca: CertPair, name: string, subject: string, ext: string[]): Promise<CertPair> {
  const pair = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const addext = ext.flatMap((e) => ['-addext', e]);
  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    pair.key,
    '-out',
    pair.cert,
    '-subj',
    subject,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    ...DAYS,
    ...addext,
  ]);
  return pair;
}

const CLIENT = [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=clientAuth',
];

/** Creates (or reuses, when already complete) the PKI under dir. */
export async function ensurePki(dir: string): Promise<ClusterPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pki: ClusterPki = {
    dir,
    ca: { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') },
    serving: { cert: join(dir, 'serving.crt'), key: join(dir, 'serving.key') },
    admin: { cert: join(dir, 'admin.crt'), key: join(dir, 'admin.key') },
    controllerManager: { cert: join(dir, 'controller-manager.crt'), key: join(dir, 'controller-manager.key') },
    scheduler: { cert: join(dir, 'scheduler.crt'), key: join(dir, 'scheduler.key') },
    kwok: { cert: join(dir, 'kwok.crt'), key: join(dir, 'kwok.key') },
    serviceAccount: { key: join(dir, 'sa.key'), pub: join(dir, 'sa.pub') },
  };
  if (existsSync(join(dir, '.complete'))) return pki;

  await openssl([
    'req',
    '-x509',
    ...EC,
    '-keyout',
    pki.ca.key,
    '-out',
    pki.ca.cert,
    '-subj',
    '/CN=kec-harness-ca',
    ...DAYS,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  await leaf(dir, pki.ca, 'serving', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
  ]);
  await leaf(dir, pki.ca, 'admin', '/O=system:masters/CN=kec-harness-admin', CLIENT);
  await leaf(dir, pki.ca, 'controller-manager', '/CN=system:kube-controller-manager', CLIENT);
  await leaf(dir, pki.ca, 'scheduler', '/CN=system:kube-scheduler', CLIENT);
  // kwok plays every kubelet: it updates node and pod status of all simulated nodes.
  await leaf(dir, pki.ca, 'kwok', '/O=system:masters/CN=kwok-controller', CLIENT);
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', pki.serviceAccount.key]);
  await openssl(['pkey', '-in', pki.serviceAccount.key, '-pubout', '-out', pki.serviceAccount.pub]);
  await writeFile(join(dir, '.complete'), '');
  return pki;
}

// Writes kubeconfig files (mode 0600: they hold credentials) for the harness cluster.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { CertPair } from './certs.ts';

export type Credentials = { clientCert: CertPair } | { token: string };

export interface KubeconfigSpec {
  server: string;
  caFile: string;
  user: string;
  credentials: Credentials;
  namespace?: string;
}

function b64(file: string): string {
  return readFileSync(file).toString('base64');
}

/** A self-contained kubeconfig (certificates inlined) that kec, client-node and kubectl accept. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const user =
    'clientCert' in spec.credentials
      ? {
          'client-certificate-data': b64(spec.credentials.clientCert.cert),
          'client-key-data': b64(spec.credentials.clientCert.key),
        }
      : { token: spec.credentials.token };
  const context: Record<string, string> = { cluster: 'kec-harness', user: spec.user };
  if (spec.namespace !== undefined) context['namespace'] = spec.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'kec-harness', cluster: { server: spec.server, 'certificate-authority-data': b64(spec.caFile) } },
    ],
    users: [{ name: spec.user, user }],
    contexts: [{ name: 'kec-harness', context }],
    'current-context': 'kec-harness',
  });
}

export async function writeKubeconfig(path: string, spec: KubeconfigSpec): Promise<string> {
  await writeFile(path, renderKubeconfig(spec), { mode: 0o600 });
  return path;
}

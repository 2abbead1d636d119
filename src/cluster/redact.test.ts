import { describe, expect, it } from 'vitest';
import { isSecretName, REDACTED, redactObject, redactText } from './redact.ts';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----';

describe('redactText', () => {
  it('redacts PEM blocks, JWTs, KubeEdge and bootstrap tokens, bearer headers and secret-named pairs', () => {
    const text = [
      `cert: ${PEM}`,
      `token=${JWT}`,
      `keadm join --token=${'a'.repeat(64)}.${JWT}`,
      'Authorization: Bearer abcdefghijklmnop1234',
      'password: hunter22',
      '"client-key": "c2VjcmV0"',
      'kubeadm join --token abcdef.0123456789abcdef',
    ].join('\n');
    const out = redactText(text);
    for (const s of [
      'MIIEowIBAAKCAQEA',
      JWT,
      'a'.repeat(64),
      'abcdefghijklmnop1234',
      'hunter22',
      'c2VjcmV0',
      'abcdef.0123456789abcdef',
    ])
      expect(out).not.toContain(s);
    expect(out).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(out).toContain(`password: ${REDACTED}`);
  });

  it('leaves ordinary configuration alone', () => {
    const text =
      'routing-mode: tunnel\ntunnel-protocol: vxlan\nhubble-tls-key-file: /var/lib/cilium/tls/hubble/server.key\nlevel=info msg="Still waiting for Cilium Operator to register CRDs"';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactObject', () => {
  it('redacts secret env vars, data keys and strings, keeps node affinity keys, drops managedFields', () => {
    const obj = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `{"data":{"token":"${JWT}"}}` },
      },
      data: {
        'ca.crt': 'not-a-pem-but-a-cert-file',
        'cloudcore.yaml': `tlsPrivateKeyFile: /etc/kubeedge/certs/edge.key\ntoken: s3cr3tvalue`,
        'api-key': 'k-123',
      },
      spec: {
        containers: [
          {
            env: [
              { name: 'EDGE_TOKEN', value: 'tok-123' },
              { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' },
            ],
          },
        ],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-role.kubernetes.io/edge', operator: 'Exists' }] }],
            },
          },
        },
      },
    };
    const out = redactObject(obj);
    const text = JSON.stringify(out);
    for (const s of [JWT, 'not-a-pem-but-a-cert-file', 's3cr3tvalue', 'k-123', 'tok-123', 'managedFields'])
      expect(text).not.toContain(s);
    expect(text).toContain('node-role.kubernetes.io/edge');
    expect(text).toContain('127.0.0.1');
    expect(text).toContain('/etc/kubeedge/certs/edge.key');
    expect(obj.data['api-key']).toBe('k-123'); // input untouched
  });

  it('keeps Date timestamps as ISO strings', () => {
    expect(redactObject({ t: new Date('2026-01-02T03:04:05Z') })).toEqual({ t: '2026-01-02T03:04:05.000Z' });
  });

  it('reduces a Secret to its name', () => {
    expect(
      redactObject({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'n', labels: { a: 'b' } },
        data: { token: 'dG9r' },
      }),
    ).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: REDACTED });
  });

  it('knows secret names', () => {
    expect(
      ['token', 'EDGE_TOKEN', 'db-password', 'tls.key', 'ca.crt', 'client-key-data', 'privateKey'].every(isSecretName),
    ).toBe(true);
    expect(['key', 'tokenFile', 'secretName', 'keyFile', 'monkey'].some(isSecretName)).toBe(false);
  });
});

describe('redactHelmValues', () => {
  it('hides chart TLS material under short names and long base64 blobs, keeps ordinary values', async () => {
    const { redactHelmValues } = await import('./redact.ts');
    const blob = 'LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJ1d3dSbEo0Y2Jzc0k0bzZwVnVmR1pGZ2t6b0E=';
    const v = redactHelmValues({
      hubble: { tls: { server: { key: blob, cert: 'c2hvcnQ=' } } },
      tls: { ca: { key: blob } },
      other: blob,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      encryption: { type: 'wireguard' },
    });
    expect(JSON.stringify(v)).not.toContain(blob);
    expect(JSON.stringify(v)).not.toContain('c2hvcnQ=');
    expect(v.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(v.encryption.type).toBe('wireguard');
  });
});

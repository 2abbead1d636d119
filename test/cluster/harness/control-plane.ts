// Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on
// 127.0.0.1 for one harness cluster, and stops them again.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import type { CertPair } from './certs.ts';
import { ensurePki } from './certs.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { startKwok } from './kwok.ts';
import { binPath, K8S_VERSION } from './paths.ts';
import type { Daemon } from './processes.ts';
import { startDaemon, stopDaemons } from './processes.ts';
import { freePort, waitFor } from './wait.ts';

export { KWOK_MANAGED } from './kwok.ts';

/** Everything a test or a person needs to reach a running harness cluster (JSON-serialisable). */
export interface ClusterInfo {
  instanceId: string;
  dir: string;
  k8sVersion: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** Admin (system:masters) kubeconfig, mode 0600. */
  kubeconfig: string;
  caFile: string;
  adminCert: CertPair;
  servingCert: CertPair;
  etcdUrl: string;
}

export const CLUSTER_FILE = 'cluster.json';

export function readClusterInfo(dir: string): ClusterInfo | undefined {
  const file = join(dir, CLUSTER_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterInfo) : undefined;
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function healthy(d: Daemon, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  try {
    // Fails at once when the process exits instead of polling until the timeout.
    const died = d.exited.then((how) => {
      throw new Error(`${d.name} exited (${how}) before ${what}`);
    });
    died.catch(() => {});
    await Promise.race([waitFor(what, probe, { timeoutMs, intervalMs: 200 }), died]);
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- last lines of ${d.log} ---\n${tail(d.log)}`, { cause: e });
  }
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpGet(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

function httpsOk(url: string, ca: string, client: CertPair): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsRequest(
      url,
      {
        ca: readFileSync(ca),
        cert: readFileSync(client.cert),
        key: readFileSync(client.key),
        timeout: 2000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

export interface StartOptions {
  dir: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Starts the control plane and kwok; on any failure stops what it started and throws. */
export async function startControlPlane(opts: StartOptions): Promise<ClusterInfo> {
  const { dir } = opts;
  const say = opts.log ?? (() => {});
  const instanceId = `kec-${randomBytes(6).toString('hex')}`;
  await mkdir(join(dir, 'logs'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'etcd'), { recursive: true, mode: 0o700 });
  const pki = await ensurePki(join(dir, 'pki'));
  const [etcdPort, peerPort, apiPort, cmPort, schedPort] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const server = `https://127.0.0.1:${apiPort}`;
  const start = (name: string, bin: Parameters<typeof binPath>[0], args: string[]): Daemon =>
    startDaemon({ dir, instanceId, name, bin: binPath(bin), args });

  try {
    say(`etcd on ${etcdUrl}`);
    const etcd = start('etcd', 'etcd', [
      '--name=kec',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=kec=http://127.0.0.1:${peerPort}`,
      '--initial-cluster-state=new',
      '--unsafe-no-fsync',
      '--log-level=warn',
      '--quota-backend-bytes=2147483648',
    ]);
    await healthy(etcd, 'etcd /health', () => httpOk(`${etcdUrl}/health`), 30_000);

    say(`kube-apiserver ${K8S_VERSION} on ${server}`);
    const apiserver = start('kube-apiserver', 'kube-apiserver', [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      '--advertise-address=127.0.0.1',
      // A loopback address may not be an Endpoints IP; nothing in the harness needs them.
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${pki.serving.cert}`,
      `--tls-private-key-file=${pki.serving.key}`,
      `--client-ca-file=${pki.ca.cert}`,
      '--authorization-mode=Node,RBAC',
      '--anonymous-auth=false',
      '--enable-admission-plugins=NodeRestriction',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccount.pub}`,
      `--service-account-signing-key-file=${pki.serviceAccount.key}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--profiling=false',
      '--storage-backend=etcd3',
      '--watch-cache=true',
      '--v=1',
    ]);
    await healthy(
      apiserver,
      'kube-apiserver /readyz',
      () => httpsOk(`${server}/readyz`, pki.ca.cert, pki.admin),
      90_000,
    );

    const kubeconfig = join(dir, 'admin.kubeconfig');
    await writeKubeconfig(kubeconfig, {
      server,
      caFile: pki.ca.cert,
      user: 'kec-harness-admin',
      credentials: { clientCert: pki.admin },
    });
    const cmConfig = await writeKubeconfig(join(dir, 'controller-manager.kubeconfig'), {
      server,
      caFile: pki.ca.cert,
      user: 'system:kube-controller-manager',
      credentials: { clientCert: pki.controllerManager },
    });
    const schedConfig = await writeKubeconfig(join(dir, 'scheduler.kubeconfig'), {
      server,
      caFile: pki.ca.cert,
      user: 'system:kube-scheduler',
      credentials: { clientCert: pki.scheduler },
    });
    await writeKubeconfig(join(dir, 'kwok.kubeconfig'), {
      server,
      caFile: pki.ca.cert,
      user: 'kwok-controller',
      credentials: { clientCert: pki.kwok },
    });

    say('kube-controller-manager, kube-scheduler, kwok');
    const cm = start('kube-controller-manager', 'kube-controller-manager', [
      `--kubeconfig=${cmConfig}`,
      `--authentication-kubeconfig=${cmConfig}`,
      `--authorization-kubeconfig=${cmConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${cmPort}`,
      '--leader-elect=false',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki.serviceAccount.key}`,
      `--root-ca-file=${pki.ca.cert}`,
      `--cluster-signing-cert-file=${pki.ca.cert}`,
      `--cluster-signing-key-file=${pki.ca.key}`,
      // A disconnected edge site shows up within seconds instead of the default 50 s.
      '--node-monitor-period=2s',
      '--node-monitor-grace-period=20s',
      '--profiling=false',
      '--v=1',
    ]);
    const scheduler = start('kube-scheduler', 'kube-scheduler', [
      `--kubeconfig=${schedConfig}`,
      `--authentication-kubeconfig=${schedConfig}`,
      `--authorization-kubeconfig=${schedConfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${schedPort}`,
      '--leader-elect=false',
      '--profiling=false',
      '--v=1',
    ]);
    const kwok = await startKwok(dir, instanceId, []);
    await healthy(
      cm,
      'kube-controller-manager /healthz',
      () => httpsAnyOk(`https://127.0.0.1:${cmPort}/healthz`),
      60_000,
    );
    await healthy(
      scheduler,
      'kube-scheduler /healthz',
      () => httpsAnyOk(`https://127.0.0.1:${schedPort}/healthz`),
      60_000,
    );
    await waitKwokHealthy(kwok.daemon, kwok.port);

    const info: ClusterInfo = {
      instanceId,
      dir,
      k8sVersion: K8S_VERSION,
      server,
      kubeconfig,
      caFile: pki.ca.cert,
      adminCert: pki.admin,
      servingCert: pki.serving,
      etcdUrl,
    };
    await writeFile(join(dir, CLUSTER_FILE), JSON.stringify(info, null, 2));
    return info;
  } catch (e) {
    await stopDaemons(dir);
    throw e;
  }
}

/** /healthz of a component with a self-signed serving cert (health is not secret; no client cert). */
function httpsAnyOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsRequest(url, { rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

export async function waitKwokHealthy(d: Daemon, port: number): Promise<void> {
  await healthy(d, 'kwok /healthz', () => httpOk(`http://127.0.0.1:${port}/healthz`), 60_000);
}

export async function stopControlPlane(dir: string): Promise<string[]> {
  return stopDaemons(dir);
}

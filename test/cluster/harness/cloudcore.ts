// The real cloudcore of a harness cluster: KubeEdge CRDs, the reconciler daemon that runs
// cloudcore (daemons/cloudcore-reconciler.ts), and waiting until it serves edge nodes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import type { ReconcilerParams, ReconcilerState } from './daemons/cloudcore-reconciler.ts';
import { createOrReplace, loadKubeConfig, readYamlObjects, statusOf } from './k8s.ts';
import type { KObject } from './k8s.ts';
import type { Daemon } from './processes.ts';
import { startDaemon } from './processes.ts';
import { freePort, waitFor } from './wait.ts';

export const KUBEEDGE_NAMESPACE = 'kubeedge';
const RECONCILER = join(dirname(fileURLToPath(import.meta.url)), 'daemons', 'cloudcore-reconciler.ts');

export function cloudcoreDir(dir: string): string {
  return join(dir, 'kubeedge');
}

function paramsFile(dir: string): string {
  return join(cloudcoreDir(dir), 'reconciler.json');
}

export function readReconcilerParams(dir: string): ReconcilerParams {
  return JSON.parse(readFileSync(paramsFile(dir), 'utf8')) as ReconcilerParams;
}

export function readCloudcoreState(dir: string): ReconcilerState | undefined {
  const f = join(cloudcoreDir(dir), 'cloudcore-state.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ReconcilerState) : undefined;
}

/** KubeEdge's CRDs (cloudcore needs them before it starts); waits until they are Established. */
export async function applyKubeEdgeCrds(kc: k8s.KubeConfig, crdDir: string): Promise<void> {
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const crds: KObject[] = readdirSync(crdDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => readYamlObjects(join(crdDir, f)));
  for (const crd of crds) await createOrReplace(api, crd, 'keadm');
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  await waitFor(
    'KubeEdge CRDs Established',
    async () => {
      const list = await ext.listCustomResourceDefinition();
      const established = new Set(
        list.items
          .filter((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'))
          .map((c) => c.metadata?.name),
      );
      return crds.every((c) => established.has(c.metadata?.name));
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 1000 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

/** Starts the reconciler (which starts cloudcore) listening on address; returns its daemon. */
export async function startCloudcore(opts: {
  dir: string;
  instanceId: string;
  bin: string;
  kubeconfig: string;
  address: string;
}): Promise<Daemon> {
  const stateDir = cloudcoreDir(opts.dir);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const [websocketPort, httpsPort, monitorPort] = [await freePort(), await freePort(), await freePort()];
  const params: ReconcilerParams = {
    bin: opts.bin,
    site: { kubeconfig: opts.kubeconfig, stateDir, address: opts.address, websocketPort, httpsPort, monitorPort },
    configFile: join(stateDir, 'cloudcore.yaml'),
    logFile: join(opts.dir, 'logs', 'cloudcore.log'),
    stateFile: join(stateDir, 'cloudcore-state.json'),
    namespace: KUBEEDGE_NAMESPACE,
    pollMs: 500,
  };
  await writeFile(paramsFile(opts.dir), JSON.stringify(params, null, 2));
  return startDaemon({
    dir: opts.dir,
    instanceId: opts.instanceId,
    name: 'cloudcore-reconciler',
    bin: process.execPath,
    args: [RECONCILER, paramsFile(opts.dir)],
  });
}

/**
 * Waits until the cloudcore started for the Deployment's current pod template serves edge
 * nodes: cloudhub's websocket and https ports accept connections and the join token exists.
 */
export async function waitCloudcoreServing(dir: string, timeoutMs = 60_000): Promise<ReconcilerState> {
  const p = readReconcilerParams(dir);
  const kc = loadKubeConfig(p.site.kubeconfig);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  return waitFor(
    'cloudcore serving (current pod template, cloudhub ports open, Secret kubeedge/tokensecret)',
    async () => {
      const d = await apps.readNamespacedDeployment({ name: 'cloudcore', namespace: KUBEEDGE_NAMESPACE });
      const want = JSON.stringify(
        Object.fromEntries(
          Object.entries(d.spec?.template.metadata?.annotations ?? {}).sort(([a], [b]) => a.localeCompare(b)),
        ),
      );
      const state = readCloudcoreState(dir);
      if (state?.annotations !== want) return undefined;
      if (!(await tcpOpen(p.site.address, p.site.websocketPort)) || !(await tcpOpen(p.site.address, p.site.httpsPort)))
        return undefined;
      try {
        await core.readNamespacedSecret({ name: 'tokensecret', namespace: KUBEEDGE_NAMESPACE });
      } catch (e) {
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
      return state;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

/** The edge join token cloudcore created (Secret kubeedge/tokensecret). Never print it. */
export async function readJoinToken(kc: k8s.KubeConfig): Promise<string> {
  const s = await kc
    .makeApiClient(k8s.CoreV1Api)
    .readNamespacedSecret({ name: 'tokensecret', namespace: KUBEEDGE_NAMESPACE });
  const data = s.data?.['tokendata'];
  if (data === undefined) throw new Error('Secret kubeedge/tokensecret has no tokendata');
  return Buffer.from(data, 'base64').toString('utf8');
}

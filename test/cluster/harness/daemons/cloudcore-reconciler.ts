// Harness daemon: runs the real cloudcore as its child, the way the Deployment kubeedge/cloudcore
// would in a real cluster. When the Deployment's pod-template annotations change (kec writes
// kec.kubeedge.io/restartedAt to restart cloudcore), it regenerates cloudcore.yaml from the
// ConfigMap kubeedge/cloudcore and restarts the process. A cloudcore that exits on its own is
// started again after a short back-off. SIGTERM stops cloudcore, then the reconciler.
//   node cloudcore-reconciler.ts <params.json>     (written by harness/cloudcore.ts)
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';
import type { CloudcoreSite } from '../cloudcore-config.ts';
import { dynamicControllerEnabled, renderCloudcoreConfig } from '../cloudcore-config.ts';
import { loadKubeConfig, statusOf } from '../k8s.ts';

export interface ReconcilerParams {
  bin: string;
  site: CloudcoreSite;
  /** Generated cloudcore.yaml. */
  configFile: string;
  /** cloudcore's own output. */
  logFile: string;
  /** Written after every (re)start: ReconcilerState. */
  stateFile: string;
  namespace: string;
  pollMs: number;
}

export interface ReconcilerState {
  /** Pod-template annotations of the Deployment the running cloudcore was started for (stable JSON). */
  annotations: string;
  dynamicController: boolean;
  pid: number;
  starts: number;
  startedAt: string;
}

const params = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ReconcilerParams;
const kc = loadKubeConfig(params.site.kubeconfig);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);

let child: ChildProcess | undefined;
let stopping = false;
/** The child being stopped on purpose (restart or shutdown): its exit is not a crash. */
let retiring: ChildProcess | undefined;
let starts = 0;
let restartAfter = 0;

function say(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function stable(o: Record<string, string> | undefined): string {
  return JSON.stringify(Object.fromEntries(Object.entries(o ?? {}).sort(([a], [b]) => a.localeCompare(b))));
}

async function templateAnnotations(): Promise<string | undefined> {
  try {
    const d = await apps.readNamespacedDeployment({ name: 'cloudcore', namespace: params.namespace });
    return stable(d.spec?.template.metadata?.annotations);
  } catch (e) {
    if (statusOf(e) === 404) return stable({});
    return undefined; // apiserver unreachable: keep what runs
  }
}

async function configMapText(): Promise<string> {
  const cm = await core.readNamespacedConfigMap({ name: 'cloudcore', namespace: params.namespace });
  return cm.data?.['cloudcore.yaml'] ?? '';
}

async function stopChild(): Promise<void> {
  const c = child;
  if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
  const gone = new Promise<void>((r) => c.once('exit', () => r()));
  retiring = c;
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), 8000);
  await gone;
  clearTimeout(t);
}

function startChild(annotations: string, text: string): void {
  const tmp = `${params.configFile}.tmp`;
  writeFileSync(tmp, renderCloudcoreConfig(text, params.site), { mode: 0o600 });
  renameSync(tmp, params.configFile);
  const fd = openSync(params.logFile, 'a');
  const c = spawn(params.bin, ['--config', params.configFile], {
    stdio: ['ignore', fd, fd],
    env: process.env,
    cwd: params.site.stateDir,
  });
  closeSync(fd);
  child = c;
  starts += 1;
  const state: ReconcilerState = {
    annotations,
    dynamicController: dynamicControllerEnabled(text),
    pid: c.pid ?? 0,
    starts,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(`${params.stateFile}.tmp`, JSON.stringify(state));
  renameSync(`${params.stateFile}.tmp`, params.stateFile);
  say(
    `cloudcore started (pid ${c.pid ?? '?'}, start ${starts}, dynamicController ${state.dynamicController}, template annotations ${annotations})`,
  );
  c.on('exit', (code, signal) => {
    if (child === c) child = undefined;
    if (retiring === c) {
      say(`cloudcore pid ${c.pid ?? '?'} stopped (${signal ?? `code ${code ?? '?'}`})`);
    } else if (!stopping) {
      say(`cloudcore exited (${signal ?? `code ${code ?? '?'}`}); starting it again`);
      restartAfter = Date.now() + 2000;
    }
  });
}

let running: string | undefined;
let lastSweep = 0;

/**
 * Pods deleted on a hollow edge node sometimes stay Terminating for good (edged never confirms a
 * deletion that raced a reconnect). Past 30 s they are finalized as
 * `kubectl delete --force --grace-period=0` would, so the DaemonSet can place a replacement.
 * A harness shortcut, documented in docs/harness.md.
 */
async function sweepStuckTerminating(): Promise<void> {
  if (Date.now() - lastSweep < 5000) return;
  lastSweep = Date.now();
  try {
    for (const p of (await core.listPodForAllNamespaces()).items) {
      const since = p.metadata?.deletionTimestamp ? Date.parse(String(p.metadata.deletionTimestamp)) : NaN;
      if (Number.isNaN(since) || Date.now() - since < 30_000 || !String(p.spec?.nodeName ?? '').startsWith('edge-'))
        continue;
      say(
        `finalizing ${p.metadata?.namespace}/${p.metadata?.name}, Terminating on ${p.spec?.nodeName} for ${Math.round((Date.now() - since) / 1000)}s`,
      );
      await core
        .deleteNamespacedPod({
          name: p.metadata?.name ?? '',
          namespace: p.metadata?.namespace ?? '',
          gracePeriodSeconds: 0,
        })
        .catch(() => undefined);
    }
  } catch {
    // The API server may be restarting; the next sweep tries again.
  }
}

async function loop(): Promise<void> {
  while (!stopping) {
    await sweepStuckTerminating();
    const want = await templateAnnotations();
    if (want !== undefined && (want !== running || (child === undefined && Date.now() >= restartAfter))) {
      try {
        const text = await configMapText();
        if (want !== running && running !== undefined)
          say(`pod-template annotations changed: ${running} -> ${want}; restarting cloudcore`);
        await stopChild();
        if (stopping) break;
        startChild(want, text);
        running = want;
      } catch (e) {
        say(`cannot (re)start cloudcore yet: ${(e as Error).message}`);
      }
    }
    await sleep(params.pollMs);
  }
}

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await stopChild();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
await loop();

// kec dashboard: loads the files given, connects to the cluster when live, serves the web UI
// and its JSON API on 127.0.0.1 until the signal (Ctrl-C, SIGTERM) aborts. Loaded lazily by the CLI.
import type { Io } from '../output/io.ts';
import type { ConnectOptions } from '../cluster/client.ts';
import { connectCluster, resolveTarget } from '../cluster/snapshot/target.ts';
import { DEFAULT_OFFLINE_GRACE_MS } from '../cluster/status/report.ts';
import { durationFlag } from '../util/duration.ts';
import { InputError, UsageError } from '../errors.ts';
import { VERSION } from '../version.ts';
import type { InputFlags } from './inputs.ts';
import { loadInputs } from './inputs.ts';
import type { ReadOnlyCluster } from './live.ts';
import { cachedDiagnose, LiveFleet, readOnly } from './live.ts';
import { buildRoutes, currentFleet } from './routes.ts';
import { startServer } from './server.ts';
import { cachedHelmValues } from './values-view.ts';
import { findAssets } from './static.ts';

export const NOT_IN_BINARY =
  'the dashboard is not part of the standalone binary; use the npm package (npx kubeedge-cilium dashboard)';

export interface DashboardOptions extends InputFlags {
  port: number;
  /** Read the cluster (kubeconfig flags given, or no file at all). */
  live: boolean;
  connect: ConnectOptions;
  namespace?: string;
  offlineGrace?: string;
  /** How often the live fleet is re-read. */
  refreshMs?: number;
  /** Stops the server (the CLI aborts it on SIGINT/SIGTERM). */
  signal: AbortSignal;
  /** The user's helm (live: the deployed release's values for the plan view); default `helm`. */
  helm?: string;
  /** Tests: a cluster instead of the kubeconfig's. */
  cluster?: ReadOnlyCluster;
  /** Tests: where the built UI is. */
  assets?: string;
  /** Tests: the clock of the live fleet. */
  now?: () => number;
  /** Whether kec runs as a single executable application (no UI files there). */
  isSea?: () => boolean;
}

async function runningAsSea(): Promise<boolean> {
  const sea = await import('node:sea').catch(() => undefined);
  return sea?.isSea() ?? false;
}

/** Whether the user asked for the cluster: cluster flags, or nothing to show but the cluster. */
export function wantsLive(f: InputFlags & { kubeconfig?: string; context?: string }): boolean {
  if (f.kubeconfig !== undefined || f.context !== undefined) return true;
  const files = [f.spec, f.plan, f.flows, f.snapshot, ...(f.policies ?? [])];
  return files.every((x) => x === undefined);
}

export async function dashboardCommand(io: Io, o: DashboardOptions): Promise<number> {
  if (o.isSea ? o.isSea() : await runningAsSea()) throw new UsageError(NOT_IN_BINARY);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    throw new UsageError(`--port ${o.port}: expected 0 (any free port) to 65535`);
  const graceMs =
    o.offlineGrace !== undefined
      ? durationFlag('--offline-grace', o.offlineGrace, { allowZero: true })
      : DEFAULT_OFFLINE_GRACE_MS;
  const inputs = await loadInputs(io, o);
  const assets = o.assets ?? findAssets(process.argv[1]);
  if (assets === undefined) throw new InputError('the dashboard web UI is missing (dist/dashboard): run make build');
  if (inputs.snapshot && o.live) throw new UsageError('--snapshot is the offline fleet: give it without cluster flags');

  // The live fleet's first read comes before the server exists: updates are published once it does.
  let publish: () => void = () => undefined;
  let live: LiveFleet | undefined;
  let diagnose: ReturnType<typeof cachedDiagnose> | undefined;
  let helmValues: ReturnType<typeof cachedHelmValues> | undefined;
  if (o.live) {
    const target = await resolveTarget(io, { file: o.spec, namespace: o.namespace, connect: o.connect });
    const cluster = readOnly(o.cluster ?? (await connectCluster(o.connect)));
    live = new LiveFleet(cluster, {
      target,
      offlineGraceMs: graceMs,
      intervalMs: o.refreshMs ?? 5000,
      ...(o.now ? { now: o.now } : {}),
      onUpdate: () => publish(),
      onError: (e) => io.err(io.color.yellow(`warning: reading the cluster failed: ${(e as Error).message}`)),
    });
    await live.start();
    diagnose = cachedDiagnose(cluster, target, 30_000);
    if (inputs.plan) {
      const { helmCli } = await import('../cluster/install/helm.ts');
      const { cilium } = inputs.plan.plan;
      helmValues = cachedHelmValues(
        helmCli({
          bin: o.helm ?? 'helm',
          ...(o.connect.kubeconfig !== undefined ? { kubeconfig: o.connect.kubeconfig } : {}),
          ...(o.connect.context !== undefined ? { context: o.connect.context } : {}),
        }),
        { name: cilium.release, namespace: cilium.namespace },
        30_000,
      );
    }
  }
  const sources = {
    version: VERSION,
    inputs,
    ...(live ? { live: () => live.current() } : {}),
    ...(diagnose ? { diagnose } : {}),
    ...(helmValues ? { helmValues } : {}),
  };
  const server = await startServer({ port: o.port, routes: buildRoutes(sources), assets }).catch(async (e: unknown) => {
    await live?.stop(); // its timer would keep kec running
    throw e;
  });
  publish = () => server.publish('fleet', currentFleet(sources).view);
  io.out(`kec dashboard: ${server.url}?token=${server.token}`);
  io.err(
    io.color.dim(
      `${o.live ? 'live from the cluster' : 'offline, from files'}; serving on 127.0.0.1 only; Ctrl-C stops it`,
    ),
  );
  await new Promise<void>((resolve) => {
    if (o.signal.aborted) resolve();
    else o.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await live?.stop();
  await server.close();
  return 0;
}

// kec connectivity test / cleanup: loaded lazily by the CLI. Plan from nodes and groups
// (as kec status judges them), deploy client/echo per usable site into cilium-test-<n>,
// probe, report like cilium-cli (and JUnit), clean up even on failure or SIGINT.
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Io, OutputFormat } from '../../output/io.ts';
import { InputError, UsageError } from '../../errors.ts';
import { toJUnitXml } from '../../output/junit.ts';
import type { ConnectOptions } from '../client.ts';
import type { ObjectReader, ObjectWriter, PodExec } from '../types.ts';
import { collectState, errorText } from '../snapshot/collect.ts';
import { DEFAULT_OFFLINE_GRACE_MS } from '../status/report.ts';
import { connectCluster, resolveTarget } from '../snapshot/target.ts';
import { chooseNamespace, createAll, deleteLeftovers, deleteNamespace, waitForPods } from './deploy.ts';
import type { Deployed, TestResult } from './execute.ts';
import { executeTests } from './execute.ts';
import { planConnectivity } from './test-matrix.ts';
import type { Prober } from './prober.ts';
import { execProber } from './prober.ts';
import type { ConnectivityReport, SiteReport } from './report.ts';
import { junitSuites, renderConnectivity, summarise } from './report.ts';
import type { Images } from './workloads.ts';
import { DEFAULT_IMAGES, NAMESPACE_PREFIX, testObjects } from './workloads.ts';
import { durationFlag } from '../../util/duration.ts';
import { emit } from '../../output/emit.ts';

export type ConnectivityCluster = ObjectReader & ObjectWriter & PodExec;

export interface ConnectivityOptions {
  file?: string;
  /** Cilium namespace (edge groups are discovered from its DaemonSets and node labels). */
  namespace?: string;
  testNamespace?: string;
  format: OutputFormat;
  connect: ConnectOptions;
  junit?: string;
  keep?: boolean;
  /** Regular expression on test names. */
  test?: string;
  testTimeout?: string;
  deployTimeout?: string;
  offlineGrace?: string;
  concurrency?: number;
  clusterDomain?: string;
  images?: Partial<Images>;
  /** Tests inject these. */
  cluster?: ConnectivityCluster;
  prober?: Prober;
  signal?: AbortSignal;
  /** Default true: SIGINT aborts the run and still cleans up. */
  handleSigint?: boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
}

function testFilter(text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    return new RegExp(text);
  } catch (e) {
    throw new UsageError(`--test ${text}: not a regular expression: ${(e as Error).message}`);
  }
}

function checkJUnitPath(io: Io, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(io.cwd, file);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new InputError(`--junit ${file}: directory ${dir} does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(`--junit ${file}: is a directory`);
  return path;
}

/** SIGINT → abort; a second SIGINT leaves at once (the namespace may then be left over). */
function onSigint(ctl: AbortController, io: Io): () => void {
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) {
      io.err('interrupted: stopping and cleaning up (press Ctrl-C again to leave at once)');
      ctl.abort(new Error('interrupted'));
    } else process.exit(130);
  };
  process.on('SIGINT', handler);
  return () => void process.off('SIGINT', handler);
}

export async function connectivityTestCommand(io: Io, opts: ConnectivityOptions): Promise<number> {
  const filter = testFilter(opts.test);
  const testTimeoutMs = opts.testTimeout !== undefined ? durationFlag('--test-timeout', opts.testTimeout) : 15_000;
  const deployTimeoutMs =
    opts.deployTimeout !== undefined ? durationFlag('--deploy-timeout', opts.deployTimeout) : 120_000;
  const offlineGraceMs =
    opts.offlineGrace !== undefined
      ? durationFlag('--offline-grace', opts.offlineGrace, { allowZero: true })
      : DEFAULT_OFFLINE_GRACE_MS;
  if (opts.concurrency !== undefined && (!Number.isInteger(opts.concurrency) || opts.concurrency < 1))
    throw new UsageError(`--concurrency ${opts.concurrency}: must be a whole number ≥ 1`);
  if (opts.testNamespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(opts.testNamespace))
    throw new UsageError(`--test-namespace ${opts.testNamespace}: not a valid namespace name`);
  const junitPath = checkJUnitPath(io, opts.junit);
  const target = await resolveTarget(io, { file: opts.file, namespace: opts.namespace, connect: opts.connect });
  const clusterDomain = opts.clusterDomain ?? target.spec?.spec.kubernetes.clusterDomain ?? 'cluster.local';
  const images: Images = { ...DEFAULT_IMAGES, ...opts.images };
  const now = opts.now ?? Date.now;
  const cluster = opts.cluster ?? (await connectCluster(opts.connect));
  const prober = opts.prober ?? execProber(cluster);
  const started = now();

  const state = await collectState(cluster, {
    namespace: target.namespace,
    ...(target.groups ? { groups: target.groups } : {}),
    now,
  });
  const nodeErr = state.errors.find((e) => e.what === 'nodes');
  if (nodeErr) {
    io.err(io.color.red(`error: cannot list nodes: ${nodeErr.error}`));
    return 1;
  }
  const plan = planConnectivity(state.nodes, state.groups, {
    now: now(),
    offlineGraceMs,
    ...(filter ? { filter } : {}),
  });
  const used = new Set(
    plan.tests.filter((t) => t.skipped === undefined).flatMap((t) => [t.from, ...(t.to !== undefined ? [t.to] : [])]),
  );
  const deploySites = plan.sites.filter((s) => s.skipped === undefined && used.has(s.name));
  for (const s of plan.sites)
    if (s.skipped !== undefined)
      io.err(io.color.yellow(`skipping ${s.kind === 'cloud' ? 'cloud' : `edge group ${s.name}`}: ${s.skipped}`));

  const ctl = new AbortController();
  const forward = (): void => ctl.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', forward, { once: true });
  const release = opts.handleSigint === false ? () => {} : onSigint(ctl, io);
  const errors: string[] = [];
  let namespace = opts.testNamespace ?? `${NAMESPACE_PREFIX}?`;
  let created = false;
  let deployed: Deployed | undefined;
  let results: TestResult[] = [];
  let cleanup: ConnectivityReport['cleanup'] = 'not needed';
  try {
    if (deploySites.length > 0) {
      if (opts.testNamespace !== undefined) {
        if (await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: opts.testNamespace }))
          throw new InputError(
            `--test-namespace ${opts.testNamespace}: exists already (kec connectivity cleanup deletes kec's leftovers)`,
          );
      } else namespace = await chooseNamespace(cluster);
      io.err(
        io.color.dim(
          `deploying client and echo to ${deploySites.map((s) => s.name).join(', ')} in namespace ${namespace}`,
        ),
      );
      const [nsObj, ...rest] = testObjects(namespace, randomUUID(), deploySites, images);
      if (nsObj) await cluster.create(nsObj);
      created = true; // ours now (a create conflict above means another run's): clean up whatever part exists
      await createAll(cluster, rest);
      deployed = await waitForPods(cluster, namespace, deploySites, {
        timeoutMs: deployTimeoutMs,
        signal: ctl.signal,
        now,
        ...(opts.sleep ? { sleep: opts.sleep } : {}),
        ...(opts.pollIntervalMs !== undefined ? { intervalMs: opts.pollIntervalMs } : {}),
      });
      deployed = { ...deployed, dnsName: `echo.${namespace}.svc.${clusterDomain}` };
    }
    const empty: Deployed = {
      namespace,
      clients: new Map(),
      echoes: new Map(),
      problems: new Map(),
      dnsName: '',
      echoPort: 0,
    };
    results = await executeTests(plan.tests, deployed ?? empty, prober, {
      timeoutMs: testTimeoutMs,
      concurrency: opts.concurrency ?? 4,
      signal: ctl.signal,
      now,
      onResult: (r) => {
        if (r.status !== 'skipped' && opts.format === 'human')
          io.err(io.color.dim(`  ${r.status === 'passed' ? '✓' : '✗'} ${r.name}`));
      },
    });
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) throw e;
    errors.push(errorText(e));
    // Tests that did not get to run are reported as failed with the cause.
    const have = new Set(results.map((r) => r.name));
    results = [
      ...results,
      ...plan.tests
        .filter((t) => !have.has(t.name))
        .map((t): TestResult => ({
          name: t.name,
          kind: t.kind,
          from: t.from,
          ...(t.to !== undefined ? { to: t.to } : {}),
          status: t.skipped !== undefined ? 'skipped' : 'failed',
          reason: t.skipped ?? `not run: ${errorText(e)}`,
          durationMs: 0,
          actions: [],
        })),
    ];
  } finally {
    if (created) {
      if (opts.keep) cleanup = 'kept';
      else {
        const err = await deleteNamespace(cluster, namespace);
        cleanup = err ? 'failed' : 'deleted';
        if (err) errors.push(err);
      }
    }
    release();
    opts.signal?.removeEventListener('abort', forward);
  }

  const sites: SiteReport[] = plan.sites.map((s) => {
    const r: SiteReport = { name: s.name, kind: s.kind, nodes: s.nodes };
    if (s.skipped !== undefined) r.skipped = s.skipped;
    const c = deployed?.clients.get(s.name);
    const e = deployed?.echoes.get(s.name);
    if (c) r.client = `${c.pod}@${c.node}`;
    if (e) r.echo = `${e.pod}@${e.node}`;
    const p = deployed?.problems.get(s.name);
    if (p !== undefined) r.problem = p;
    return r;
  });
  const summary = summarise(namespace, results);
  const interrupted = ctl.signal.aborted;
  const report: ConnectivityReport = {
    namespace,
    startedAt: new Date(started).toISOString(),
    durationMs: now() - started,
    prober: prober.name,
    sites,
    tests: results,
    summary,
    errors,
    cleanup,
    interrupted,
    ok: summary.failedTests === 0 && summary.tests > 0 && errors.length === 0 && !interrupted,
  };
  if (junitPath !== undefined) {
    const tmp = `${junitPath}.partial`;
    await writeFile(tmp, toJUnitXml(junitSuites(report), 'kec connectivity test'));
    await rename(tmp, junitPath);
  }
  emit(io, opts.format, report, () => renderConnectivity(report, io.color));
  return report.ok ? 0 : 1;
}

export interface CleanupOptions {
  format: OutputFormat;
  connect: ConnectOptions;
  cluster?: ObjectReader & ObjectWriter;
}

/** kec connectivity cleanup: deletes every namespace labelled by a connectivity test. */
export async function connectivityCleanupCommand(io: Io, opts: CleanupOptions): Promise<number> {
  const cluster = opts.cluster ?? (await connectCluster(opts.connect));
  const r = await deleteLeftovers(cluster);
  if (opts.format !== 'human') emit(io, opts.format, r);
  else {
    io.out(
      r.deleted.length
        ? `Deleted ${r.deleted.map((n) => `namespace ${n}`).join(', ')}`
        : 'No connectivity test namespaces left over.',
    );
    for (const e of r.errors) io.out(io.color.red(`error: ${e}`));
  }
  return r.errors.length ? 1 : 0;
}

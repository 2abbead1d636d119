// vitest globalSetup for integration tests: one harness cluster per run, stopped (and
// checked for leftover processes) at the end. Missing prerequisites: a loud skip locally,
// a failure when CI=true.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { MissingPrerequisiteError } from './harness/binaries.ts';
import type { RunningCluster } from './harness/cluster.ts';
import { clusterTopology, startCluster, stopCluster } from './harness/cluster.ts';
import { readClusterInfo } from './harness/control-plane.ts';
import type { HarnessContext } from './harness/context.ts';
import { killDaemonsSync } from './harness/processes.ts';

function loud(line: string): void {
  const bar = '!'.repeat(Math.min(100, line.length + 8));
  console.error(`\n${bar}\n!!! ${line} !!!\n${bar}\n`);
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // Reuse a cluster started by hand (test/cluster/up.sh) when KEC_HARNESS_DIR points at it.
  const reuse = process.env['KEC_HARNESS_DIR'];
  if (reuse !== undefined && reuse !== '') {
    const info = readClusterInfo(reuse);
    if (info === undefined) throw new Error(`KEC_HARNESS_DIR=${reuse} holds no running harness cluster`);
    const cluster: RunningCluster = {
      ...info,
      topology: clusterTopology(reuse),
      seeded: true,
      timings: { binariesMs: 0, controlPlaneMs: 0, nodesAndSeedMs: 0 },
    };
    project.provide('kecHarness', { available: true, cluster, reused: true } satisfies HarnessContext);
    return undefined;
  }

  const dir = await mkdtemp(join(tmpdir(), 'kec-harness-'));
  // Last resort if the runner dies without teardown: SIGKILL the daemons' process groups.
  const onExit = (): void => killDaemonsSync(dir);
  const onSignal = (signal: NodeJS.Signals): void => {
    killDaemonsSync(dir);
    if (process.listenerCount(signal) === 1) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let cluster: RunningCluster;
  const t = Date.now();
  try {
    cluster = await startCluster({ dir, log: (l) => console.error(`harness: ${l}`) });
  } catch (e) {
    if (e instanceof MissingPrerequisiteError) {
      await stopCluster(dir);
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (process.env['CI'] === 'true') {
        loud(`INTEGRATION TESTS CANNOT RUN IN CI: ${e.message}`);
        throw e;
      }
      loud(`INTEGRATION TESTS SKIPPED: ${e.message}`);
      project.provide('kecHarness', { available: false, reason: e.message } satisfies HarnessContext);
      return undefined;
    }
    console.error(`harness: start failed; state and logs kept in ${dir}`);
    throw e;
  }
  const secs = (ms: number): string => (ms / 1000).toFixed(1);
  console.error(
    `harness: cluster up in ${secs(Date.now() - t)}s (binaries ${secs(cluster.timings.binariesMs)}s, ` +
      `control plane ${secs(cluster.timings.controlPlaneMs)}s, nodes+seed ${secs(cluster.timings.nodesAndSeedMs)}s)`,
  );
  project.provide('kecHarness', { available: true, cluster, reused: false } satisfies HarnessContext);

  return async () => {
    const s = Date.now();
    await stopCluster(dir); // throws when a process is left behind
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    console.error(`harness: stopped in ${secs(Date.now() - s)}s, no process left behind`);
  };
}

// Start/stop a harness cluster by hand (up.sh / down.sh call this). See docs/harness.md.
//   node test/cluster/cli.ts up [--dir DIR] [--no-seed]
//   node test/cluster/cli.ts down | status | reset [--dir DIR]
//   node test/cluster/cli.ts sa-kubeconfig NAMESPACE NAME [--dir DIR]
//   node test/cluster/cli.ts disconnect|reconnect NODE [--dir DIR]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resetCluster, startCluster, stopCluster } from './harness/cluster.ts';
import { readClusterInfo } from './harness/control-plane.ts';
import { loadKubeConfig } from './harness/k8s.ts';
import { setNodeConnected } from './harness/nodes.ts';
import { cacheDir } from './harness/paths.ts';
import { readPids } from './harness/processes.ts';
import { mintServiceAccountKubeconfig } from './harness/service-account.ts';
import type { ClusterInfo } from './harness/control-plane.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { dir: { type: 'string' }, 'no-seed': { type: 'boolean' } },
});
const dir = values.dir ?? join(cacheDir(), 'clusters', 'default');
const [cmd, ...rest] = positionals;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function running(): ClusterInfo {
  const info = readClusterInfo(dir);
  if (info === undefined) throw new Error(`no harness cluster in ${dir} (start one with test/cluster/up.sh)`);
  return info;
}

async function main(): Promise<void> {
  switch (cmd) {
    case 'up': {
      if (readPids(dir).some((r) => alive(r.pid)))
        throw new Error(`a cluster is already running in ${dir}; run down first`);
      if (existsSync(dir)) await stopCluster(dir);
      const t = Date.now();
      const c = await startCluster({
        dir,
        noSeed: values['no-seed'] === true,
        log: (l) => console.error(`harness: ${l}`),
      });
      console.error(
        `harness: ready in ${((Date.now() - t) / 1000).toFixed(1)}s (binaries ${c.timings.binariesMs} ms, control plane ${c.timings.controlPlaneMs} ms, nodes+seed ${c.timings.nodesAndSeedMs} ms)`,
      );
      console.log(`export KUBECONFIG=${c.kubeconfig}`);
      console.error(
        `harness: API server ${c.server} (Kubernetes ${c.k8sVersion}); logs in ${join(dir, 'logs')}; stop with test/cluster/down.sh`,
      );
      return;
    }
    case 'down':
      await stopCluster(dir);
      console.error(`harness: stopped, ${dir} removed`);
      return;
    case 'status': {
      const info = running();
      for (const r of readPids(dir))
        console.log(`${r.name.padEnd(24)} pid ${r.pid} ${alive(r.pid) ? 'running' : 'NOT RUNNING'}`);
      console.log(`server ${info.server}\nkubeconfig ${info.kubeconfig}`);
      return;
    }
    case 'reset':
      await resetCluster(running());
      return;
    case 'sa-kubeconfig': {
      const [ns, name] = rest;
      if (ns === undefined || name === undefined) throw new Error('usage: sa-kubeconfig NAMESPACE NAME');
      console.log(await mintServiceAccountKubeconfig(running(), ns, name));
      return;
    }
    case 'disconnect':
    case 'reconnect': {
      const [node] = rest;
      if (node === undefined) throw new Error(`usage: ${cmd} NODE`);
      await setNodeConnected(loadKubeConfig(running().kubeconfig), node, cmd === 'reconnect');
      return;
    }
    default:
      throw new Error('usage: cli.ts up|down|status|reset|sa-kubeconfig|disconnect|reconnect [--dir DIR]');
  }
}

main().catch((e: unknown) => {
  console.error(`harness: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

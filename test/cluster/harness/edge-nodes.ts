// Hollow KubeEdge edge nodes: one hollow-edgecore (real edged/edgehub/metamanager, fake CRI)
// per edge node, each in its own network namespace (netns.ts) with its own directory,
// database, kubelet root, read-only port and 127.0.0.1:10550 MetaServer, plus a probe
// responder (daemons/probe-responder.ts) answering the kubelet's HTTP probes there.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { readReconcilerParams } from './cloudcore.ts';
import type { ClusterNet, NodeNet } from './netns.ts';
import type { SimNode } from './nodes.ts';
import type { Daemon } from './processes.ts';
import { startDaemon } from './processes.ts';

const run = promisify(execFile);
const RESPONDER = join(dirname(fileURLToPath(import.meta.url)), 'daemons', 'probe-responder.ts');

/** Every pod sandbox of the fake CRI gets this IP (k8s.io/cri-api testing FakePodSandboxIPs). */
export const FAKE_POD_IP = '192.168.192.168';
/** Pod ports whose httpGet probes the responder answers: the connectivity test's echo server. */
export const POD_PROBE_PORTS = [8080];
export const METASERVER = 'http://127.0.0.1:10550';

export function edgeNodeDir(dir: string, node: string): string {
  return join(dir, 'edge', node);
}

function unhealthyFlag(dir: string, node: string): string {
  return join(edgeNodeDir(dir, node), 'agent-unhealthy');
}

/** edgecore.yaml (v1alpha2) of one hollow node; holds the join token (mode 0600). */
export function renderEdgecoreConfig(o: {
  nodeDir: string;
  node: string;
  nodeIP: string;
  index: number;
  cloudAddress: string;
  httpsPort: number;
  websocketPort: number;
  token: string;
}): string {
  const tls = {
    tlsCaFile: join(o.nodeDir, 'ca', 'rootCA.crt'),
    tlsCertFile: join(o.nodeDir, 'certs', 'server.crt'),
    tlsPrivateKeyFile: join(o.nodeDir, 'certs', 'server.key'),
  };
  return stringify({
    apiVersion: 'edgecore.config.kubeedge.io/v1alpha2',
    kind: 'EdgeCore',
    database: { dataSource: join(o.nodeDir, 'edgecore.db') },
    modules: {
      edgeHub: {
        // edgehub waits 2 x heartbeat before reconnecting (30 s by default, more than the
        // controller-manager's 20 s grace): 5 s keeps nodes Ready across a cloudcore restart.
        heartbeat: 5,
        httpServer: `https://${o.cloudAddress}:${o.httpsPort}`,
        ...tls,
        token: o.token,
        websocket: { server: `${o.cloudAddress}:${o.websocketPort}` },
      },
      edged: {
        hostnameOverride: o.node,
        nodeIP: o.nodeIP,
        rootDirectory: join(o.nodeDir, 'kubelet'),
        tailoredKubeletConfig: {
          readOnlyPort: 10350 + o.index,
          clusterDNS: ['10.96.0.10'],
          clusterDomain: 'cluster.local',
          staticPodPath: join(o.nodeDir, 'manifests'),
          podLogsDir: join(o.nodeDir, 'pod-logs'),
        },
      },
      metaManager: { metaServer: { enable: true, server: '127.0.0.1:10550', ...tls } },
    },
  });
}

/**
 * Starts the hollow node and its probe responder in the node's namespace. Labels go on the
 * command line: hollow-edgecore replaces edged.nodeLabels with its --node-labels flag.
 */
export async function startHollowNode(o: {
  dir: string;
  instanceId: string;
  bin: string;
  node: SimNode;
  net: NodeNet;
  index: number;
  cluster: ClusterNet;
  token: string;
}): Promise<Daemon[]> {
  const nodeDir = edgeNodeDir(o.dir, o.node.name);
  await mkdir(join(nodeDir, 'manifests'), { recursive: true, mode: 0o700 });
  const p = readReconcilerParams(o.dir);
  const config = join(nodeDir, 'edgecore.yaml');
  await writeFile(
    config,
    renderEdgecoreConfig({
      nodeDir,
      node: o.node.name,
      nodeIP: o.net.address,
      index: o.index,
      cloudAddress: o.cluster.hostAddress,
      httpsPort: p.site.httpsPort,
      websocketPort: p.site.websocketPort,
      token: o.token,
    }),
    { mode: 0o600 },
  );
  // The fake CRI's pod IP exists only inside this namespace, so probes of pods reach the responder.
  await run('ip', ['-n', o.net.netns, 'addr', 'replace', `${FAKE_POD_IP}/32`, 'dev', 'lo']);
  const labels = Object.entries(o.node.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const inNs = (name: string, bin: string, args: string[]): Daemon =>
    startDaemon({
      dir: o.dir,
      instanceId: o.instanceId,
      name,
      bin: 'ip',
      args: ['netns', 'exec', o.net.netns, bin, ...args],
    });
  return [
    inNs(`probes-${o.node.name}`, process.execPath, [
      RESPONDER,
      unhealthyFlag(o.dir, o.node.name),
      FAKE_POD_IP,
      POD_PROBE_PORTS.join(','),
    ]),
    inNs(`edgecore-${o.node.name}`, o.bin, ['--config', config, '--name', o.node.name, '--node-labels', labels]),
  ];
}

/** Cilium agent health on one hollow node: healthy=false makes 127.0.0.1:9879/healthz answer 503. */
export async function setAgentHealthy(dir: string, node: string, healthy: boolean): Promise<void> {
  const flag = unhealthyFlag(dir, node);
  if (healthy) await rm(flag, { force: true });
  else await writeFile(flag, 'withdrawn\n');
}

export function agentHealthy(dir: string, node: string): boolean {
  return !existsSync(unhealthyFlag(dir, node));
}

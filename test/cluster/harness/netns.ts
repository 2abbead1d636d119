// Network namespaces for the hollow edge nodes. Per cluster one bridge kecbr<slot> on the host
// with 198.18.<slot>.1/24 (cloudcore listens there); per edge node a namespace kec<slot>-<node>
// holding eth0 = 198.18.<slot>.<10+i>/24, whose veth peer kec<slot>h<i> is a port of the bridge.
// Only addresses from 198.18.0.0/15 (RFC 2544 benchmarking) are used; no route, no iptables.
// Cutting a node's link = setting its host-side veth down.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MissingPrerequisiteError } from './binaries.ts';

const run = promisify(execFile);

export interface NodeNet {
  node: string;
  netns: string;
  hostVeth: string;
  address: string;
}

export interface ClusterNet {
  slot: number;
  bridge: string;
  /** Host (cloud) side address on the bridge. */
  hostAddress: string;
  nodes: NodeNet[];
}

const NET_FILE = 'netns.json';

async function ip(args: string[]): Promise<string> {
  try {
    return (await run('ip', args, { maxBuffer: 4 << 20 })).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    if (err.code === 'ENOENT')
      throw new MissingPrerequisiteError("ip (Debian package iproute2) for the edge nodes' network namespaces");
    throw new Error(`ip ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`, { cause: e });
  }
}

export async function checkNetnsPrerequisites(): Promise<void> {
  if (process.getuid?.() !== 0)
    throw new MissingPrerequisiteError("root (CAP_NET_ADMIN) to create the edge nodes' network namespaces");
  await ip(['-V']);
  try {
    await run('curl', ['--version']);
  } catch {
    throw new MissingPrerequisiteError(
      "curl (Debian package curl) to query MetaServer inside the edge nodes' namespaces",
    );
  }
}

export function readClusterNet(dir: string): ClusterNet | undefined {
  const f = join(dir, NET_FILE);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ClusterNet) : undefined;
}

export function nodeNet(dir: string, node: string): NodeNet {
  const n = readClusterNet(dir)?.nodes.find((x) => x.node === node);
  if (n === undefined) throw new Error(`${node} is not a hollow edge node of the cluster in ${dir}`);
  return n;
}

function usedSlots(): Set<number> {
  const used = new Set<number>();
  const links = execFileSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' });
  for (const m of links.matchAll(/inet 198\.18\.(\d+)\./g)) used.add(Number(m[1]));
  for (const m of execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).matchAll(/: kecbr(\d+)[:@]/g))
    used.add(Number(m[1]));
  if (existsSync('/run/netns'))
    for (const f of readdirSync('/run/netns')) {
      const m = /^kec(\d+)-/.exec(f);
      if (m) used.add(Number(m[1]));
    }
  return used;
}

/** Creates the bridge and one namespace per node; records them in <dir>/netns.json at once (for teardown). */
export async function createClusterNet(dir: string, nodes: string[]): Promise<ClusterNet> {
  const used = usedSlots();
  let slot = 0;
  let bridge = '';
  for (let s = 1; s < 255; s++) {
    if (used.has(s)) continue;
    try {
      await ip(['link', 'add', `kecbr${s}`, 'type', 'bridge']); // fails if another cluster took it meanwhile
      slot = s;
      bridge = `kecbr${s}`;
      break;
    } catch (e) {
      if (e instanceof MissingPrerequisiteError) throw e;
    }
  }
  if (slot === 0) throw new Error("no free 198.18.<slot>.0/24 for the edge nodes' bridge");
  const net: ClusterNet = { slot, bridge, hostAddress: `198.18.${slot}.1`, nodes: [] };
  nodes.forEach((node, i) =>
    net.nodes.push({
      node,
      netns: `kec${slot}-${node}`,
      hostVeth: `kec${slot}h${i + 1}`,
      address: `198.18.${slot}.${11 + i}`,
    }),
  );
  writeFileSync(join(dir, NET_FILE), JSON.stringify(net, null, 2));
  await ip(['addr', 'add', `${net.hostAddress}/24`, 'dev', bridge]);
  await ip(['link', 'set', bridge, 'up']);
  for (const [i, n] of net.nodes.entries()) {
    const peer = `kec${slot}n${i + 1}`;
    await ip(['netns', 'add', n.netns]);
    await ip(['link', 'add', n.hostVeth, 'type', 'veth', 'peer', 'name', peer]);
    await ip(['link', 'set', peer, 'netns', n.netns]);
    await ip(['link', 'set', n.hostVeth, 'master', bridge]);
    await ip(['link', 'set', n.hostVeth, 'up']);
    const inNs = (args: string[]): Promise<string> => ip(['-n', n.netns, ...args]);
    await inNs(['link', 'set', peer, 'name', 'eth0']);
    await inNs(['addr', 'add', `${n.address}/24`, 'dev', 'eth0']);
    await inNs(['link', 'set', 'eth0', 'up']);
    await inNs(['link', 'set', 'lo', 'up']);
    // A cut link drops packets: with the default 6 SYN retries an edgehub connect attempt started
    // during the cut goes on for ~2 min and delays the reconnect by as much. 2 retries: ~7 s.
    await run('ip', ['netns', 'exec', n.netns, 'sysctl', '-q', '-w', 'net.ipv4.tcp_syn_retries=2']);
  }
  return net;
}

/** Deletes the namespaces (their veth pairs go with them) and the bridge; tolerant of parts already gone. */
export function deleteClusterNetSync(dir: string): void {
  const net = readClusterNet(dir);
  if (net === undefined) return;
  const quiet = (args: string[]): void => {
    try {
      execFileSync('ip', args, { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  for (const n of net.nodes) {
    quiet(['link', 'del', n.hostVeth]);
    quiet(['netns', 'del', n.netns]);
  }
  quiet(['link', 'del', net.bridge]);
  rmSync(join(dir, NET_FILE), { force: true });
}

/** Names of this cluster's namespaces and links still present (teardown check). */
export function leftoverNet(net: ClusterNet): string[] {
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  const left = [net.bridge, ...net.nodes.map((n) => n.hostVeth)].filter((l) => new RegExp(`: ${l}[:@]`).test(links));
  const spaces = existsSync('/run/netns') ? readdirSync('/run/netns') : [];
  return [...left, ...net.nodes.map((n) => n.netns).filter((s) => spaces.includes(s))];
}

/** The edge site loses (up=false) or regains its link: the node's host-side veth goes down/up. */
export async function setLink(dir: string, node: string, up: boolean): Promise<void> {
  await ip(['link', 'set', nodeNet(dir, node).hostVeth, up ? 'up' : 'down']);
}

export function linkUp(dir: string, node: string): boolean {
  const out = execFileSync('ip', ['-o', 'link', 'show', nodeNet(dir, node).hostVeth], { encoding: 'utf8' });
  return /[<,]UP[,>]/.test(out);
}

/** HTTP GET from inside the node's namespace (curl), e.g. its MetaServer on 127.0.0.1:10550. */
export async function getInNetns(
  dir: string,
  node: string,
  url: string,
  timeoutS = 20,
): Promise<{ status: number; body: string }> {
  const { netns } = nodeNet(dir, node);
  const { stdout } = await run(
    'ip',
    ['netns', 'exec', netns, 'curl', '-s', '--max-time', String(timeoutS), '-w', '\n%{http_code}', url],
    { maxBuffer: 64 << 20 },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '\n0' }));
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)) || 0, body: stdout.slice(0, cut) };
}

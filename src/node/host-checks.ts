// Host state Cilium depends on: bpffs, cgroup v2, rp_filter, resources (keadm's
// thresholds plus the agent's estimate), the default-route MTU.
import { statfsSync } from 'node:fs';
import { KEADM_THRESHOLDS } from '../knowledge/kubeedge.ts';
import { AGENT_MEMORY } from '../knowledge/cilium.ts';
import { formatBytes } from '../util/quantity.ts';
import { check } from './checks.ts';
import type { FsRoot } from './fsroot.ts';
import type { Check } from '../check.ts';

export interface Mount {
  target: string;
  fstype: string;
}

const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mounts from /proc/self/mountinfo (or /proc/mounts); undefined when the root has neither. */
export function readMounts(fs: FsRoot): Mount[] | undefined {
  const info = fs.readText('/proc/self/mountinfo');
  if (info !== undefined) {
    return info
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const f = l.split(' ');
        const sep = f.indexOf('-');
        return { target: unescape(f[4] ?? ''), fstype: f[sep + 1] ?? '' };
      });
  }
  const mounts = fs.readText('/proc/mounts');
  if (mounts === undefined) return undefined;
  return mounts
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.split(' ');
      return { target: unescape(f[1] ?? ''), fstype: f[2] ?? '' };
    });
}

export const BPFFS = '/sys/fs/bpf';

export function mountChecks(fs: FsRoot): Check[] {
  const mounts = readMounts(fs);
  if (!mounts) {
    return [
      check('mount.bpffs', 'base', 'skip', `no mount table under ${fs.root} (offline image)`),
      check('cgroup.v2', 'base', 'skip', `no mount table under ${fs.root} (offline image)`),
    ];
  }
  const filesystems = fs.readText('/proc/filesystems') ?? '';
  const out: Check[] = [];
  if (mounts.some((m) => m.target === BPFFS && m.fstype === 'bpf'))
    out.push(check('mount.bpffs', 'base', 'pass', `bpffs mounted at ${BPFFS}`));
  else if (filesystems && !/\tbpf$/m.test(filesystems))
    out.push(
      check(
        'mount.bpffs',
        'base',
        'fail',
        'the kernel has no bpf filesystem (CONFIG_BPF_SYSCALL off)',
        'use a kernel with CONFIG_BPF_SYSCALL=y',
      ),
    );
  else
    out.push(
      check(
        'mount.bpffs',
        'base',
        'warn',
        `bpffs is not mounted at ${BPFFS}: pinned maps are lost when the agent restarts`,
        'kec node prepare (adds the fstab line and mounts it)',
      ),
    );
  const cg2 = mounts.find((m) => m.fstype === 'cgroup2');
  if (cg2) out.push(check('cgroup.v2', 'base', 'pass', `cgroup v2 mounted at ${cg2.target}`));
  else if (/\tcgroup2$/m.test(filesystems))
    out.push(
      check(
        'cgroup.v2',
        'base',
        'warn',
        'cgroup v2 is available but not mounted; Cilium mounts its own at /run/cilium/cgroupv2',
        "nothing required; socket-LB works with Cilium's own mount",
      ),
    );
  else
    out.push(
      check(
        'cgroup.v2',
        'base',
        'fail',
        'cgroup v2 is not available (socket load-balancing needs it)',
        'use a kernel with cgroup v2 (CONFIG_CGROUPS, CONFIG_CGROUP_BPF)',
      ),
    );
  return out;
}

/** rp_filter on all/default: systemd >= 245 sets 2, which drops pod traffic (cilium#10645). */
export function rpFilterCheck(fs: FsRoot): Check {
  const all = fs.readText('/proc/sys/net/ipv4/conf/all/rp_filter')?.trim();
  const def = fs.readText('/proc/sys/net/ipv4/conf/default/rp_filter')?.trim();
  if (all === undefined && def === undefined)
    return check('sysctl.rp_filter', 'base', 'skip', `no /proc/sys under ${fs.root}`);
  const msg = `net.ipv4.conf.all.rp_filter=${all ?? '?'}, net.ipv4.conf.default.rp_filter=${def ?? '?'}`;
  if (all === '0' && def === '0') return check('sysctl.rp_filter', 'base', 'pass', msg);
  return check(
    'sysctl.rp_filter',
    'base',
    'warn',
    `${msg}: reverse-path filtering drops traffic on Cilium's interfaces (cilium#10645, systemd >= 245)`,
    'kec node prepare (writes /etc/sysctl.d/99-zzz-kec-cilium.conf)',
  );
}

function meminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of text.split('\n')) {
    const m = /^(\w+):\s+(\d+) kB/.exec(l);
    if (m) out[m[1]!] = Number(m[2]) * 1024;
  }
  return out;
}

export function resourceChecks(fs: FsRoot, agentBytes: number | undefined): Check[] {
  const out: Check[] = [];
  const mem = fs.readText('/proc/meminfo');
  const agent = agentBytes ?? AGENT_MEMORY.baseBytes;
  const agentNote = agentBytes === undefined ? 'Cilium agent baseline' : 'Cilium agent estimate from the plan';
  if (mem === undefined) out.push(check('resource.memory', 'base', 'skip', `no /proc/meminfo under ${fs.root}`));
  else {
    const m = meminfo(mem);
    const total = m['MemTotal'] ?? 0;
    const avail = m['MemAvailable'] ?? m['MemFree'] ?? 0;
    const msg = `memory total ${formatBytes(total)}, available ${formatBytes(avail)}; keadm needs >= ${formatBytes(KEADM_THRESHOLDS.memoryTotalBytes)} total, ${formatBytes(KEADM_THRESHOLDS.memoryFreeBytes)} free; ${agentNote} ${formatBytes(agent)}`;
    if (total < KEADM_THRESHOLDS.memoryTotalBytes || avail < KEADM_THRESHOLDS.memoryFreeBytes)
      out.push(check('resource.memory', 'base', 'fail', msg, 'free memory or use a larger board'));
    else if (avail < KEADM_THRESHOLDS.memoryFreeBytes + agent)
      out.push(
        check(
          'resource.memory',
          'base',
          'warn',
          `${msg}: not enough left for the agent`,
          'free memory, or shrink BPF maps (bpf.mapDynamicSizeRatio) in the plan',
        ),
      );
    else out.push(check('resource.memory', 'base', 'pass', msg));
  }
  const cpuinfo = fs.readText('/proc/cpuinfo');
  if (cpuinfo === undefined) out.push(check('resource.cpu', 'base', 'skip', `no /proc/cpuinfo under ${fs.root}`));
  else {
    const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length || 1;
    const load = Number((fs.readText('/proc/loadavg') ?? '0').split(' ')[0]);
    const usage = Math.round((load / cores) * 100);
    const msg = `${cores} CPU core${cores === 1 ? '' : 's'}, 1-minute load ${load} (~${usage}% busy); keadm needs >= ${KEADM_THRESHOLDS.cpuCores} core and < ${KEADM_THRESHOLDS.cpuUsagePercentMax}% usage`;
    if (cores < KEADM_THRESHOLDS.cpuCores)
      out.push(check('resource.cpu', 'base', 'fail', msg, 'use a board with more cores'));
    else if (usage >= KEADM_THRESHOLDS.cpuUsagePercentMax)
      out.push(check('resource.cpu', 'base', 'warn', msg, 'reduce the load before installing Cilium'));
    else out.push(check('resource.cpu', 'base', 'pass', msg));
  }
  try {
    const st = statfsSync(fs.root);
    const total = st.blocks * st.bsize;
    const free = st.bavail * st.bsize;
    const msg = `disk ${fs.root}: total ${formatBytes(total)}, free ${formatBytes(free)}; keadm needs >= ${formatBytes(KEADM_THRESHOLDS.diskTotalBytes)} total, ${formatBytes(KEADM_THRESHOLDS.diskFreeBytes)} free`;
    if (total < KEADM_THRESHOLDS.diskTotalBytes || free < KEADM_THRESHOLDS.diskFreeBytes)
      out.push(check('resource.disk', 'base', 'fail', msg, 'free disk space (images, logs)'));
    else out.push(check('resource.disk', 'base', 'pass', msg));
  } catch (e) {
    out.push(check('resource.disk', 'base', 'skip', `cannot statfs ${fs.root}: ${(e as Error).message}`));
  }
  return out;
}

/** Interface of the IPv4 (else IPv6) default route with the lowest metric. */
export function defaultRouteInterface(fs: FsRoot): string | undefined {
  const route = fs.readText('/proc/net/route');
  let best: { iface: string; metric: number } | undefined;
  for (const l of (route ?? '').split('\n').slice(1)) {
    const f = l.trim().split(/\s+/);
    if (f.length < 8 || f[1] !== '00000000' || f[7] !== '00000000') continue;
    const metric = Number(f[6]);
    if (!best || metric < best.metric) best = { iface: f[0]!, metric };
  }
  if (best) return best.iface;
  for (const l of (fs.readText('/proc/net/ipv6_route') ?? '').split('\n')) {
    const f = l.trim().split(/\s+/);
    if (f[0] === '0'.repeat(32) && f[1] === '00' && f[9] !== 'lo') return f[9];
  }
  return undefined;
}

export function mtuCheck(fs: FsRoot, planLinkMtu: number | undefined): Check {
  const iface = defaultRouteInterface(fs);
  if (!iface)
    return check(
      'mtu.link',
      'base',
      planLinkMtu === undefined ? 'skip' : 'warn',
      'no default route found; cannot compare the link MTU',
    );
  const mtu = Number(fs.readText(`/sys/class/net/${iface}/mtu`)?.trim());
  if (!Number.isFinite(mtu) || mtu <= 0) return check('mtu.link', 'base', 'skip', `cannot read the MTU of ${iface}`);
  if (planLinkMtu === undefined) return check('mtu.link', 'base', 'pass', `${iface} (default route) MTU ${mtu}`);
  if (mtu < planLinkMtu)
    return check(
      'mtu.link',
      'base',
      'fail',
      `${iface} (default route) MTU ${mtu} is below the plan's link MTU ${planLinkMtu}: pods would send packets the link drops`,
      `set the group's link MTU to ${mtu} in the spec and re-plan`,
    );
  if (mtu > planLinkMtu)
    return check(
      'mtu.link',
      'base',
      'warn',
      `${iface} (default route) MTU ${mtu} is above the plan's link MTU ${planLinkMtu} (pods use less than they could)`,
      `set the group's link MTU to ${mtu} in the spec`,
    );
  return check('mtu.link', 'base', 'pass', `${iface} (default route) MTU ${mtu} matches the plan`);
}

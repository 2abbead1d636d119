// kec node preflight: everything Cilium needs from this node, checked before the install.
// Reads only files (under --root) and runs bpftool; changes nothing (except the probe cache).
import { release as osRelease } from 'node:os';
import { CILIUM_LATEST_PATCH, CILIUM_MIN_KERNEL } from '../knowledge/cilium.ts';
import { KERNEL_FEATURE_NAMES } from '../knowledge/kernel.ts';
import type { KernelFeatureName } from '../knowledge/kernel.ts';
import { getIn } from './edgecore.ts';
import { EDGECORE } from '../knowledge/kubeedge.ts';
import { UsageError } from '../errors.ts';
import { minorOf, parseVersion } from '../util/version.ts';
import type { CheckSummary } from '../check.ts';
import { summarizeChecks } from '../check.ts';
import { FsRoot } from './fsroot.ts';
import type { KernelConfig } from './kconfig.ts';
import { candidatePaths, findKernelConfig, readKernelConfigFile } from './kconfig.ts';
import { kconfigChecks, kernelVersionChecks } from './kernel-checks.ts';
import { probeChecks, runProbes } from './bpftool.ts';
import { mountChecks, mtuCheck, resourceChecks, rpFilterCheck } from './host-checks.ts';
import { portChecks } from './ports.ts';
import { cniCheck } from './cni.ts';
import { edgecoreChecks } from './edgecore.ts';
import { readPlanGroup } from './plan-input.ts';
import type { Check } from '../check.ts';

export interface PreflightOptions {
  ciliumVersion?: string;
  features?: string[];
  root?: string;
  kernelConfig?: string;
  kernelRelease?: string;
  plan?: string;
  group?: string;
  /** Reuse this boot's bpftool result from /run/kec (default true). */
  probeCache?: boolean;
  euid?: number;
}

export interface PreflightReport {
  kernel: { release: string | null; configSource: string | null; configKind?: 'full' | 'defconfig' };
  cilium: { version: string };
  /** "kernel" when only a --kernel-config of another kernel was inspected. */
  scope: 'node' | 'kernel';
  features: string[];
  checks: Check[];
  summary: CheckSummary;
  ok: boolean;
}

export const DEFAULT_FEATURES: KernelFeatureName[] = ['base', 'tunnel-vxlan'];

export function latestCilium(): string {
  const minors = Object.keys(CILIUM_LATEST_PATCH).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return CILIUM_LATEST_PATCH[minors[minors.length - 1]!]!;
}

export function parseFeatures(list: string[]): KernelFeatureName[] {
  const names = list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !KERNEL_FEATURE_NAMES.includes(n as KernelFeatureName));
  if (bad.length)
    throw new UsageError(
      `--features: unknown feature ${bad.join(', ')}; expected a comma-separated list of ${KERNEL_FEATURE_NAMES.join(', ')}`,
    );
  return ['base', ...names.filter((n) => n !== 'base')] as KernelFeatureName[];
}

function checkCiliumVersion(v: string): string {
  const p = parseVersion(v);
  if (!p || CILIUM_MIN_KERNEL[minorOf(p)] === undefined) {
    throw new UsageError(
      `--cilium-version ${v}: expected a Cilium release kec knows (${Object.keys(CILIUM_MIN_KERNEL).join(', ')}), like ${latestCilium()}`,
    );
  }
  return v;
}

function releaseOf(fs: FsRoot, opts: PreflightOptions, cfg: KernelConfig | undefined): string | undefined {
  if (opts.kernelRelease) return opts.kernelRelease;
  if (cfg?.release) return cfg.release;
  // A defconfig has no release header; the running kernel's would be a guess.
  if (opts.kernelConfig !== undefined) return undefined;
  if (fs.isHost) return osRelease();
  const proc = fs.readText('/proc/sys/kernel/osrelease')?.trim();
  if (proc) return proc;
  const mods = fs.list('/usr/lib/modules') ?? fs.list('/lib/modules');
  return mods && mods.length === 1 ? mods[0] : undefined;
}

export async function preflight(opts: PreflightOptions = {}): Promise<PreflightReport> {
  const fs = new FsRoot(opts.root ?? '/');
  const planned = opts.plan !== undefined ? readPlanGroup(opts.plan, opts.group) : undefined;
  if (opts.plan === undefined && opts.group !== undefined) throw new UsageError('--group needs --plan DIR');
  const ciliumVersion = checkCiliumVersion(opts.ciliumVersion ?? planned?.ciliumVersion ?? latestCilium());
  const features = opts.features?.length
    ? parseFeatures(opts.features)
    : planned
      ? parseFeatures(planned.features)
      : DEFAULT_FEATURES;
  const explicitCfg = opts.kernelConfig !== undefined ? readKernelConfigFile(opts.kernelConfig) : undefined;
  const release = releaseOf(fs, opts, explicitCfg);
  const euid = opts.euid ?? process.geteuid?.() ?? 0;
  const skipReason = !fs.isHost
    ? '--root: runtime probes describe the running kernel, not the image'
    : opts.kernelRelease !== undefined && opts.kernelRelease !== osRelease()
      ? `--kernel-release ${opts.kernelRelease} is not the running kernel (${osRelease()})`
      : opts.kernelConfig !== undefined && explicitCfg?.release !== undefined && explicitCfg.release !== osRelease()
        ? `--kernel-config is for ${explicitCfg.release}, not the running kernel`
        : undefined;
  // bpftool runs while the file checks below are done.
  const probing = runProbes({ ...(skipReason ? { skipReason } : {}), useCache: opts.probeCache !== false, euid });
  const cfg = explicitCfg ?? (release !== undefined ? findKernelConfig(fs, release) : undefined);
  const searched = opts.kernelConfig !== undefined ? [opts.kernelConfig] : candidatePaths(release ?? '$(uname -r)');
  const checks: Check[] = [
    ...kernelVersionChecks(release, ciliumVersion, features),
    ...kconfigChecks(cfg, features, searched),
  ];
  // A --kernel-config of another kernel, without --root: only the kernel is inspected;
  // this machine's mounts, ports and files say nothing about the node it belongs to.
  const scope: 'node' | 'kernel' =
    opts.kernelConfig !== undefined && opts.root === undefined && release !== osRelease() ? 'kernel' : 'node';
  if (scope === 'node') {
    const dns = planned ? getIn(planned.edgecorePatch, EDGECORE.keys.clusterDNS) : undefined;
    checks.push(
      ...mountChecks(fs),
      rpFilterCheck(fs),
      ...resourceChecks(fs, planned?.memoryBytes),
      ...portChecks(fs, features),
      mtuCheck(fs, planned?.linkMtu),
      cniCheck(fs),
      ...edgecoreChecks(fs, Array.isArray(dns) ? { clusterDNS: dns.map(String) } : {}),
    );
  }
  const probed = await probing;
  if (scope === 'node') checks.push(...probeChecks(probed, features));
  const summary = summarizeChecks(checks);
  return {
    kernel: {
      release: release ?? null,
      configSource: cfg ? (fs.isHost || cfg === explicitCfg ? cfg.source : fs.path(cfg.source)) : null,
      ...(cfg ? { configKind: cfg.kind } : {}),
    },
    cilium: { version: ciliumVersion },
    scope,
    features,
    checks,
    summary,
    ok: summary.fail === 0,
  };
}

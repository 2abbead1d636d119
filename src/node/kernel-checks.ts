// Kernel release and build options against what the chosen Cilium minor and features need.
import { BOOL_OPTIONS, KERNEL_FEATURES, RHEL8_MIN_BUILD } from '../knowledge/kernel.ts';
import type { KernelFeatureName } from '../knowledge/kernel.ts';
import { CILIUM_MIN_KERNEL, FEATURE_MIN_KERNEL } from '../knowledge/cilium.ts';
import { atLeast, minorOf, parseKernelRelease, parseVersion } from '../util/version.ts';
import { check } from './checks.ts';
import type { KernelConfig } from './kconfig.ts';
import { optionState } from './kconfig.ts';
import type { Check } from '../check.ts';

/** Kernel floors of optional features; bigtcp is IPv6 (required) + IPv4 (6.3, warning only). */
const FEATURE_FLOORS: Partial<
  Record<KernelFeatureName, Array<{ key: keyof typeof FEATURE_MIN_KERNEL; required: boolean }>>
> = {
  wireguard: [{ key: 'wireguard', required: true }],
  'bandwidth-manager': [{ key: 'bandwidth-manager', required: true }],
  'host-routing': [{ key: 'host-routing', required: true }],
  netkit: [{ key: 'netkit', required: true }],
  bigtcp: [
    { key: 'bigtcp-ipv6', required: true },
    { key: 'bigtcp-ipv4', required: false },
  ],
};

export function kernelVersionChecks(
  release: string | undefined,
  ciliumVersion: string,
  features: readonly KernelFeatureName[],
): Check[] {
  const v = parseVersion(ciliumVersion);
  const minor = v ? minorOf(v) : ciliumVersion;
  const min = CILIUM_MIN_KERNEL[minor];
  if (release === undefined) {
    return [
      // An unknown release is not a pass: a defconfig of a 4.9 kernel must not read "ready".
      check(
        'kernel.version',
        'base',
        'fail',
        'kernel release unknown (a defconfig has no release header), so the kernel version cannot be checked',
        'pass --kernel-release (e.g. 5.15.0-1034-raspi) for the kernel this config builds',
      ),
    ];
  }
  const k = parseKernelRelease(release);
  if (!k)
    return [
      check(
        'kernel.version',
        'base',
        'fail',
        `cannot read kernel release "${release}"`,
        'pass --kernel-release like 5.15.0-1034-raspi',
      ),
    ];
  const out: Check[] = [];
  if (min !== undefined) {
    if (atLeast(k, min))
      out.push(check('kernel.version', 'base', 'pass', `KERNEL_VERSION: ${release} (Cilium ${minor} needs >= ${min})`));
    else if (k.major === 4 && k.minor === 18 && /\.el8/.test(release)) {
      // RHEL 8 is judged by its build number: 4.18.0-372 is RHEL 8.6, the first with the backports Cilium relies on.
      const build = Number(/^4\.18\.0-(\d+)/.exec(release)?.[1] ?? 0);
      out.push(
        build >= RHEL8_MIN_BUILD
          ? check(
              'kernel.version',
              'base',
              'pass',
              `KERNEL_VERSION: ${release} is RHEL 8.6 or later (4.18.0-${RHEL8_MIN_BUILD}+), whose eBPF backports Cilium supports in place of ${min}`,
            )
          : check(
              'kernel.version',
              'base',
              'fail',
              `KERNEL_VERSION: ${release} is RHEL 8 before 8.6 (build ${build} < ${RHEL8_MIN_BUILD}); Cilium ${minor} needs ${min} or RHEL 8.6+`,
              'update to RHEL 8.6 or later (kernel 4.18.0-372 or newer) or a newer kernel',
            ),
      );
    } else {
      out.push(
        check(
          'kernel.version',
          'base',
          'fail',
          `KERNEL_VERSION: ${release} is older than ${min}, the minimum of Cilium ${minor}`,
          `upgrade the kernel to >= ${min}, or use an older Cilium whose minimum the kernel meets`,
        ),
      );
    }
  }
  for (const f of features) {
    for (const floor of FEATURE_FLOORS[f] ?? []) {
      const need = FEATURE_MIN_KERNEL[floor.key];
      const id = `kernel.version.${floor.key}`;
      if (atLeast(k, need.kernel)) out.push(check(id, f, 'pass', `${need.title}: kernel ${release} >= ${need.kernel}`));
      else
        out.push(
          check(
            id,
            f,
            floor.required ? 'fail' : 'warn',
            `${need.title} needs kernel >= ${need.kernel}; this is ${release}`,
            `upgrade the kernel to >= ${need.kernel} or disable ${f}`,
          ),
        );
    }
  }
  return out;
}

function describe(state: string, value: string | undefined): string {
  switch (state) {
    case 'y':
      return 'enabled';
    case 'm':
      return 'enabled (as module)';
    case 'n':
      return 'not set';
    case 'value':
      return `set to ${value}`;
    default:
      return 'missing';
  }
}

/** One check per option (an option several features need is checked once, for the first). */
export function kconfigChecks(
  cfg: KernelConfig | undefined,
  features: readonly KernelFeatureName[],
  searched: readonly string[],
): Check[] {
  const seen = new Set<string>();
  const out: Check[] = [];
  if (!cfg) {
    out.push(
      check(
        'kconfig.source',
        'base',
        'warn',
        `no kernel config found (looked in ${searched.join(', ')}); kernel options cannot be checked`,
        'load it with `sudo modprobe configs` (gives /proc/config.gz; Raspberry Pi OS), install the kernel package that ships /boot/config-$(uname -r), or pass --kernel-config FILE',
      ),
    );
  }
  for (const f of features) {
    for (const opt of KERNEL_FEATURES[f].options) {
      if (seen.has(opt)) continue;
      seen.add(opt);
      const id = `kconfig.${opt}`;
      if (!cfg) {
        out.push(check(id, f, 'skip', `${opt}: not checked (no kernel config)`));
        continue;
      }
      const st = optionState(cfg, opt);
      const value = cfg.options.get(opt);
      if (st === 'm' && BOOL_OPTIONS.has(opt))
        out.push(
          check(
            id,
            f,
            'fail',
            `${opt}=m is impossible: ${opt} is a bool option (built in or not), so this config was edited by hand or is corrupt`,
            `use the kernel's own config (/proc/config.gz, /boot/config-$(uname -r)); the option must be ${opt}=y`,
          ),
        );
      else if (st === 'y' || st === 'm') out.push(check(id, f, 'pass', `${opt}: ${describe(st, value)}`));
      else if (st === 'absent' && cfg.kind === 'defconfig') {
        out.push(
          check(
            id,
            f,
            'warn',
            `${opt}: not listed in this defconfig, so the Kconfig default applies (usually off unless another option selects it)`,
            `check the built kernel (/proc/config.gz after \`modprobe configs\`) or add ${opt}=y (or =m) to the defconfig`,
          ),
        );
      } else {
        out.push(
          check(
            id,
            f,
            'fail',
            `${opt}: ${describe(st, value)} (needed for ${KERNEL_FEATURES[f].title})`,
            `rebuild or replace the kernel with ${opt}=y or =m`,
          ),
        );
      }
    }
  }
  return out;
}

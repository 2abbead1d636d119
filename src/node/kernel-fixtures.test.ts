// Verdicts for every kernel config in ../shared/fixtures/kernel-configs. Expected values
// are derived from the files themselves (grep CONFIG_X) and the upstream minimums in
// src/knowledge; see docs/node.md "Kernel config fixtures" for the reasoning.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preflight } from './preflight.ts';
import type { PreflightReport } from './preflight.ts';
import { KCONFIGS } from './node.testkit.ts';
import { kec } from '../cli/run.testkit.ts';
import { KERNEL_FEATURE_NAMES } from '../knowledge/kernel.ts';
import { tmpdir } from 'node:os';
import { collapseSkips } from './render.ts';
import type { Check } from '../check.ts';

const ALL = KERNEL_FEATURE_NAMES.filter((f) => f !== 'base');
const status = (r: PreflightReport, id: string): string | undefined => r.checks.find((c) => c.id === id)?.status;
const failing = (r: PreflightReport): string[] =>
  r.checks
    .filter((c) => c.status === 'fail')
    .map((c) => c.id)
    .sort();
const pf = (file: string, extra: Partial<Parameters<typeof preflight>[0]> = {}): Promise<PreflightReport> =>
  preflight({ kernelConfig: join(KCONFIGS, file), ...extra });

describe('kernel config fixtures', () => {
  it('covers every fixture file', () => {
    expect(readdirSync(KCONFIGS).sort()).toEqual([
      'khc-Ubuntu_20.04_LTS_Focal_x86_64.config',
      'khc-Ubuntu_22.04_LTS_Jammy_aarch64.config',
      'khc-Ubuntu_22.04_LTS_Jammy_x86_64.config',
      'khc-example_config.gz',
      'khc-rhel-8.0.config',
      'linuxkit-6.12.x-x86_64.config',
      'oe4t-linux-tegra-4.9_tegra_defconfig',
      'oe4t-linux-tegra-5.10_defconfig',
      'raspberrypi-bcm2711_defconfig',
      'raspberrypi-bcm2712_defconfig',
    ]);
  });

  it('Ubuntu 20.04 GA (5.4.0-26): fails kernel.version for Cilium 1.18, passes base; WireGuard missing', async () => {
    const r = await pf('khc-Ubuntu_20.04_LTS_Focal_x86_64.config', { ciliumVersion: '1.18.12' });
    expect(r.kernel).toMatchObject({ release: '5.4.0-26-generic', configKind: 'full' });
    expect(r.scope).toBe('kernel');
    expect(failing(r)).toEqual(['kernel.version']);
    expect(r.ok).toBe(false);
    const ok17 = await pf('khc-Ubuntu_20.04_LTS_Focal_x86_64.config', { ciliumVersion: '1.17.18' });
    expect(ok17.ok).toBe(true);
    expect(ok17.checks.find((c) => c.id === 'kconfig.CONFIG_NET_CLS_BPF')?.message).toBe(
      'CONFIG_NET_CLS_BPF: enabled (as module)',
    );
    const wg = await pf('khc-Ubuntu_20.04_LTS_Focal_x86_64.config', {
      ciliumVersion: '1.17.18',
      features: ['wireguard'],
    });
    expect(failing(wg)).toEqual(['kconfig.CONFIG_WIREGUARD', 'kernel.version.wireguard']);
  });

  it('Ubuntu 22.04 x86_64 and aarch64 (5.15.0-25): everything but netkit (6.8) and BIG TCP (5.19)', async () => {
    for (const f of ['khc-Ubuntu_22.04_LTS_Jammy_x86_64.config', 'khc-Ubuntu_22.04_LTS_Jammy_aarch64.config']) {
      const r = await pf(f, { ciliumVersion: '1.18.12', features: ALL });
      expect(r.kernel.release).toBe('5.15.0-25-generic');
      expect(failing(r)).toEqual(['kconfig.CONFIG_NETKIT', 'kernel.version.bigtcp-ipv6', 'kernel.version.netkit']);
      expect(status(r, 'kernel.version.bigtcp-ipv4')).toBe('warn');
      expect(status(r, 'kconfig.CONFIG_WIREGUARD')).toBe('pass');
    }
  });

  it('example_config.gz (5.10.166, gzip like /proc/config.gz): BPF_SYSCALL is not set', async () => {
    const r = await pf('khc-example_config.gz', { ciliumVersion: '1.18.12' });
    expect(r.kernel.release).toBe('5.10.166');
    expect(status(r, 'kernel.version')).toBe('pass');
    expect(failing(r)).toEqual([
      'kconfig.CONFIG_BPF_JIT',
      'kconfig.CONFIG_BPF_SYSCALL',
      'kconfig.CONFIG_CGROUP_BPF',
      'kconfig.CONFIG_CRYPTO_SHA1',
      'kconfig.CONFIG_CRYPTO_USER_API_HASH',
      'kconfig.CONFIG_NET_CLS_BPF',
      'kconfig.CONFIG_NET_SCH_INGRESS',
      'kconfig.CONFIG_VXLAN',
    ]);
    expect(r.checks.find((c) => c.id === 'kconfig.CONFIG_BPF_SYSCALL')?.message).toMatch(/not set/);
    expect(r.checks.find((c) => c.id === 'kconfig.CONFIG_CGROUP_BPF')?.message).toMatch(/missing/);
  });

  it('RHEL 8 is judged by build number: 4.18.0-147 (8.1) fails, 4.18.0-372 (8.6) and 553 (8.10) pass', async () => {
    const r = await pf('khc-rhel-8.0.config', { ciliumVersion: '1.17.18' });
    expect(status(r, 'kernel.version')).toBe('fail');
    expect(failing(r)).toEqual(['kernel.version']);
    for (const release of ['4.18.0-372.9.1.el8.x86_64', '4.18.0-553.el8_10.x86_64']) {
      const ok = await pf('khc-rhel-8.0.config', { ciliumVersion: '1.17.18', kernelRelease: release });
      expect(status(ok, 'kernel.version'), release).toBe('pass');
      expect(failing(ok)).toEqual([]);
    }
  });

  it('LinuxKit 6.12: SCHEDSTATS is not set; NETKIT not set although the kernel is new enough', async () => {
    const r = await pf('linuxkit-6.12.x-x86_64.config', { ciliumVersion: '1.20.0', features: ['netkit', 'wireguard'] });
    expect(failing(r)).toEqual(['kconfig.CONFIG_NETKIT', 'kconfig.CONFIG_SCHEDSTATS']);
    expect(status(r, 'kernel.version.netkit')).toBe('pass');
  });

  it('Jetson L4T 4.9 defconfig: below every supported Cilium; absent options are warnings, not failures', async () => {
    const r = await pf('oe4t-linux-tegra-4.9_tegra_defconfig', {
      kernelRelease: '4.9.140-tegra',
      ciliumVersion: '1.16.19',
    });
    expect(r.kernel.configKind).toBe('defconfig');
    expect(failing(r)).toEqual(['kernel.version']);
    expect(status(r, 'kconfig.CONFIG_BPF_SYSCALL')).toBe('warn');
    expect(status(r, 'kconfig.CONFIG_BPF_JIT')).toBe('pass');
  });

  it('Jetson 5.10 defconfig: kernel fine for 1.18; BPF_SYSCALL unknown (not listed)', async () => {
    const r = await pf('oe4t-linux-tegra-5.10_defconfig', {
      kernelRelease: '5.10.120-tegra',
      ciliumVersion: '1.18.12',
    });
    expect(failing(r)).toEqual([]);
    expect(status(r, 'kconfig.CONFIG_BPF_SYSCALL')).toBe('warn');
    expect(status(r, 'kconfig.CONFIG_VXLAN')).toBe('pass');
  });

  it('Raspberry Pi 4 defconfig: no release in a defconfig is not a pass, NET_CLS_BPF not listed (cilium#15567)', async () => {
    const r = await pf('raspberrypi-bcm2711_defconfig', { ciliumVersion: '1.18.12' });
    expect(status(r, 'kernel.version')).toBe('fail');
    expect(status(r, 'kconfig.CONFIG_NET_CLS_BPF')).toBe('warn');
    expect(status(r, 'kconfig.CONFIG_BPF_SYSCALL')).toBe('pass');
    expect(failing(r)).toEqual(['kernel.version']);
    expect(r.ok).toBe(false);
  });

  it('Raspberry Pi 5 defconfig: NET_CLS_BPF, NETKIT and WireGuard set; 6.6 kernel too old for netkit', async () => {
    const r = await pf('raspberrypi-bcm2712_defconfig', {
      kernelRelease: '6.6.31+rpt-rpi-v8',
      ciliumVersion: '1.20.0',
      features: ['netkit', 'wireguard'],
    });
    expect(status(r, 'kconfig.CONFIG_NET_CLS_BPF')).toBe('pass');
    expect(status(r, 'kconfig.CONFIG_NETKIT')).toBe('pass');
    expect(status(r, 'kconfig.CONFIG_WIREGUARD')).toBe('pass');
    expect(failing(r)).toEqual(['kernel.version.netkit']);
  });

  it('CLI: exit 1 with the failure in JSON; exit 2 for bad input', async () => {
    const res = await kec([
      'node',
      'preflight',
      '--kernel-config',
      join(KCONFIGS, 'khc-Ubuntu_20.04_LTS_Focal_x86_64.config'),
      '--cilium-version',
      '1.18.12',
      '--features',
      'wireguard',
      '-o',
      'json',
    ]);
    expect(res.code).toBe(1);
    const j = JSON.parse(res.out) as PreflightReport;
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['kernel', 'checks', 'summary', 'ok']));
    expect(j.checks.find((c) => c.id === 'kconfig.CONFIG_WIREGUARD')).toMatchObject({
      feature: 'wireguard',
      status: 'fail',
    });
    const human = await kec([
      'node',
      'preflight',
      '--kernel-config',
      join(KCONFIGS, 'khc-Ubuntu_20.04_LTS_Focal_x86_64.config'),
      '--cilium-version',
      '1.17.18',
    ]);
    expect(human.out).toContain('CONFIG_NET_CLS_BPF: enabled (as module)');
    expect(human.out).toMatch(/Summary: \d+ passed/);
    for (const bad of [
      ['--features', 'wiregaurd'],
      ['--cilium-version', '1.12.0'],
      ['--kernel-config', '/nonexistent/config'],
      ['--group', 'x'],
    ]) {
      const b = await kec(['node', 'preflight', ...bad]);
      expect(b.code, bad.join(' ')).toBe(2);
      expect(b.err).toMatch(/error: --(features|cilium-version|kernel-config|group)/);
      expect(b.err).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

describe('kernel config sanity and output', () => {
  it('refuses =m for a bool option (CONFIG_SCHEDSTATS=m cannot come from a kernel build)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kec-kconfig-'));
    const file = join(dir, 'config');
    const text = readFileSync(join(KCONFIGS, 'khc-Ubuntu_22.04_LTS_Jammy_x86_64.config'), 'utf8');
    writeFileSync(file, text.replace(/^CONFIG_SCHEDSTATS=y$/m, 'CONFIG_SCHEDSTATS=m'));
    const r = await preflight({ kernelConfig: file, ciliumVersion: '1.18.12' });
    const c = r.checks.find((x) => x.id === 'kconfig.CONFIG_SCHEDSTATS')!;
    expect(c.status).toBe('fail');
    expect(c.message).toContain('CONFIG_SCHEDSTATS=m is impossible');
  });

  it('prints skipped checks with the same reason once', () => {
    const skip = (opt: string): Check => ({
      id: `kconfig.${opt}`,
      feature: 'base',
      status: 'skip',
      message: `${opt}: not checked (no kernel config)`,
    });
    const out = collapseSkips([
      skip('CONFIG_BPF'),
      { id: 'x', feature: 'base', status: 'pass', message: 'ok' },
      skip('CONFIG_BPF_JIT'),
      skip('CONFIG_CGROUPS'),
    ]);
    expect(out.map((c) => c.message)).toEqual([
      'CONFIG_BPF, CONFIG_BPF_JIT, CONFIG_CGROUPS: not checked (no kernel config)',
      'ok',
    ]);
  });
});

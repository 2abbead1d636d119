// The standalone binaries (`make binaries`, scripts/sea/build.ts) against dist/kec.mjs: the
// amd64 binary with a PATH that has no `node` at all, the arm64 binary under qemu-aarch64-static
// (scripts/ci-deps.sh installs it). Each command's output must match the Node.js package's.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES, KEC_BIN, ROOT } from '../paths.ts';

const BIN = join(ROOT, 'dist', 'bin');
const AMD64 = join(BIN, 'kec-linux-amd64');
const ARM64 = join(BIN, 'kec-linux-arm64');
const EXAMPLE = join(EXAMPLES, 'edge-cluster.yaml');
const KCONFIGS = join(FIXTURES, 'kernel-configs');
const ARM64_KCONFIG = join(KCONFIGS, 'khc-Ubuntu_22.04_LTS_Jammy_aarch64.config');
const QEMU_SYSROOT = '/usr/aarch64-linux-gnu';
/** qemu-aarch64-static from the test's own PATH (the binaries' PATH leaves out /usr/bin when it has a node). */
const QEMU = (process.env['PATH'] ?? '')
  .split(':')
  .map((d) => join(d, 'qemu-aarch64-static'))
  .find((p) => existsSync(p));

for (const f of [AMD64, ARM64, KEC_BIN])
  if (!existsSync(f)) throw new Error(`missing ${relative(ROOT, f)}: run make binaries first`);

/** A PATH without any `node`: the system directories (for bpftool, ip, mount) that do not hold one. */
const NO_NODE_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']
  .filter((d) => existsSync(d) && !existsSync(join(d, 'node')))
  .join(':');
const BINARY_ENV = { PATH: NO_NODE_PATH, HOME: tmpdir(), LANG: 'C.UTF-8', NO_COLOR: '1' };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
const result = (r: ReturnType<typeof spawnSync>): Run => ({
  code: r.status,
  stdout: String(r.stdout),
  stderr: String(r.stderr),
});

/** The amd64 binary, in an environment where no `node` can be found. */
const bin = (args: string[]): Run =>
  result(spawnSync(AMD64, args, { env: BINARY_ENV, encoding: 'utf8', maxBuffer: 1 << 26 }));

/** The arm64 binary: natively on arm64, else under qemu with the Debian arm64 C library. */
function binArm64(args: string[]): Run {
  if (arch() === 'arm64') return result(spawnSync(ARM64, args, { env: BINARY_ENV, encoding: 'utf8' }));
  return result(
    spawnSync(QEMU ?? 'qemu-aarch64-static', ['-L', QEMU_SYSROOT, ARM64, ...args], {
      env: BINARY_ENV,
      encoding: 'utf8',
    }),
  );
}

/** The Node.js package, as `kec` runs after npm install. */
const mjs = (args: string[]): Run =>
  result(spawnSync(process.execPath, [KEC_BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' }));

const temps: string[] = [];
const temp = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), `kec-binary-${prefix}-`));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** Every file under dir (relative path → bytes as base64), skipping `skip` prefixes. */
function tree(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (skip.some((s) => rel.startsWith(s))) continue;
    const p = join(dir, rel);
    if (statSync(p).isFile()) out[rel] = readFileSync(p).toString('base64');
  }
  return out;
}

/** Transaction ids, times and the --root directory differ between two runs. */
const normalise = (s: string, root: string): string =>
  s
    .replaceAll(root, '<root>')
    .replace(/\d{8}T\d{9}Z-[0-9a-f]{6}/g, '<tx>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');

describe('kec-linux-amd64 without Node.js', () => {
  it('finds no node on its PATH', () => {
    expect(NO_NODE_PATH).not.toBe('');
    const which = spawnSync('sh', ['-c', 'command -v node'], { env: BINARY_ENV });
    expect(which.status).not.toBe(0);
  });

  it('says it is a standalone build, for amd64', () => {
    const r = bin(['version', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // e.g. no "Code cache data rejected"
    const v = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(v).toMatchObject({ standalone: true, os: 'linux', arch: 'amd64' });
    const fromNode = JSON.parse(mjs(['version', '-o', 'json']).stdout) as Record<string, unknown>;
    expect(fromNode['standalone']).toBe(false);
    expect({ ...v, standalone: false, node: fromNode['node'] }).toEqual(fromNode);
    expect(bin(['version']).stdout).toMatch(/^kec \S+ \(node \S+, standalone binary, linux\/amd64\)/);
  });

  it('has every command group, the lazily loaded ones included', () => {
    expect(bin(['--help'])).toEqual(mjs(['--help']));
    for (const group of ['plan', 'node', 'policy', 'flows', 'monitoring', 'install', 'status', 'sysdump'])
      expect(bin([group, '--help']), group).toEqual(mjs([group, '--help']));
    // a cluster command compiles the Kubernetes client (a SEA asset) and fails on the kubeconfig
    const missing = join(temp('kubeconfig'), 'none');
    const status = bin(['status', '--kubeconfig', missing, '-o', 'json']);
    expect(status).toEqual(mjs(['status', '--kubeconfig', missing, '-o', 'json']));
    expect(status.code).toBe(2);
  });

  it('refuses kec dashboard with a clear message: the web UI is not in the binary', () => {
    const r = bin(['dashboard', '--flows', join(FIXTURES, 'observe', 'flows-edge.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the dashboard is not part of the standalone binary; use the npm package');
  });

  it('plans the example byte for byte like dist/kec.mjs', () => {
    const [a, b] = [temp('plan-bin'), temp('plan-mjs')];
    const rb = bin(['plan', '-f', EXAMPLE, '-d', a]);
    const rm = mjs(['plan', '-f', EXAMPLE, '-d', b]);
    expect(rb.code).toBe(0);
    expect(normalise(rb.stdout, a)).toBe(normalise(rm.stdout, b));
    const files = tree(a);
    expect(Object.keys(files).length).toBeGreaterThan(5);
    expect(files).toEqual(tree(b));
  });

  it('runs preflight on this machine', () => {
    const args = ['node', 'preflight', '-o', 'json'];
    mjs(args); // the same probe cache state for both
    // Free memory and disk, load and busy % move between the two runs on a busy machine: the
    // resource.* checks are compared by id only (the summary's counts left out), the rest exactly.
    const steady = (x: Run): unknown => {
      const { summary: _counts, ...o } = JSON.parse(x.stdout) as { checks: Array<{ id: string }>; summary: unknown };
      const checks = o.checks.map((c) => (c.id.startsWith('resource.') ? { id: c.id } : c));
      return { code: x.code, stderr: x.stderr, report: { ...o, checks } };
    };
    const r = bin(args);
    expect(r.stderr).toBe('');
    expect(steady(r)).toEqual(steady(mjs(args)));
    expect((JSON.parse(r.stdout) as { checks: unknown[] }).checks.length).toBeGreaterThan(5);
  });

  it('checks every kernel config fixture like dist/kec.mjs', () => {
    const configs = readdirSync(KCONFIGS).filter((f) => !f.endsWith('.md'));
    expect(configs.length).toBeGreaterThan(5);
    for (const c of configs) {
      const args = ['node', 'preflight', '--kernel-config', join(KCONFIGS, c), '--kernel-release', '5.15.0-25-generic'];
      expect(bin([...args, '-o', 'json']), c).toEqual(mjs([...args, '-o', 'json']));
    }
  });

  it('prepares, configures and rolls back a node root like dist/kec.mjs', () => {
    const plan = temp('plan');
    expect(bin(['plan', '-f', EXAMPLE, '-d', plan]).code).toBe(0);
    const group = readdirSync(join(plan, 'edge'))[0]!;
    const roots = { bin: temp('root-bin'), mjs: temp('root-mjs') };
    const steps = (root: string): string[][] => [
      ['node', 'prepare', '--root', root, '-o', 'json'],
      ['node', 'configure', '--root', root, '--plan', plan, '--group', group, '--no-restart', '-o', 'json'],
      ['node', 'rollback', '--root', root, '--list', '-o', 'json'],
    ];
    for (const root of Object.values(roots)) cpSync(join(FIXTURES, 'node', 'root'), root, { recursive: true });
    const original = tree(roots.bin);
    const journal = ['var/lib/kec'];
    const [sb, sm] = [steps(roots.bin), steps(roots.mjs)];
    for (let i = 0; i < sb.length; i++) {
      const [rb, rm] = [bin(sb[i]!), mjs(sm[i]!)];
      expect(rb.code, sb[i]!.join(' ')).toBe(rm.code);
      expect(normalise(rb.stdout, roots.bin)).toBe(normalise(rm.stdout, roots.mjs));
      expect(tree(roots.bin, journal)).toEqual(tree(roots.mjs, journal));
    }
    expect(tree(roots.bin, journal)).not.toEqual(original);
    // undo everything: back to the fixture
    const rollback = bin(['node', 'rollback', '--root', roots.bin, '--to', firstTransaction(roots.bin)]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(tree(roots.bin, journal)).toEqual(original);
  });
});

function firstTransaction(root: string): string {
  const list = JSON.parse(bin(['node', 'rollback', '--root', root, '--list', '-o', 'json']).stdout) as unknown;
  const ids = JSON.stringify(list).match(/\d{8}T\d{9}Z-[0-9a-f]{6}/g) ?? [];
  expect(ids.length).toBeGreaterThan(0);
  return [...ids].sort()[0]!;
}

describe('kec-linux-arm64 under qemu', () => {
  it('has qemu-aarch64-static and the arm64 C library (scripts/ci-deps.sh)', () => {
    if (arch() === 'arm64') return;
    expect(QEMU, 'qemu-aarch64-static on PATH').toBeDefined();
    expect(() => execFileSync(QEMU!, ['--version'])).not.toThrow();
    expect(existsSync(join(QEMU_SYSROOT, 'lib', 'ld-linux-aarch64.so.1'))).toBe(true);
  });

  it('says it is a standalone build for arm64, otherwise like amd64', () => {
    const r = binArm64(['version', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // the code cache, made under qemu by the arm64 Node, is accepted
    const v = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(v).toMatchObject({ standalone: true, arch: 'arm64' });
    expect({ ...v, arch: 'amd64' }).toEqual(JSON.parse(bin(['version', '-o', 'json']).stdout));
  });

  it('checks an arm64 kernel config like amd64', () => {
    const args = ['node', 'preflight', '--kernel-config', ARM64_KCONFIG, '--kernel-release', '5.15.0-25-generic'];
    const r = binArm64([...args, '-o', 'json']);
    expect(r.stdout).toContain('"checks"');
    expect(r).toEqual(bin([...args, '-o', 'json']));
  });

  it('plans the example byte for byte like amd64', () => {
    const [a, b] = [temp('plan-arm64'), temp('plan-amd64')];
    const ra = binArm64(['plan', '-f', EXAMPLE, '-d', a]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(normalise(ra.stdout, a)).toBe(normalise(bin(['plan', '-f', EXAMPLE, '-d', b]).stdout, b));
    expect(tree(a)).toEqual(tree(b));
  });
});

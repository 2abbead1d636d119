// prepare / configure / rollback against a --root tree (test/fixtures/node/root).
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, snapshot } from './node.testkit.ts';
import { kec } from '../cli/run.testkit.ts';
import { EXAMPLES } from '../../test/paths.ts';
import type { PreflightReport } from './preflight.ts';
import type { ChangeReport } from './changes.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const EC = 'etc/kubeedge/config/edgecore.yaml';

async function makePlan(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kec-plan-'));
  const r = await kec(['plan', '-f', join(EXAMPLES, 'edge-cluster.yaml'), '-d', dir]);
  expect(r.code, r.err).toBe(0);
  return dir;
}

describe('kec node prepare/configure/rollback under --root', () => {
  it('preflight of the sandbox finds the problems prepare and configure fix', async () => {
    const root = sandbox();
    const status = (r: PreflightReport, id: string): string | undefined => r.checks.find((c) => c.id === id)?.status;
    const before = JSON.parse((await kec(['node', 'preflight', '--root', root, '-o', 'json'])).out) as PreflightReport;
    expect(before.kernel.release).toBe('6.6.31+rpt-rpi-v8');
    expect(before.kernel.configKind).toBe('defconfig');
    expect(status(before, 'cni.conflicts')).toBe('fail');
    expect(status(before, 'edgecore.metaServer')).toBe('fail');
    expect(status(before, 'edgecore.clusterDNS')).toBe('warn');
    expect(status(before, 'sysctl.rp_filter')).toBe('warn');
    expect(status(before, 'mount.bpffs')).toBe('warn');
    expect(status(before, 'cgroup.v2')).toBe('pass');
    expect(status(before, 'port.4240')).toBe('fail');
    expect(status(before, 'port.8472')).toBe('fail');
    expect(status(before, 'port.9962')).toBe('pass');
    expect(status(before, 'resource.memory')).toBe('pass');
    expect(before.checks.filter((c) => c.id.startsWith('probe.')).every((c) => c.status === 'skip')).toBe(true);

    const plan = await makePlan();
    expect((await kec(['node', 'prepare', '--root', root])).code).toBe(0);
    expect((await kec(['node', 'configure', '--root', root, '--plan', plan, '--group', 'retail'])).code).toBe(0);
    const after = JSON.parse(
      (await kec(['node', 'preflight', '--root', root, '--plan', plan, '--group', 'retail', '-o', 'json'])).out,
    ) as PreflightReport;
    expect(status(after, 'cni.conflicts')).toBe('pass');
    expect(status(after, 'edgecore.metaServer')).toBe('pass');
    expect(status(after, 'edgecore.edgeStream')).toBe('pass');
    expect(status(after, 'edgecore.clusterDNS')).toBe('pass');
    // plan's retail link MTU is 1420, the sandbox eth0 has 1500
    expect(status(after, 'mtu.link')).toBe('warn');
    expect(after.features).toContain('wireguard');
  });

  it('is idempotent, shows diffs in --dry-run, and rolls back byte-identically', async () => {
    const root = sandbox();
    chmodSync(join(root, 'etc/fstab'), 0o600);
    const original = snapshot(root);
    const plan = await makePlan();

    const dry = await kec(['node', 'prepare', '--root', root, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('+bpffs /sys/fs/bpf bpf defaults 0 0');
    expect(dry.out).toContain('would rename /etc/cni/net.d/10-flannel.conflist');
    const dryCfg = await kec(['node', 'configure', '--root', root, '--plan', plan, '--group', 'retail', '--dry-run']);
    expect(dryCfg.out).toMatch(/-\s+enable: false\n.*\+\s+enable: true/);
    expect(snapshot(root)).toEqual(original);
    expect(existsSync(join(root, 'var/lib/kec'))).toBe(false);

    const p1 = JSON.parse((await kec(['node', 'prepare', '--root', root, '-o', 'json'])).out) as ChangeReport;
    expect(p1.changed).toBe(true);
    expect(p1.transaction).toMatch(/^\d{8}T\d+Z-[0-9a-f]{6}$/);
    expect(existsSync(join(root, 'etc/cni/net.d/10-flannel.conflist.kec-bak'))).toBe(true);
    expect(readFileSync(join(root, 'etc/fstab'), 'utf8')).toMatch(/\nbpffs \/sys\/fs\/bpf bpf defaults 0 0\n$/);
    const p2 = await kec(['node', 'prepare', '--root', root]);
    expect(p2.out).toMatch(/nothing to change/);

    const c1 = JSON.parse(
      (await kec(['node', 'configure', '--root', root, '--plan', plan, '--group', 'retail', '-o', 'json'])).out,
    ) as ChangeReport;
    expect(c1.changed).toBe(true);
    expect(c1.actions.find((a) => a.kind === 'restart')?.status).toBe('skipped');
    const merged = readFileSync(join(root, EC), 'utf8');
    expect(merged).toContain('    server: 192.0.2.10:10000   # cloudcore (inert documentation address)');
    expect(merged).toContain('    enable: true   # logs/exec');
    expect(merged).toContain('      # clusterDNS is not set: pods would use the host resolver');
    const c2 = JSON.parse(
      (await kec(['node', 'configure', '--root', root, '--plan', plan, '--group', 'retail', '-o', 'json'])).out,
    ) as ChangeReport;
    expect(c2).toMatchObject({ changed: false, transaction: null, actions: [] });

    const list = JSON.parse((await kec(['node', 'rollback', '--root', root, '--list', '-o', 'json'])).out) as {
      transactions: Array<{ id: string; status: string }>;
    };
    expect(list.transactions.map((t) => t.status)).toEqual(['committed', 'committed']);
    const rb = await kec(['node', 'rollback', '--root', root, '--to', list.transactions[0]!.id]);
    expect(rb.code, rb.err).toBe(0);
    const restored = snapshot(root);
    restored.delete('etc/sysctl.d'); // empty directory is not in the snapshot anyway
    expect(restored).toEqual(original);
    expect((await kec(['node', 'rollback', '--root', root])).out).toMatch(/nothing to roll back/);
  });

  it('hints the exact undo (with --root), says "would" in a rollback dry run, warns when clusterDNS is replaced', async () => {
    const root = sandbox();
    const ec = join(root, EC);
    writeFileSync(
      ec,
      readFileSync(ec, 'utf8').replace(
        /^(\s*)tailoredKubeletConfig:\n/m,
        '$1tailoredKubeletConfig:\n$1  clusterDNS: [169.254.96.16]\n',
      ),
    );
    const plan = await makePlan();
    const conf = await kec(['node', 'configure', '--root', root, '--plan', plan, '--group', 'retail']);
    expect(conf.code, conf.err).toBe(0);
    expect(conf.out).toContain('warning: replaces clusterDNS ["169.254.96.16"]');
    expect(conf.out).toContain("169.254.96.16 is EdgeMesh's DNS");
    const undo = /undo with: (kec node rollback .*)\)/.exec(conf.out)![1]!;
    expect(undo).toContain(`--root ${root}`);
    const dry = await kec([...undo.split(' ').slice(1), '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain(`would be restored /etc/kubeedge/config/edgecore.yaml`);
    expect(readFileSync(ec, 'utf8')).not.toContain('169.254.96.16');
    const real = await kec(undo.split(' ').slice(1));
    expect(real.code, real.err).toBe(0);
    expect(real.out).toMatch(/restored \/etc\/kubeedge\/config\/edgecore\.yaml/);
    expect(readFileSync(ec, 'utf8')).toContain('169.254.96.16');
  });

  it('refuses a rollback over files changed since, unless --force', async () => {
    const root = sandbox();
    await kec(['node', 'prepare', '--root', root]);
    writeFileSync(join(root, 'etc/fstab'), 'edited by hand\n');
    const r = await kec(['node', 'rollback', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\/etc\/fstab changed since kec wrote it/);
    expect((await kec(['node', 'rollback', '--root', root, '--force'])).code).toBe(0);
    expect(readFileSync(join(root, 'etc/fstab'), 'utf8')).toMatch(/^# \/etc\/fstab/);
  });

  it('refuses edgecore.yaml that does not parse, an unknown apiVersion, bad flags (exit 2)', async () => {
    const patch = join(sandbox(), 'patch.yaml');
    writeFileSync(patch, 'modules:\n  edgeStream:\n    enable: true\n');
    const cases: Array<[string, RegExp]> = [
      ['modules: [unclosed\n', /does not parse as YAML/],
      [
        'apiVersion: edgecore.config.kubeedge.io/v1alpha1\nkind: EdgeCore\n',
        /apiVersion "edgecore.config.kubeedge.io\/v1alpha1" is not supported/,
      ],
      ['apiVersion: edgecore.config.kubeedge.io/v1alpha2\nkind: CloudCore\n', /kind "CloudCore"/],
    ];
    for (const [text, msg] of cases) {
      const root = sandbox();
      writeFileSync(join(root, EC), text);
      const r = await kec(['node', 'configure', '--root', root, '--patch', patch]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
      expect(readFileSync(join(root, EC), 'utf8')).toBe(text);
    }
    const root = sandbox();
    expect((await kec(['node', 'configure', '--root', root])).err).toMatch(
      /exactly one of --patch FILE or --plan DIR --group G/,
    );
    expect((await kec(['node', 'configure', '--root', root, '--patch', '/nonexistent.yaml'])).err).toMatch(
      /--patch \/nonexistent.yaml: no such file/,
    );
    expect((await kec(['node', 'rollback', '--root', root, '--to', 'nope'])).code).toBe(2);
  });
});

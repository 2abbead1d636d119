// Preflight of this machine: as root its probe verdicts must equal bpftool's own; as a
// normal user (setpriv to nobody) the probes are skipped with a reason and the rest runs.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { preflight } from './preflight.ts';
import type { PreflightReport } from './preflight.ts';
import { findBpftool, parseBpftoolJson } from './bpftool.ts';
import { KEC_BIN } from '../../test/paths.ts';

const isRoot = process.geteuid?.() === 0;
const bpftool = findBpftool();
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));

describe('kec node preflight on this machine', () => {
  it.skipIf(!isRoot || !bpftool)(
    'as root: probe.prog.* / probe.map.* agree with bpftool -j feature probe',
    async () => {
      const r = await preflight({ probeCache: false });
      const truth = parseBpftoolJson(execFileSync(bpftool!, ['-j', 'feature', 'probe'], { encoding: 'utf8' }));
      const probes = r.checks.filter((c) => c.id.startsWith('probe.'));
      expect(probes.length).toBeGreaterThanOrEqual(10);
      for (const c of probes) {
        const [, kind, type] = c.id.split('.') as [string, 'prog' | 'map', string];
        const have = (kind === 'prog' ? truth.progTypes : truth.mapTypes)[type];
        expect(have, c.id).toBeDefined();
        expect(c.status === 'pass', `${c.id}: ${c.message}`).toBe(have);
      }
      expect(r.kernel.configSource).toBe('/proc/config.gz');
      expect(r.checks.find((c) => c.id === 'kconfig.CONFIG_BPF_SYSCALL')?.status).toBe('pass');
      // the cached run gives the same verdicts
      const again = await preflight({});
      expect(again.checks.filter((c) => c.id.startsWith('probe.')).map((c) => [c.id, c.status])).toEqual(
        probes.map((c) => [c.id, c.status]),
      );
    },
  );

  it.skipIf(!existsSync(KEC_BIN) || !setpriv || !isRoot)(
    'as a normal user: JSON output, probes skipped with the reason',
    () => {
      const res = spawnSync(
        setpriv!,
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          KEC_BIN,
          'node',
          'preflight',
          '-o',
          'json',
        ],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      expect([0, 1]).toContain(res.status);
      const r = JSON.parse(res.stdout) as PreflightReport;
      const probes = r.checks.filter((c) => c.id.startsWith('probe.'));
      expect(probes.length).toBeGreaterThan(0);
      for (const c of probes) {
        expect(c.status).toBe('skip');
        expect(c.message).toMatch(/needs root/);
      }
      expect(r.checks.find((c) => c.id === 'kernel.version')?.status).toBe('pass');
      expect(r.summary.skip).toBeGreaterThanOrEqual(probes.length);
      expect(res.stderr).toBe('');
    },
  );

  it.skipIf(!existsSync(KEC_BIN) || !setpriv || !isRoot)(
    'as a normal user: prepare/configure/rollback of the real node refuse (exit 2)',
    () => {
      for (const args of [['prepare'], ['configure', '--patch', '/dev/null'], ['rollback']]) {
        const res = spawnSync(
          setpriv!,
          ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, KEC_BIN, 'node', ...args],
          { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
        );
        expect(res.status, args.join(' ')).toBe(2);
        expect(res.stderr).toMatch(/must run as root/);
      }
    },
  );

  it('a port Cilium needs that is already taken fails port.<n>', async () => {
    const srv = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(9965, '127.0.0.1', () => resolve((srv.address() as AddressInfo).port));
    }).catch(() => undefined);
    try {
      const r = await preflight({ probeCache: true });
      if (port === undefined) {
        // someone else holds 9965: preflight must say so too
        expect(r.checks.find((c) => c.id === 'port.9965')?.status).toBe('fail');
      } else {
        expect(r.checks.find((c) => c.id === 'port.9965')).toMatchObject({
          status: 'fail',
          message: expect.stringMatching(/already in use/),
        });
      }
    } finally {
      srv.close();
    }
  });
});

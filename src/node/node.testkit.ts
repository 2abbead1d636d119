// Helpers shared by the kec node tests: the fixture node tree and snapshots of it. (kec itself,
// in process, is src/cli/run.testkit.ts.)
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT, FIXTURES } from '../../test/paths.ts';

export const NODE_FIXTURE = join(ROOT, 'test', 'fixtures', 'node', 'root');
export const KCONFIGS = join(FIXTURES, 'kernel-configs');
export const SANDBOX_RELEASE = '6.6.31+rpt-rpi-v8';

/** A fresh copy of the fixture node tree, with the Pi 5 defconfig as its /boot/config. */
export function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kec-node-'));
  cpSync(NODE_FIXTURE, dir, { recursive: true });
  mkdirSync(join(dir, 'boot'), { recursive: true });
  cpSync(join(KCONFIGS, 'raspberrypi-bcm2712_defconfig'), join(dir, 'boot', `config-${SANDBOX_RELEASE}`));
  return dir;
}

/** path -> bytes (base64) + mode of every file under dir, except the journal. */
export function snapshot(dir: string, skip = /^var\/lib\/kec\//): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const rel = relative(dir, p);
      if (skip.test(`${rel}/`) || skip.test(rel)) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.set(rel, `${(st.mode & 0o7777).toString(8)}:${readFileSync(p).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}

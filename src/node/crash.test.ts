// Crash safety: real `kec node prepare|configure` processes are SIGKILLed at random
// points (self-kill at a random step, or an external kill after a random delay while
// each step sleeps). After every kill each file must hold its old or its new content
// (never partial), and rollback must restore the originals byte for byte.
// KEC_CRASH_RUNS=1000 runs the long version (default 50).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { KEC_BIN } from '../../test/paths.ts';
import { sandbox, snapshot } from './node.testkit.ts';
import { FsRoot } from './fsroot.ts';
import { rollback } from './rollback.ts';

const RUNS = Number(process.env['KEC_CRASH_RUNS'] ?? 50);
const PATCH = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'node', 'edgecore-patch.yaml');

// A private copy of the bundle: other work in this tree may rebuild dist/ meanwhile.
let bin = KEC_BIN;
function runKilled(args: string[], env: Record<string, string>, killAfterMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(`kec ${args.join(' ')} exited ${code}: ${err}`);
    });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

function tempFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name));
      else if (n.name.includes('.kec-tmp-')) out.push(join(d, n.name));
    }
  };
  walk(dir);
  return out;
}

describe.skipIf(!existsSync(KEC_BIN))('crash safety (SIGKILL at random points)', () => {
  it(`${RUNS} killed runs of prepare and configure: old or new, never partial; rollback restores`, async () => {
    const stats = { selfKill: 0, timerKill: 0, completed: 0 };
    const copy = mkdtempSync(join(tmpdir(), 'kec-bin-'));
    cpSync(dirname(KEC_BIN), copy, { recursive: true });
    bin = join(copy, basename(KEC_BIN));
    const batch = 4;
    for (let i = 0; i < RUNS; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, RUNS - i) }, async (_, k) => {
          const n = i + k;
          const root = sandbox();
          const original = snapshot(root);
          const cmd =
            n % 2 === 0 ? ['node', 'prepare', '--root', root] : ['node', 'configure', '--root', root, '--patch', PATCH];
          // the "new" state: the same command run to completion on a twin tree
          const twin = sandbox();
          expect(
            await runKilled(
              cmd.map((a) => (a === root ? twin : a)),
              {},
            ),
          ).toBe(0);
          const done = snapshot(twin);
          rmSync(twin, { recursive: true, force: true });

          let code: number | null;
          if (n % 4 < 2) {
            code = await runKilled(cmd, { KEC_TEST_CRASH_AT: String(1 + Math.floor(Math.random() * 26)) });
            if (code === null) stats.selfKill++;
          } else {
            code = await runKilled(cmd, { KEC_TEST_STEP_DELAY_MS: '3' }, 30 + Math.random() * 90);
            if (code === null) stats.timerKill++;
          }
          if (code === 0) stats.completed++;
          const now = snapshot(root);
          for (const [path, bytes] of now) {
            if (path.includes('.kec-tmp-')) continue;
            const renamedFrom = path.replace(/\.kec-bak$/, '');
            const ok =
              bytes === original.get(path) ||
              bytes === done.get(path) ||
              (path.endsWith('.kec-bak') && bytes === original.get(renamedFrom));
            expect(ok, `run ${n}: ${path} is neither old nor new`).toBe(true);
          }
          for (const path of original.keys()) {
            expect(now.has(path) || now.has(`${path}.kec-bak`), `run ${n}: ${path} vanished`).toBe(true);
          }
          rollback(new FsRoot(root), join(root, 'var/lib/kec/backups'));
          const restored = snapshot(root);
          expect(
            tempFiles(root).filter((p) => !p.includes('/var/lib/kec/')),
            `run ${n}: temp files left`,
          ).toEqual([]);
          expect(new Map([...restored].filter(([p]) => !p.includes('.kec-tmp-')))).toEqual(original);
          // manifests are never partial either
          const journal = join(root, 'var/lib/kec/backups');
          for (const id of existsSync(journal) ? readdirSync(journal) : []) {
            const m = join(journal, id, 'manifest.json');
            if (existsSync(m)) expect(() => JSON.parse(readFileSync(m, 'utf8'))).not.toThrow();
          }
          rmSync(root, { recursive: true, force: true });
        }),
      );
    }
    rmSync(copy, { recursive: true, force: true });
    expect(stats.selfKill + stats.timerKill).toBeGreaterThan(RUNS / 4);
    if (process.env['KEC_CRASH_STATS']) console.log(JSON.stringify({ runs: RUNS, ...stats }));
  }, 600_000);
});

// kec plan's directory writes under hostile conditions: unwritable, read-only, virtual file
// systems, dangling symlinks, a full disk. Always a clear error, and the directory holds the
// old plan or the new one, never a mix. The full disk is a real 200 KiB tmpfs (needs root).
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { writeGeneratedDir } from './write-dir.ts';

const MANIFEST = 'plan.json';
const plan = (tag: string, extra: Record<string, string> = {}): Map<string, string> => {
  const files = new Map<string, string>([
    ['a.yaml', `a ${tag}\n`],
    ['edge/g/b.yaml', `b ${tag}\n`],
    ...Object.entries(extra),
  ]);
  const names = [...files.keys(), MANIFEST].sort();
  files.set(MANIFEST, JSON.stringify({ tag, files: names }));
  return files;
};
const tmp = (): string => mkdtempSync(join(tmpdir(), 'kec-writedir-'));
const isRoot = process.geteuid?.() === 0;

describe('writeGeneratedDir', () => {
  it('replaces an old plan as a whole and keeps the scratch directory', async () => {
    const dir = join(tmp(), 'plan');
    await writeGeneratedDir(dir, plan('old', { 'gone.yaml': 'x\n' }), MANIFEST, { scratch: 'work' });
    mkdirSync(join(dir, 'work'));
    writeFileSync(join(dir, 'work', 'cilium-ds.json'), '{}');
    await writeGeneratedDir(dir, plan('new'), MANIFEST, { scratch: 'work' });
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('a new\n');
    expect(existsSync(join(dir, 'gone.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'work', 'cilium-ds.json'), 'utf8')).toBe('{}');
    expect(readdirSync(join(dir, '..'))).toEqual(['plan']); // no temporary sibling left
  });

  it('names what is wrong with the target: /proc, a dangling symlink, a file, an unwritable parent', async () => {
    const d = tmp();
    await expect(writeGeneratedDir('/proc/kec-plan', plan('x'), MANIFEST)).rejects.toThrow(
      /under \/proc, a virtual file system/,
    );
    symlinkSync(join(d, 'missing'), join(d, 'link'));
    await expect(writeGeneratedDir(join(d, 'link'), plan('x'), MANIFEST)).rejects.toThrow(
      /symbolic link to a missing target/,
    );
    writeFileSync(join(d, 'file'), 'x');
    await expect(writeGeneratedDir(join(d, 'file'), plan('x'), MANIFEST)).rejects.toThrow(InputError);
    if (isRoot) {
      // root ignores permissions; a read-only bind mount is the real thing.
      const ro = join(d, 'ro');
      mkdirSync(ro);
      execFileSync('mount', ['--bind', ro, ro]);
      try {
        execFileSync('mount', ['-o', 'remount,bind,ro', ro]);
        await expect(writeGeneratedDir(join(ro, 'plan'), plan('x'), MANIFEST)).rejects.toThrow(
          /read-only file system; nothing was changed/,
        );
      } finally {
        execFileSync('umount', [ro]);
      }
    } else {
      const locked = join(d, 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      await expect(writeGeneratedDir(join(locked, 'plan'), plan('x'), MANIFEST)).rejects.toThrow(/permission denied/);
    }
  });

  describe.runIf(isRoot)('on a full disk (200 KiB tmpfs)', () => {
    const mnt = tmp();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'kec-test', mnt]);
    afterAll(() => execFileSync('umount', [mnt]));

    it('keeps the old plan whole and says the disk is full', async () => {
      const dir = join(mnt, 'plan');
      await writeGeneratedDir(dir, plan('old'), MANIFEST);
      const big = plan('new', { 'huge.yaml': 'x'.repeat(400 << 10) });
      await expect(writeGeneratedDir(dir, big, MANIFEST)).rejects.toThrow(
        /no space left on the device; nothing was changed/,
      );
      expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('a old\n');
      expect(readFileSync(join(dir, 'edge/g/b.yaml'), 'utf8')).toBe('b old\n');
      expect(readdirSync(mnt)).toEqual(['plan']);
    });
  });
});

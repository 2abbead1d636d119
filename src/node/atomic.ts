// Atomic file replacement: write a temp file in the same directory, fsync it, rename it
// over the target, fsync the directory. A reader (or a crash) sees the old or the new
// content, never a mix.
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  chownSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { step } from './step-hook.ts';

const TMP_MARK = '.kec-tmp-';

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface WriteOptions {
  mode?: number;
  uid?: number;
  gid?: number;
}

export function atomicWriteFile(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  let mode = opts.mode;
  let owner: { uid: number; gid: number } | undefined =
    opts.uid !== undefined && opts.gid !== undefined ? { uid: opts.uid, gid: opts.gid } : undefined;
  if (mode === undefined) {
    try {
      const st = statSync(path);
      mode = st.mode & 0o7777;
      owner ??= { uid: st.uid, gid: st.gid };
    } catch {
      mode = 0o644;
    }
  }
  const tmp = join(dir, `.${basename(path)}${TMP_MARK}${process.pid}`);
  const fd = openSync(tmp, 'w', mode);
  try {
    fchmodSync(fd, mode);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    step();
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  if (owner && process.geteuid?.() === 0) chownSync(tmp, owner.uid, owner.gid);
  step();
  renameSync(tmp, path);
  step();
  fsyncDir(dir);
}

/** rename(2) is atomic; make it durable too. */
export function atomicRename(from: string, to: string): void {
  renameSync(from, to);
  step();
  fsyncDir(dirname(to));
  if (dirname(from) !== dirname(to)) fsyncDir(dirname(from));
}

/** Removes temp files a killed earlier run left beside `path`. */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}${TMP_MARK}`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith(prefix)) rmSync(join(dir, n), { force: true });
}

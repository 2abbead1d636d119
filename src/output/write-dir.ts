// Writes a set of generated files into a directory without losing anybody's data:
// a directory that holds files kec did not generate is refused; files a previous run
// generated (listed in its manifest) and no longer produced are removed.
import { createHash } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.ts';

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out;
}

async function previousManifest(
  dir: string,
  manifest: string,
): Promise<{ files: string[]; hashes: Record<string, string> } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, manifest), 'utf8')) as { files?: unknown; fileHashes?: unknown };
    if (!Array.isArray(parsed.files)) return undefined;
    const hashes =
      parsed.fileHashes && typeof parsed.fileHashes === 'object' ? (parsed.fileHashes as Record<string, string>) : {};
    return { files: parsed.files.filter((f): f is string => typeof f === 'string'), hashes };
  } catch {
    return undefined;
  }
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/**
 * @param manifest name of the file (one of `files`) that lists every generated file as `files: [...]`.
 * @returns paths written, relative to dir.
 */
export async function writeGeneratedDir(
  dir: string,
  files: Map<string, string>,
  manifest: string,
  opts: {
    force?: boolean;
    /** A subdirectory that belongs to the user (e.g. the runbook's work files): never read, written or removed. */ scratch?: string;
  } = {},
): Promise<string[]> {
  const root = await outputRoot(dir);
  let existing: string[] = [];
  const isScratch = (f: string): boolean =>
    opts.scratch !== undefined && (f === opts.scratch || f.startsWith(`${opts.scratch}/`));
  for (const name of files.keys())
    if (isScratch(name)) throw new InputError(`refusing to write ${name}: ${opts.scratch}/ belongs to the user`);
  try {
    existing = (await listFiles(root)).filter((f) => !isScratch(f));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new InputError(`output ${dir} exists and is not a directory`);
    if (code !== 'ENOENT') throw new InputError(`cannot read output directory ${dir}: ${(e as Error).message}`);
  }
  if (existing.length > 0) {
    const listed = await previousManifest(root, manifest);
    // A manifest is data from disk: only plain relative paths inside the directory count.
    const previous = listed?.files.filter(
      (f) => !isAbsolute(f) && !f.split(/[\\/]/).includes('..') && resolve(root, f).startsWith(root + sep),
    );
    if (!previous || !listed) {
      throw new InputError(
        `output directory ${dir} is not empty and was not written by kec (no ${manifest}); choose an empty or new directory`,
      );
    }
    const foreign = existing.filter((f) => !previous.includes(f) && !files.has(f));
    if (foreign.length > 0) {
      throw new InputError(
        `output directory ${dir} holds files kec did not write: ${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}; move them or choose another directory`,
      );
    }
    // Files edited since kec wrote them are the user's now: not overwritten or removed without --force.
    const edited: string[] = [];
    for (const f of previous) {
      const recorded = listed.hashes[f];
      if (recorded === undefined || !existing.includes(f)) continue;
      const current = sha256(await readFile(join(root, f)));
      if (current !== recorded && (!files.has(f) || sha256(files.get(f)!) !== current)) edited.push(f);
    }
    if (edited.length > 0 && !opts.force) {
      throw new InputError(
        `output directory ${dir}: ${edited.join(', ')} changed since kec wrote ${edited.length === 1 ? 'it' : 'them'}; keep your edits elsewhere (e.g. spec.cilium.values) or pass --force to overwrite`,
      );
    }
  }
  await replaceDir(root, dir, files, opts.scratch);
  return [...files.keys()];
}

/**
 * Writes the new tree into a sibling directory, then swaps it in with two renames: the
 * directory holds the old plan or the new one, never a mix, also when the disk fills up or
 * kec is killed half-way (a leftover `.NAME.kec-new-*` or `.NAME.kec-old-*` sibling is then
 * the only trace). The user's scratch subdirectory moves over into the new tree.
 */
async function replaceDir(
  root: string,
  shown: string,
  files: Map<string, string>,
  scratch: string | undefined,
): Promise<void> {
  const parent = dirname(root);
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    throw ioError(e, `cannot create ${parent} for output ${shown}`);
  }
  let fresh: string;
  try {
    fresh = await mkdtemp(join(parent, `.${basename(root)}.kec-new-`));
  } catch (e) {
    throw ioError(e, `cannot write output directory ${shown}`);
  }
  try {
    await chmod(fresh, 0o755);
    for (const [name, content] of files) {
      const target = join(fresh, name);
      if (!target.startsWith(fresh + sep)) throw new InputError(`refusing to write outside ${shown}: ${name}`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content, { mode: 0o644 });
    }
    const entries = await readdir(root).catch(() => undefined);
    if (entries === undefined) {
      await rename(fresh, root);
      return;
    }
    if (entries.length === 0) {
      // An empty directory (perhaps a mount point): move the new entries in.
      for (const e of await readdir(fresh)) await rename(join(fresh, e), join(root, e));
      await rm(fresh, { recursive: true, force: true });
      return;
    }
    if (
      scratch !== undefined &&
      (await stat(join(root, scratch)).then(
        () => true,
        () => false,
      ))
    ) {
      await rename(join(root, scratch), join(fresh, scratch));
    }
    const old = join(parent, `.${basename(root)}.kec-old-${process.pid}`);
    await rename(root, old);
    try {
      await rename(fresh, root);
    } catch (e) {
      await rename(old, root); // put the old plan back
      throw e;
    }
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(fresh, { recursive: true, force: true }).catch(() => undefined);
    throw e instanceof InputError ? e : ioError(e, `cannot write output directory ${shown}`);
  }
}

/** The directory to write: a symbolic link to a directory is followed, a dangling one or a virtual file system refused. */
async function outputRoot(dir: string): Promise<string> {
  const root = resolve(dir);
  let target = root;
  try {
    if ((await lstat(root)).isSymbolicLink()) {
      target = await realpath(root).catch(() => {
        throw new InputError(`output directory ${dir} is a symbolic link to a missing target`);
      });
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError(e, `cannot use output directory ${dir}`);
  }
  const parent = await realpath(dirname(target)).catch(() => dirname(target));
  if (/^\/(proc|sys|dev)(\/|$)/.test(parent + '/')) {
    throw new InputError(
      `output directory ${dir} is under ${parent.split('/').slice(0, 2).join('/')}, a virtual file system; choose a directory on disk`,
    );
  }
  return target;
}

/** An errno as a sentence a user can act on. */
function ioError(e: unknown, what: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large for the file system',
    ENOTDIR: 'a path component is not a directory',
    EEXIST: 'exists and is not a directory',
  };
  return new InputError(`${what}: ${(code && why[code]) ?? (e as Error).message}; nothing was changed`);
}

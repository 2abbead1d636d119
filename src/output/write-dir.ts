// Writes a set of generated files into a directory without losing anybody's data:
// a directory that holds files kec did not generate is refused; files a previous run
// generated (listed in its manifest) and no longer produced are removed.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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
  const root = resolve(dir);
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
    for (const f of previous) {
      if (files.has(f)) continue;
      await rm(join(root, f), { force: true });
      await pruneEmptyParents(root, dirname(join(root, f)));
    }
  }
  for (const [name, content] of files) {
    const target = join(root, name);
    if (!target.startsWith(root + sep)) throw new InputError(`refusing to write outside ${dir}: ${name}`);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.kec-tmp-${process.pid}`;
    await writeFile(tmp, content, { mode: 0o644 });
    await rename(tmp, target);
  }
  return [...files.keys()];
}

/** Removes now-empty directories from `dir` up to (not including) `root`. */
async function pruneEmptyParents(root: string, dir: string): Promise<void> {
  for (let d = dir; d.startsWith(root + sep); d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return; // not empty (or gone): stop
    }
  }
}

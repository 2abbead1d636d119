// Writes one generated file without losing anybody's data: an existing file is replaced
// only when kec wrote it (it carries the marker), never when it is one of the inputs, and
// the write is atomic (temp file in the same directory, then rename).
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';

export interface GeneratedFileOptions {
  /** Text every file kec generated of this kind contains. */
  marker: string;
  /** Input files that must never be the output (e.g. the spec). */
  inputs?: string[];
  /** For messages: the flag that named the file. */
  flag?: string;
}

export async function writeGeneratedFile(path: string, content: string, o: GeneratedFileOptions): Promise<void> {
  const target = resolve(path);
  const flag = o.flag ?? '-o';
  if ((o.inputs ?? []).some((i) => resolve(i) === target)) {
    throw new InputError(`${flag} ${path} is also an input of this command; choose another file`);
  }
  let existing: string | undefined;
  try {
    existing = await readFile(target, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new InputError(`${flag} ${path} is a directory; give a file name`);
    if (code !== 'ENOENT') throw new InputError(`cannot read ${flag} ${path}: ${(e as Error).message}`);
  }
  if (existing !== undefined && !existing.includes(o.marker)) {
    throw new InputError(`${flag} ${path} exists and was not written by kec; move it away or choose another file`);
  }
  const tmp = `${target}.kec-tmp-${process.pid}`;
  try {
    await writeFile(tmp, content, { mode: 0o644 });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `cannot write ${flag} ${path}: ${code === 'ENOENT' ? 'its directory does not exist' : (e as Error).message}`,
    );
  }
}

// Reading what users hand kec, within bounds: files of a sane size (a spec is not 10 GiB;
// /dev/zero never ends), decompressed kernel configs that are not gzip bombs, and parsers
// whose engine errors ("Maximum call stack size exceeded") become a clear message.
import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.ts';

const MiB = 1 << 20;

/** Upper bounds per kind of input (bytes). */
export const INPUT_LIMITS = {
  spec: 4 * MiB,
  policy: 16 * MiB,
  manifest: 32 * MiB,
  kernelConfig: 8 * MiB,
  nodeReport: 8 * MiB,
} as const;

/** The bytes of a file, refusing one larger than `max` (works for pipes and devices like /dev/zero too). */
export function readBoundedSync(path: string, what: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(1 << 20, max + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max)
        throw new InputError(`${what} ${path}: larger than ${formatMiB(max)}, the most kec reads for it`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** readBoundedSync as UTF-8 text, for async callers (the read is short and bounded). */
export async function readBoundedText(path: string, what: string, max: number): Promise<string> {
  return Promise.resolve().then(() => readBoundedSync(path, what, max).toString('utf8'));
}

/** gunzip that stops at `max` bytes of output (a 10 KiB gzip bomb can expand to gigabytes). */
export function gunzipBounded(buf: Buffer, where: string, max: number): Buffer {
  try {
    return gunzipSync(buf, { maxOutputLength: max });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || (e as Error).name === 'RangeError') {
      throw new InputError(`${where}: decompresses to more than ${formatMiB(max)}; not a kernel config`);
    }
    throw new InputError(`${where}: looks gzip-compressed but does not decompress (${(e as Error).message})`);
  }
}

/**
 * Runs a parser; JavaScript engine limits hit by hostile input (deep nesting, huge strings)
 * become an InputError that names the file instead of an engine message.
 */
export function withinEngineLimits<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) {
      const what = /call stack/i.test(e.message)
        ? 'nesting deeper than kec reads (over a few thousand levels)'
        : 'too large to read';
      throw new InputError(`${where}: ${what}`);
    }
    throw e;
  }
}

/** How deep YAML or JSON input may nest before kec refuses it (parsers recurse per level). */
export const MAX_DOCUMENT_NESTING = 256;

/**
 * Refuses YAML/JSON text nested deeper than `max` levels, before a recursive parser meets it:
 * flow collections ([ { outside quotes) and block indentation both count.
 */
export function checkNesting(text: string, where: string, max = MAX_DOCUMENT_NESTING): void {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '[' || c === '{') {
      if (++depth > max) throw new InputError(`${where}: nesting deeper than ${max} levels`);
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n') {
      let indent = 0;
      while (text[i + 1 + indent] === ' ') indent++;
      // Block nesting needs at least one space per level.
      if (indent > max * 2) throw new InputError(`${where}: nesting deeper than ${max} levels`);
    }
  }
}

/** A short, single-line excerpt of input for an error message. */
export function excerpt(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const formatMiB = (n: number): string => `${Math.round(n / MiB)} MiB`;

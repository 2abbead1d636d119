// Splits a byte stream into lines without readline: chunks are decoded once and
// split on "\n" ("\r\n" tolerated). Memory is one chunk plus one partial line.
import { StringDecoder } from 'node:string_decoder';

export async function* linesOf(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      yield text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/** Longest line kept (a Hubble flow is a few KiB): longer ones are reported, not held in memory. */
export const MAX_LINE = 1 << 20;

/**
 * The same split with a synchronous callback per line: no promise per line, which matters
 * at a million lines (the CLI uses this; library callers can use linesOf). A line longer
 * than `maxLine` is dropped as it streams by (constant memory) and reported to `onOverlong`.
 */
export async function forEachLine(
  stream: AsyncIterable<Buffer | string>,
  onLine: (line: string, lineNo: number) => void,
  opts: { maxLine?: number; onOverlong?: (lineNo: number) => void } = {},
): Promise<number> {
  const maxLine = opts.maxLine ?? MAX_LINE;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let skipping = false;
  let n = 0;
  for await (const chunk of stream) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      if (skipping) {
        skipping = false; // the tail of an over-long line, already counted
        n++;
      } else if (nl - start > maxLine) {
        opts.onOverlong?.(++n);
      } else onLine(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl), ++n);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    if (!skipping && rest.length > maxLine) {
      opts.onOverlong?.(n + 1);
      skipping = true;
    }
    if (skipping) rest = '';
  }
  rest += decoder.end();
  if (skipping) return n + 1;
  if (rest !== '') onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest, ++n);
  return n;
}

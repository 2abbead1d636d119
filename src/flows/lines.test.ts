import { describe, expect, it } from 'vitest';
import { linesOf } from './lines.ts';

async function collect(chunks: Array<Buffer | string>): Promise<string[]> {
  async function* src(): AsyncGenerator<Buffer | string> {
    yield* chunks;
  }
  const out: string[] = [];
  for await (const l of linesOf(src())) out.push(l);
  return out;
}

describe('linesOf', () => {
  it('splits across chunk boundaries, CRLF, and a last line without newline', async () => {
    expect(await collect(['a\nb', 'c\r\n', '\nd'])).toEqual(['a', 'bc', '', 'd']);
  });
  it('keeps a multi-byte character split between chunks intact', async () => {
    const bytes = Buffer.from('x€y\n');
    expect(await collect([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual(['x€y']);
  });
});

describe('forEachLine', () => {
  it('gives the same lines as linesOf, with 1-based numbers', async () => {
    async function* src(): AsyncGenerator<Buffer | string> {
      yield* ['a\nb', 'c\r\n', '\nd'];
    }
    const seen: Array<[string, number]> = [];
    const { forEachLine } = await import('./lines.ts');
    expect(await forEachLine(src(), (l, n) => seen.push([l, n]))).toBe(4);
    expect(seen).toEqual([
      ['a', 1],
      ['bc', 2],
      ['', 3],
      ['d', 4],
    ]);
  });
});

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

describe('over-long lines', () => {
  it('are reported with their line number and skipped in constant memory, also across chunks', async () => {
    const { forEachLine } = await import('./lines.ts');
    const chunks = async function* (): AsyncGenerator<string> {
      yield 'a\n';
      for (let i = 0; i < 50; i++) yield 'x'.repeat(1000); // 50,000 characters, no newline yet
      yield 'tail\nb\n';
      yield `${'y'.repeat(3000)}\nc`;
    };
    const seen: Array<[string, number]> = [];
    const over: number[] = [];
    const n = await forEachLine(chunks(), (l, i) => seen.push([l, i]), {
      maxLine: 2000,
      onOverlong: (i) => over.push(i),
    });
    expect(seen).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 5],
    ]);
    expect(over).toEqual([2, 4]);
    expect(n).toBe(5);
  });
});

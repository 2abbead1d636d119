import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { splitName, tarHeader, TarGzWriter } from './tar.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kec-tar-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('TarGzWriter', () => {
  it('writes an archive the system tar lists and extracts byte for byte', async () => {
    const d = tmp();
    const file = join(d, 'x.tar.gz');
    const w = new TarGzWriter(file, Date.parse('2025-01-01T00:00:00Z'));
    const long = `logs/kube-system/${'cilium-edge-site-with-a-very-long-name-'.repeat(3)}abc/cilium-agent.log`;
    const binary = Buffer.from([0, 1, 2, 255, 10, 13]);
    await w.add('README.txt', 'hello\n');
    await w.add('a/exactly-512.txt', 'x'.repeat(512));
    await w.add(long, 'héllo wörld\n');
    await w.add('bin.dat', binary);
    expect(await w.add('README.txt', 'second')).toBe('README-2.txt');
    await w.close();
    const list = execFileSync('tar', ['-tzvf', file], { encoding: 'utf8' });
    expect(
      list
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(-1)[0]),
    ).toEqual(['README.txt', 'a/exactly-512.txt', long, 'bin.dat', 'README-2.txt']);
    const out = join(d, 'out');
    execFileSync('mkdir', [out]);
    execFileSync('tar', ['-xzf', file, '-C', out]);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toBe('hello\n');
    expect(readFileSync(join(out, 'a/exactly-512.txt'), 'utf8')).toBe('x'.repeat(512));
    expect(readFileSync(join(out, long), 'utf8')).toBe('héllo wörld\n');
    expect(readFileSync(join(out, 'bin.dat'))).toEqual(binary);
    expect(readFileSync(join(out, 'README-2.txt'), 'utf8')).toBe('second');
  });

  it('computes a valid ustar checksum and splits long names', () => {
    const h = tarHeader('a.txt', 5, 0);
    const stored = parseInt(h.subarray(148, 154).toString('ascii'), 8);
    const copy = Buffer.from(h);
    copy.write('        ', 148, 8, 'ascii');
    expect(stored).toBe(copy.reduce((s, b) => s + b, 0));
    expect(h.subarray(257, 262).toString('ascii')).toBe('ustar');
    expect(splitName(`${'d/'.repeat(60)}file.log`).name).toBe('file.log');
    expect(() => splitName('x'.repeat(300))).toThrow(/too long/);
  });
});

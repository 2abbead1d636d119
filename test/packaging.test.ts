// What `npm pack` puts in the package: the bundle and its chunks, examples, docs, README and
// LICENSE; no source maps (KEC_SOURCEMAP=1 builds them for debugging), no sources or tests.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './paths.ts';

describe('the npm package', () => {
  it('ships the CLI, docs and LICENSE, and nothing else', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }>; unpackedSize: number }>;
    const files = pack!.files.map((f) => f.path);
    for (const must of [
      'dist/kec.mjs',
      'dist/dashboard/index.html',
      'LICENSE',
      'README.md',
      'docs/spec.md',
      'docs/node.md',
      'examples/edge-cluster.yaml',
      'package.json',
    ]) {
      expect(files, must).toContain(must);
    }
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // The dashboard's web UI, built and self-contained (no CDN): its HTML, script and style.
    expect(
      files
        .filter((f) => f.startsWith('dist/dashboard/assets/'))
        .map((f) => f.split('.').pop())
        .sort(),
    ).toEqual(['css', 'js']);
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);
    expect(pack!.unpackedSize).toBeLessThan(12 << 20);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      license: string;
      bin: Record<string, string>;
    };
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0',
    );
    expect(pkg.bin['kec']).toBe('dist/kec.mjs');
  });
});

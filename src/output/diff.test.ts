import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './diff.ts';

/** Applies our diff with the system `patch` to prove it is a valid unified diff. */
function patchApplies(before: string, after: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'kec-diff-'));
  writeFileSync(join(dir, 'f'), before);
  writeFileSync(join(dir, 'p'), unifiedDiff(before, after, { from: 'f', to: 'f' }));
  execFileSync('patch', ['-s', '-p0', join(dir, 'f'), join(dir, 'p')]);
  return execFileSync('cat', [join(dir, 'f')]).toString() === after;
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', { from: 'x', to: 'y' })).toBe('');
  });

  it('shows changed lines with context', () => {
    const d = unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', { from: 'live', to: 'planned' });
    expect(d).toBe('--- live\n+++ planned\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  });

  it('produces patches the system patch tool applies', () => {
    const before = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const after = before
      .replace('line 3\n', 'line three\n')
      .replace('line 30\n', '')
      .replace('line 39\n', 'line 39\nline 40\n');
    expect(patchApplies(before, after)).toBe(true);
    expect(patchApplies('', 'new\nfile\n')).toBe(true);
    expect(patchApplies('old\n', '')).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../test/paths.ts';
import { specReferenceMarkdown, specReferenceRows } from './reference.ts';

describe('spec reference', () => {
  it('documents every field with a description', () => {
    const rows = specReferenceRows();
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) expect(r.doc.length, r.path).toBeGreaterThan(10);
    expect(rows.map((r) => r.path)).toEqual(
      expect.arrayContaining(['spec.edgeGroups[].link.behindNAT', 'spec.cilium.encryption.type']),
    );
  });

  it('is what docs/spec.md says (regenerate: node dist/kec.mjs spec reference > docs/spec.md)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'spec.md'), 'utf8')).toBe(specReferenceMarkdown());
  });
});

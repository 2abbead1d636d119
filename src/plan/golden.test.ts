// Golden files of the bundled example's plan. Regenerate after an intended change with
// UPDATE_GOLDEN=1 vitest run src/plan/golden, then review the diff.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../test/paths.ts';
import { exampleRaw, valid } from '../../test/specs.ts';
import { buildPlan } from './plan.ts';
import { renderPlan } from './render.ts';

const GOLDEN = join(ROOT, 'test', 'golden', 'edge-cluster');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [relative(GOLDEN, join(dir, e.name))],
  );
}

describe('golden plan of examples/edge-cluster.yaml', () => {
  const files = renderPlan(buildPlan(valid(exampleRaw())));

  if (process.env['UPDATE_GOLDEN']) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const [name, content] of files) {
      mkdirSync(dirname(join(GOLDEN, name)), { recursive: true });
      writeFileSync(join(GOLDEN, name), content);
    }
  }

  it('produces exactly the golden file set', () => {
    expect(existsSync(GOLDEN)).toBe(true);
    expect([...files.keys()].sort()).toEqual(listFiles(GOLDEN).sort());
  });

  it.each([...files.keys()])('%s matches', (name) => {
    expect(files.get(name)).toBe(readFileSync(join(GOLDEN, name), 'utf8'));
  });

  it('is deterministic', () => {
    const again = renderPlan(buildPlan(valid(exampleRaw())));
    expect([...again.entries()]).toEqual([...files.entries()]);
  });
});

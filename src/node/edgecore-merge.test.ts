// The in-place edgecore merge: only the patched values change, everything else is kept
// byte for byte; re-running is a no-op; configure restarts edgecore only on change.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { deepMerge, mergeEdgecoreText } from './edgecore-merge.ts';
import { unifiedDiff } from '../output/diff.ts';
import { configure } from './configure.ts';
import { FsRoot } from './fsroot.ts';
import { sandbox } from './node.testkit.ts';
import { FIXTURES } from '../../test/paths.ts';

const KEADM = readFileSync(join(FIXTURES, 'kubeedge', 'thirdparty-univwang-edgecore-v1alpha2-keadm.yaml'), 'utf8');
const PATCH = {
  modules: {
    metaManager: { metaServer: { enable: true, server: '127.0.0.1:10550' } },
    edgeStream: { enable: true },
    edged: { tailoredKubeletConfig: { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local' } },
  },
};

function changedLines(a: string, b: string): string[] {
  return unifiedDiff(a, b, { from: 'a/f', to: 'b/f' }, 0)
    .split('\n')
    .filter((l) => /^[+-][^+-]/.test(l));
}

describe('mergeEdgecoreText', () => {
  it('changes only clusterDNS in the real keadm edgecore.yaml', () => {
    const r = mergeEdgecoreText(KEADM, PATCH);
    expect(r).toMatchObject({ changed: true, reformatted: false });
    expect(changedLines(KEADM, r.text)).toEqual(['-      - 169.254.96.16', '+      - 10.96.0.10']);
    expect(parse(r.text)).toEqual(deepMerge(parse(KEADM), PATCH));
    expect(mergeEdgecoreText(r.text, PATCH)).toEqual({ text: r.text, changed: false, reformatted: false });
  });

  it('inserts missing keys after their last sibling, with the indentation of the map', () => {
    const src =
      'apiVersion: edgecore.config.kubeedge.io/v1alpha2\nkind: EdgeCore\nmodules:\n    edged:\n        enable: true   # keep\n    # trailing comment of modules\n';
    const r = mergeEdgecoreText(src, PATCH);
    expect(r.reformatted).toBe(false);
    expect(r.text).toContain('        enable: true   # keep\n');
    expect(r.text).toContain('    # trailing comment of modules\n');
    expect(r.text).toMatch(/ {8}tailoredKubeletConfig:\n {10}clusterDNS:\n {10}- 10\.96\.0\.10\n/);
    expect(parse(r.text)).toEqual(deepMerge(parse(src), PATCH));
  });

  it('handles flow lists, null values and documents without a trailing newline', () => {
    const src =
      'kind: EdgeCore\nmodules:\n  edged:\n    tailoredKubeletConfig:\n      clusterDNS: [192.0.2.53, 198.51.100.53]\n  edgeStream:\n    enable:\n  metaManager: {}';
    const r = mergeEdgecoreText(src, PATCH);
    expect(parse(r.text)).toEqual(deepMerge(parse(src), PATCH));
  });

  it('property: any scalar patch of existing keys keeps every other line', () => {
    const lines = KEADM.split('\n');
    const leaves = [
      ['modules', 'edgeHub', 'heartbeat'],
      ['modules', 'edged', 'tailoredKubeletConfig', 'maxPods'],
      ['modules', 'edgeStream', 'enable'],
      ['modules', 'metaManager', 'remoteQueryTimeout'],
      ['database', 'driverName'],
    ];
    fc.assert(
      fc.property(
        fc.subarray(leaves, { minLength: 1 }),
        fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.boolean(), fc.string({ minLength: 1, maxLength: 12 })),
        (paths, value) => {
          const patch: Record<string, unknown> = {};
          for (const p of paths) {
            let cur = patch;
            p.slice(0, -1).forEach((k) => {
              cur = (cur[k] ??= {}) as Record<string, unknown>;
            });
            cur[p[p.length - 1]!] = value;
          }
          const r = mergeEdgecoreText(KEADM, patch);
          expect(parse(r.text)).toEqual(deepMerge(parse(KEADM), patch));
          expect(r.reformatted).toBe(false);
          expect(r.text.split('\n').length).toBe(lines.length);
          expect(changedLines(KEADM, r.text).length).toBeLessThanOrEqual(paths.length * 2);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('configure restarts edgecore only when something changed', () => {
  it('calls the restarter once, then not again', async () => {
    const root = sandbox();
    const patch = join(root, 'patch.yaml');
    writeFileSync(patch, 'modules:\n  metaManager:\n    metaServer:\n      enable: true\n');
    let restarts = 0;
    const restart = async (): Promise<void> => {
      restarts++;
    };
    const fs = new FsRoot(root);
    const a = await configure(fs, { patch, restart });
    expect(a.changed).toBe(true);
    expect(a.actions.find((x) => x.kind === 'restart')?.status).toBe('done');
    const b = await configure(fs, { patch, restart });
    expect(b.changed).toBe(false);
    await configure(fs, { patch, restart, noRestart: true });
    expect(restarts).toBe(1);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIXTURES } from '../../../test/paths.ts';
import { enableCloudcoreModules } from './cloudcore-config.ts';

const fixture = (name: string): string => readFileSync(join(FIXTURES, 'kubeedge', name), 'utf8');

describe('enableCloudcoreModules', () => {
  it('enables the modules in a real cloudcore.yaml and keeps everything else', () => {
    const text = fixture('thirdparty-chunfungintel-cloudcore-v1alpha2.yaml');
    const before = parse(text) as { modules: Record<string, Record<string, unknown>> };
    const edit = enableCloudcoreModules(text);
    const after = parse(edit.text) as typeof before;
    expect(after.modules['dynamicController']?.['enable']).toBe(true);
    expect(after.modules['cloudStream']?.['enable']).toBe(true);
    for (const m of Object.keys(before.modules).filter((k) => k !== 'dynamicController' && k !== 'cloudStream')) {
      expect(after.modules[m], m).toEqual(before.modules[m]);
    }
    // comments survive
    const comments = text.split('\n').filter((l) => l.trim().startsWith('#'));
    for (const c of comments) expect(edit.text).toContain(c.trim());
  });

  it('reports no change and returns the text untouched when already enabled', () => {
    const once = enableCloudcoreModules(fixture('thirdparty-chunfungintel-cloudcore-v1alpha2.yaml'));
    const twice = enableCloudcoreModules(once.text);
    expect(twice.changed).toEqual([]);
    expect(twice.text).toBe(once.text);
  });

  it('adds the modules to a minimal cloudcore.yaml from the ConfigMap fixture', () => {
    const cm = parse(fixture('kubeedge-build-cloud-05-configmap.yaml')) as { data: Record<string, string> };
    const edit = enableCloudcoreModules(cm.data['cloudcore.yaml']!);
    expect(edit.changed.sort()).toEqual(['modules.cloudStream.enable', 'modules.dynamicController.enable']);
  });

  it('refuses text that is not a YAML mapping, naming the ConfigMap', () => {
    expect(() => enableCloudcoreModules('- a\n- b\n')).toThrow(
      'ConfigMap cloudcore key cloudcore.yaml is not a YAML mapping',
    );
    expect(() => enableCloudcoreModules('a: [\n')).toThrow(/ConfigMap cloudcore key cloudcore\.yaml is not valid YAML/);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSpec } from './load.ts';
import { InputError } from '../errors.ts';

const good = `apiVersion: kec.kubeedge.io/v1alpha1
kind: EdgeNetwork
spec:
  kubernetes: { version: "1.31", podCIDR: 10.32.0.0/11 }
  kubeedge: { version: "1.21.0" }
  cilium:
    version: "1.18.12"
    kubeProxyReplacement: strict
  edgeGroups:
    - name: a
      memory: 2Gi
`;

describe('parseSpec', () => {
  it('reports validation errors with the line and column of the field', () => {
    const r = parseSpec(good, 'spec.yaml');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ path: 'spec.cilium.kubeProxyReplacement', line: 8, column: 27 });
  });

  it('points at the nearest existing parent for a missing field', () => {
    const r = parseSpec(good.replace('      memory: 2Gi\n', ''), 'spec.yaml');
    const missing = r.errors.find((e) => e.path === 'spec.edgeGroups[0].memory');
    expect(missing).toMatchObject({ line: 10 });
  });

  it('turns YAML syntax errors into an InputError naming file and line', () => {
    let err: unknown;
    try {
      parseSpec('spec:\n  a: [1, 2\n  b: 3\n', 'broken.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('broken.yaml is not valid YAML');
    expect((err as InputError).details[0]).toMatch(/^broken\.yaml:\d+:\d+: /);
  });

  it('expands YAML aliases of real specs and refuses alias bombs with a clear error', () => {
    const groups = Array.from(
      { length: 300 },
      (_, i) => `    - { name: g${i}, memory: 1Gi, nodeSelector: { site: s${i} }, link: *link }`,
    ).join('\n');
    const aliased = good
      .replace(
        / {2}edgeGroups:[\s\S]*$/,
        `  edgeGroups:\n    - { name: first, memory: 1Gi, link: &link { mtu: 1500 } }\n${groups}\n`,
      )
      .replace('kubeProxyReplacement: strict', 'kubeProxyReplacement: true');
    const r = parseSpec(
      aliased.replace('kubernetes: {', 'kubernetes: { apiServer: { host: 192.0.2.1 },'),
      'aliases.yaml',
    );
    expect(r.errors).toEqual([]);
    expect(r.value?.spec.edgeGroups).toHaveLength(301);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    expect(() => parseSpec(bomb, 'bomb.yaml')).toThrow(/bomb\.yaml: cannot expand the document/);
  });

  it('refuses duplicate keys, empty files and several documents', () => {
    expect(() => parseSpec('a: 1\na: 2\n', 'dup.yaml')).toThrow(/dup\.yaml is not valid YAML/);
    expect(() => parseSpec('# nothing\n', 'empty.yaml')).toThrow(
      'empty.yaml is empty; expected one EdgeNetwork document',
    );
    expect(() => parseSpec(`${good}---\n${good}`, 'two.yaml')).toThrow(
      'two.yaml has 2 YAML documents; expected exactly one EdgeNetwork',
    );
  });
});

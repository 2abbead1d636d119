import { describe, expect, it } from 'vitest';
import { strategicMerge } from './strategic-merge.ts';

describe('strategicMerge', () => {
  const base = {
    spec: {
      affinity: { nodeAffinity: { required: { terms: [{ a: 1 }] } }, podAntiAffinity: { x: 1 } },
      containers: [
        {
          name: 'cilium-agent',
          args: ['--a'],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          image: 'i',
        },
        { name: 'other', image: 'o' },
      ],
      tolerations: [{ operator: 'Exists' }],
    },
  };

  it('merges containers and env by name, replaces args and other lists', () => {
    const out = strategicMerge(base, {
      spec: {
        containers: [
          {
            name: 'cilium-agent',
            args: ['--b'],
            env: [
              { name: 'B', value: '3' },
              { name: 'C', value: '4' },
            ],
          },
        ],
        tolerations: [{ key: 'k', operator: 'Exists' }],
        affinity: { nodeAffinity: { required: { terms: [{ b: 2 }] } } },
      },
    }) as typeof base;
    const agent = out.spec.containers[0]!;
    expect(agent.args).toEqual(['--b']);
    expect(agent.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
    expect(agent.image).toBe('i');
    expect(out.spec.containers[1]).toEqual({ name: 'other', image: 'o' });
    expect(out.spec.tolerations).toEqual([{ key: 'k', operator: 'Exists' }]);
    expect(out.spec.affinity).toEqual({ nodeAffinity: { required: { terms: [{ b: 2 }] } }, podAntiAffinity: { x: 1 } });
  });

  it('deletes with null and $patch: delete, and does not change its inputs', () => {
    const before = JSON.stringify(base);
    const out = strategicMerge(base, {
      spec: { affinity: { podAntiAffinity: null }, containers: [{ name: 'other', $patch: 'delete' }] },
    }) as typeof base;
    expect(out.spec.affinity).toEqual({ nodeAffinity: { required: { terms: [{ a: 1 }] } } });
    expect(out.spec.containers.map((c) => c.name)).toEqual(['cilium-agent']);
    expect(JSON.stringify(base)).toBe(before);
  });
});

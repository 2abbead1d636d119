// Test helpers: policies from YAML text, and the upstream netpol e2e cluster
// (namespaces x, y, z × pods a, b, c, serving 80 and 81 on TCP, UDP and SCTP).
import { parseYamlText } from './load.ts';
import { parsePolicyObjects } from './parse.ts';
import type { ParsedPolicies } from './parse.ts';
import type { Inventory, Pod } from './inventory.ts';

export function policiesFrom(yaml: string, file = 'test.yaml'): ParsedPolicies {
  const r = parseYamlText(file, yaml);
  return parsePolicyObjects({ objects: r.objects, errors: r.errors });
}

export function netpolCluster(): Inventory {
  const inv: Inventory = { namespaces: new Map(), pods: [], nodes: [], externals: [], warnings: [] };
  const ports: Pod['ports'] = [];
  for (const port of [80, 81])
    for (const protocol of ['TCP', 'UDP', 'SCTP'] as const)
      ports.push({ name: `serve-${port}-${protocol.toLowerCase()}`, port, protocol });
  ['x', 'y', 'z'].forEach((ns, i) => {
    inv.namespaces.set(ns, { 'kubernetes.io/metadata.name': ns, ns });
    ['a', 'b', 'c'].forEach((p, j) =>
      inv.pods.push({
        namespace: ns,
        name: p,
        labels: { pod: p },
        node: 'node-1',
        hostNetwork: false,
        ips: [`10.0.${i}.${j + 10}`],
        ports,
        serviceAccount: 'default',
      }),
    );
  });
  return inv;
}

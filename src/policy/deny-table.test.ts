// Cilium's documented allow/deny precedence table (Documentation/security/policy/deny.rst):
// five sets of ingress policies on the server pod, three connections from the client.
import { describe, expect, it } from 'vitest';
import { evaluateFlow } from './evaluate.ts';
import type { Query } from './evaluate.ts';
import { podEndpoints } from './endpoints.ts';
import type { Inventory } from './inventory.ts';
import { policiesFrom } from './policies.testkit.ts';

const cnp = (name: string, body: string): string =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: default}\nspec:\n  endpointSelector: {matchLabels: {app: server}}\n${body}`;
const from = '    fromEndpoints: [{matchLabels: {app: client}}]';
const ALLOW = {
  l7: cnp(
    'allow-l7',
    `  ingress:\n  - ${from.trim()}\n    toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, path: "/"}]}}]`,
  ),
  l4_80: cnp('allow-80', `  ingress:\n  - ${from.trim()}\n    toPorts: [{ports: [{port: "80", protocol: TCP}]}]`),
  l4_81: cnp('allow-81', `  ingress:\n  - ${from.trim()}\n    toPorts: [{ports: [{port: "81", protocol: TCP}]}]`),
  l3: cnp('allow-l3', `  ingress:\n  - ${from.trim()}`),
};
const DENY = {
  l4_80: cnp('deny-80', `  ingressDeny:\n  - ${from.trim()}\n    toPorts: [{ports: [{port: "80", protocol: TCP}]}]`),
  l3: cnp('deny-l3', `  ingressDeny:\n  - ${from.trim()}`),
};
const all = Object.values(ALLOW);
const columns: { policies: string[]; expect: [boolean, boolean, boolean] }[] = [
  // [curl server:81, curl server:80, ping server]
  { policies: [...all], expect: [true, true, true] },
  { policies: [...all, DENY.l4_80], expect: [true, false, true] },
  { policies: [...all, DENY.l3], expect: [false, false, false] },
  { policies: [...all, DENY.l4_80, DENY.l3], expect: [false, false, false] },
  { policies: [DENY.l4_80], expect: [false, false, false] },
];

describe('deny.rst precedence table', () => {
  const inv: Inventory = {
    namespaces: new Map([['default', {}]]),
    nodes: [],
    externals: [],
    warnings: [],
    pods: [
      {
        namespace: 'default',
        name: 'client',
        labels: { app: 'client' },
        node: 'n1',
        hostNetwork: false,
        ips: ['10.0.0.1'],
        ports: [],
        serviceAccount: 'default',
      },
      {
        namespace: 'default',
        name: 'server',
        labels: { app: 'server' },
        node: 'n2',
        hostNetwork: false,
        ips: ['10.0.0.2'],
        ports: [],
        serviceAccount: 'default',
      },
    ],
  };
  const [client, server] = podEndpoints(inv) as [
    ReturnType<typeof podEndpoints>[number],
    ReturnType<typeof podEndpoints>[number],
  ];
  const flows: Query[] = [
    { port: 81, protocol: 'TCP' },
    { port: 80, protocol: 'TCP', http: { method: 'GET', path: '/' } },
    { port: 8, protocol: 'ICMP' },
  ];
  columns.forEach((col, i) => {
    it(`column ${i + 1}`, () => {
      const p = policiesFrom(col.policies.join('\n---\n'));
      expect(p.errors).toEqual([]);
      const got = flows.map((q) => evaluateFlow(p.sets, client, server, q).verdict === 'allowed');
      expect(got).toEqual(col.expect);
    });
  });
  it('names the deciding deny rule', () => {
    const p = policiesFrom([...all, DENY.l4_80].join('\n---\n'));
    const v = evaluateFlow(p.sets, client, server, { port: 80, protocol: 'TCP' });
    expect(v.ingress.reasons[0]).toMatchObject({
      policy: 'deny-80',
      namespace: 'default',
      kind: 'CiliumNetworkPolicy',
      rule: 'spec.ingressDeny[0]',
      effect: 'deny',
    });
  });
  it('L7: a request outside the HTTP rules is denied unless an L4-only rule covers the port', () => {
    const only = policiesFrom(ALLOW.l7);
    expect(
      evaluateFlow(only.sets, client, server, { port: 80, protocol: 'TCP', http: { method: 'POST', path: '/' } })
        .verdict,
    ).toBe('denied');
    expect(
      evaluateFlow(only.sets, client, server, { port: 80, protocol: 'TCP', http: { method: 'GET', path: '/' } })
        .verdict,
    ).toBe('allowed');
    expect(
      evaluateFlow(only.sets, client, server, { port: 80, protocol: 'TCP', http: { method: 'GET', path: '/x' } })
        .verdict,
    ).toBe('denied');
    const lifted = policiesFrom([ALLOW.l7, ALLOW.l4_80].join('\n---\n'));
    expect(
      evaluateFlow(lifted.sets, client, server, { port: 80, protocol: 'TCP', http: { method: 'POST', path: '/x' } })
        .verdict,
    ).toBe('allowed');
  });
});

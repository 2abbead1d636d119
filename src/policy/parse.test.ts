import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIXTURES } from '../../test/paths.ts';
import { parseYamlText } from './load.ts';
import { parsePolicyObjects } from './parse.ts';
import { policiesFrom } from './policies.testkit.ts';

const DIR = join(FIXTURES, 'cilium-policy-examples');

describe('upstream Cilium policy examples', () => {
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yaml'))) {
    it(`${f} parses and validates`, () => {
      const p = policiesFrom(readFileSync(join(DIR, f), 'utf8'), f);
      expect(p.errors).toEqual([]);
      expect(p.policies.length).toBeGreaterThan(0);
    });
  }
  it('reports unsupported constructs explicitly', () => {
    const p = policiesFrom(readFileSync(join(DIR, 'l3_fqdn_fqdn.yaml'), 'utf8'));
    expect(p.warnings.map((w) => w.path)).toContain('spec.egress[1].toFQDNs');
    const http = policiesFrom(readFileSync(join(DIR, 'l7_http_http.yaml'), 'utf8'));
    expect(http.warnings.find((w) => w.path === 'spec.ingress[0].toPorts[0].rules.HTTP')?.message).toMatch(
      /did you mean "http"/,
    );
  });
});

const cnp = (spec: string): string =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: t, namespace: x}\nspec:\n${spec}`;
const knp = (spec: string): string =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: t, namespace: x}\nspec:\n${spec}`;

describe('validation errors carry the field path', () => {
  const cases: [string, string, string, RegExp][] = [
    ['no selector', cnp('  ingress: [{}]'), 'spec', /one of endpointSelector or nodeSelector/],
    ['both selectors', cnp('  endpointSelector: {}\n  nodeSelector: {}'), 'spec', /both/],
    [
      'mixing L3',
      cnp('  endpointSelector: {}\n  ingress:\n  - fromEndpoints: [{}]\n    fromEntities: [world]'),
      'spec.ingress[0]',
      /combining/,
    ],
    [
      'unknown entity',
      cnp('  endpointSelector: {}\n  egress:\n  - toEntities: [planet]'),
      'spec.egress[0].toEntities[0]',
      /unsupported entity/,
    ],
    [
      'L7 on UDP',
      cnp(
        '  endpointSelector: {}\n  ingress:\n  - toPorts: [{ports: [{port: "80", protocol: UDP}], rules: {http: [{}]}}]',
      ),
      'spec.ingress[0].toPorts[0].ports[0].protocol',
      /only apply to TCP/,
    ],
    [
      'DNS on ingress',
      cnp(
        '  endpointSelector: {}\n  ingress:\n  - toPorts: [{ports: [{port: "53", protocol: UDP}], rules: {dns: [{matchPattern: "*"}]}}]',
      ),
      'spec.ingress[0].toPorts[0].rules.dns',
      /not allowed on ingress/,
    ],
    [
      'DNS without port',
      cnp('  endpointSelector: {}\n  egress:\n  - toPorts: [{rules: {dns: [{matchPattern: "*"}]}}]'),
      'spec.egress[0].toPorts[0].ports',
      /port 53/,
    ],
    [
      'DNS range',
      cnp(
        '  endpointSelector: {}\n  egress:\n  - toPorts: [{ports: [{port: "53", endPort: 60, protocol: UDP}], rules: {dns: [{matchPattern: "*"}]}}]',
      ),
      'spec.egress[0].toPorts[0].ports[0].endPort',
      /ranges/,
    ],
    [
      'except outside',
      cnp('  endpointSelector: {}\n  egress:\n  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [192.168.0.0/16]}]'),
      'spec.egress[0].toCIDRSet[0].except[0]',
      /not inside/,
    ],
    [
      'too many ports',
      cnp(
        `  endpointSelector: {}\n  egress:\n  - toPorts: [{ports: [${Array.from({ length: 41 }, (_, i) => `{port: "${i + 1}"}`).join(',')}]}]`,
      ),
      'spec.egress[0].toPorts[0].ports',
      /at most 40/,
    ],
    [
      'ICMP with toPorts',
      cnp(
        '  endpointSelector: {}\n  egress:\n  - toPorts: [{ports: [{port: "80"}]}]\n    icmps: [{fields: [{type: 8}]}]',
      ),
      'spec.egress[0]',
      /icmps block/,
    ],
    [
      'bad port',
      cnp('  endpointSelector: {}\n  egress:\n  - toPorts: [{ports: [{port: "99999"}]}]'),
      'spec.egress[0].toPorts[0].ports[0].port',
      /out of range/,
    ],
    [
      'bad operator',
      cnp('  endpointSelector: {matchExpressions: [{key: a, operator: Foo}]}'),
      'spec.endpointSelector.matchExpressions[0].operator',
      /expected one of/,
    ],
    [
      'deny L7',
      cnp(
        '  endpointSelector: {}\n  ingressDeny:\n  - toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{}]}}]',
      ),
      'spec.ingressDeny[0].toPorts[0].rules',
      /deny policies/,
    ],
    [
      'knp endPort without port',
      knp('  podSelector: {}\n  ingress:\n  - ports: [{endPort: 90}]'),
      'spec.ingress[0].ports[0].endPort',
      /numeric port/,
    ],
    [
      'knp endPort < port',
      knp('  podSelector: {}\n  ingress:\n  - ports: [{port: 90, endPort: 80}]'),
      'spec.ingress[0].ports[0].endPort',
      /greater than or equal/,
    ],
    [
      'knp endPort with name',
      knp('  podSelector: {}\n  ingress:\n  - ports: [{port: http, endPort: 80}]'),
      'spec.ingress[0].ports[0].endPort',
      /named port/,
    ],
    [
      'knp empty peer',
      knp('  podSelector: {}\n  ingress:\n  - from: [{}]'),
      'spec.ingress[0].from[0]',
      /must specify a peer/,
    ],
    [
      'knp ipBlock + selector',
      knp('  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]'),
      'spec.ingress[0].from[0]',
      /may not be combined/,
    ],
    [
      'knp protocol',
      knp('  podSelector: {}\n  ingress:\n  - ports: [{protocol: ICMP}]'),
      'spec.ingress[0].ports[0].protocol',
      /TCP, UDP or SCTP/,
    ],
    [
      'knp except not strict',
      knp('  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}]'),
      'spec.ingress[0].from[0].ipBlock.except[0]',
      /strict subset/,
    ],
    [
      'wrong apiVersion',
      'apiVersion: cilium.io/v1\nkind: CiliumNetworkPolicy\nmetadata: {name: t}\nspec: {endpointSelector: {}}',
      'apiVersion',
      /cilium.io\/v2/,
    ],
    ['yaml syntax', 'kind: [', '(document)', /YAML syntax/],
  ];
  for (const [name, yaml, path, msg] of cases) {
    it(name, () => {
      const p = policiesFrom(yaml, 'f.yaml');
      const hit = p.errors.find((e) => e.path === path && msg.test(e.message));
      expect(hit, JSON.stringify(p.errors)).toBeDefined();
      expect(hit!.file).toBe('f.yaml');
    });
  }
  it('gives the line of the field', () => {
    const p = policiesFrom(cnp('  endpointSelector: {}\n  egress:\n  - toEntities: [planet]'));
    expect(p.errors[0]).toMatchObject({ line: 7 });
  });
  it('Lists are split into items with their path', () => {
    const p = policiesFrom(
      `apiVersion: v1\nkind: List\nitems:\n- ${cnp('  endpointSelector: {}\n  egress:\n  - toEntities: [planet]').replace(/\n/g, '\n  ')}`,
    );
    expect(p.errors[0]?.path).toBe('items[0].spec.egress[0].toEntities[0]');
  });
});

describe('parser fuzzing', () => {
  it('arbitrary text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = parseYamlText('fuzz.yaml', s);
        const p = parsePolicyObjects(r);
        for (const e of p.errors) expect(typeof e.path).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
  const leaf = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer({ min: -5, max: 70000 }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('TCP', 'ANY', '80', 'world', '10.0.0.0/8', 'In', 'http'),
  );
  const keys = fc.constantFrom(
    'endpointSelector',
    'nodeSelector',
    'ingress',
    'egress',
    'ingressDeny',
    'egressDeny',
    'fromEndpoints',
    'toEndpoints',
    'fromEntities',
    'toCIDRSet',
    'cidr',
    'except',
    'toPorts',
    'ports',
    'port',
    'endPort',
    'protocol',
    'rules',
    'http',
    'dns',
    'icmps',
    'fields',
    'type',
    'family',
    'matchLabels',
    'matchExpressions',
    'key',
    'operator',
    'values',
    'from',
    'to',
    'podSelector',
    'namespaceSelector',
    'ipBlock',
    'policyTypes',
    'enableDefaultDeny',
    'x',
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(keys, tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  it('arbitrary policy-shaped objects give path-carrying errors, never a crash', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'NetworkPolicy'),
        tree,
        (kind, spec) => {
          const apiVersion = kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'cilium.io/v2';
          const value = { apiVersion, kind, metadata: { name: 'f', namespace: 'x' }, spec };
          const p = parsePolicyObjects({
            objects: [{ file: 'f.yaml', value, prefix: [], locate: () => undefined }],
            errors: [],
          });
          for (const d of [...p.errors, ...p.warnings]) {
            expect(d.file).toBe('f.yaml');
            expect(d.path.length).toBeGreaterThan(0);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

// Property tests: whatever the document, validation and planning never throw; they
// return either a plan or errors that each name a field path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../edgenetwork/validate.ts';
import { buildPlan } from './plan.ts';
import { renderPlan } from './render.ts';

function planOrErrors(raw: unknown): void {
  const r = validateSpec(raw);
  for (const d of [...r.errors, ...r.warnings]) {
    expect(d.path.length).toBeGreaterThan(0);
    expect(d.message.length).toBeGreaterThan(3);
  }
  if (r.errors.length > 0) {
    expect(r.value).toBeUndefined();
    return;
  }
  expect(r.value).toBeDefined();
  const plan = buildPlan(r.value!);
  for (const e of plan.errors) expect(e.path).toMatch(/^spec\.edgeGroups\[\d+\]\./);
  if (plan.errors.length === 0) {
    const files = renderPlan(plan);
    expect(files.has('cilium-values.yaml')).toBe(true);
    expect(plan.groups).toHaveLength(r.value!.spec.edgeGroups.length);
    for (const g of plan.groups) expect(g.mtu.pod).toBeGreaterThanOrEqual(1280);
  }
}

/** Mostly good values, sometimes bad ones, so that generated specs are often valid. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad });

const version = (good: string[]): fc.Arbitrary<unknown> =>
  mostly(
    fc.constantFrom(...good),
    fc.oneof(fc.constantFrom('1.15.0', '2.0.0', 'latest', '1.18', ''), fc.double(), fc.constant(null)),
  );

const group = fc.record(
  {
    name: mostly(fc.constantFrom('a', 'b', 'shop-floor', 'x1'), fc.string({ maxLength: 70 })),
    memory: mostly(
      fc.constantFrom('256Mi', '512Mi', '1Gi', '4Gi', '64Gi', '2G', '1.5Gi'),
      fc.oneof(fc.string(), fc.integer()),
    ),
    kernel: fc.option(
      mostly(
        fc.constantFrom('5.10.0', '5.15.0-1034-raspi', '6.8.0', '6.12.3'),
        fc.constantFrom('4.9.337-tegra', '5.4.0-26-generic', '4.18.0-147.el8.x86_64', 'junk'),
      ),
      { nil: undefined },
    ),
    nodes: fc.option(mostly(fc.integer({ min: 0, max: 500 }), fc.constant(-1)), { nil: undefined }),
    maxPods: fc.option(mostly(fc.integer({ min: 1, max: 200 }), fc.integer({ min: -5, max: 2000 })), {
      nil: undefined,
    }),
    nodeSelector: fc.option(
      fc.dictionary(
        fc.constantFrom('site', 'kec.kubeedge.io/group', 'zone'),
        mostly(fc.constantFrom('a', 'b', ''), fc.integer()),
      ),
      { nil: undefined },
    ),
    link: fc.option(
      fc.record(
        {
          mtu: mostly(fc.integer({ min: 1300, max: 9000 }), fc.oneof(fc.integer({ min: 0, max: 99999 }), fc.string())),
          behindNAT: mostly(fc.boolean(), fc.string()),
          ipv6Underlay: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['name'] },
);

const spec = fc.record({
  apiVersion: mostly(fc.constant('kec.kubeedge.io/v1alpha1'), fc.constant('v1')),
  kind: mostly(fc.constant('EdgeNetwork'), fc.constant('Other')),
  spec: fc.record(
    {
      kubernetes: fc.record(
        {
          version: version(['1.31', '1.30.2']),
          apiServer: fc.option(
            fc.record({
              host: mostly(
                fc.constantFrom('192.0.2.10', 'api.example.com'),
                fc.constantFrom('10.96.0.1', 'not a host'),
              ),
              port: mostly(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: -1, max: 70000 })),
            }),
            { nil: undefined },
          ),
          podCIDR: mostly(
            fc.constantFrom('10.0.0.0/8', '10.32.0.0/11'),
            fc.constantFrom('10.96.0.0/16', '10.0.0.0/33', 'x'),
          ),
          serviceCIDR: mostly(fc.constant('10.96.0.0/12'), fc.constant('172.16.0.0/16')),
          clusterDNS: mostly(fc.constant('10.96.0.10'), fc.constantFrom('172.16.0.10', 'dns')),
        },
        { requiredKeys: ['version'] },
      ),
      kubeedge: fc.record(
        {
          version: version(['1.16.0', '1.21.0', '1.22.3']),
          edgecore: fc.option(
            mostly(
              fc.constantFrom({}, { modules: { edgeStream: { enable: true } } }),
              fc.constant({ networkPlugin: {} }),
            ),
            { nil: undefined },
          ),
        },
        { requiredKeys: ['version'] },
      ),
      cilium: fc.record(
        {
          version: version(['1.16.19', '1.17.18', '1.18.12', '1.19.6', '1.20.0', '1.18.3']),
          kubeProxyReplacement: mostly(fc.boolean(), fc.constantFrom('strict', 'partial', 'true')),
          routing: fc.record(
            {
              mode: mostly(fc.constantFrom('tunnel', 'tunnel', 'native'), fc.constant('bgp')),
              protocol: fc.constantFrom('vxlan', 'geneve'),
              nativeRoutingCIDR: fc.constantFrom('10.0.0.0/8', '10.32.0.0/11'),
            },
            { requiredKeys: [] },
          ),
          encryption: fc.record(
            {
              type: mostly(fc.constantFrom('none', 'wireguard', 'ipsec', 'ztunnel'), fc.constant('secure-tunnel')),
              nodeEncryption: mostly(fc.constant(false), fc.constant(true)),
            },
            { requiredKeys: [] },
          ),
          hubble: fc.record(
            {
              enabled: mostly(fc.constant(true), fc.constant(false)),
              relay: fc.boolean(),
              ui: mostly(fc.constant(false), fc.constant(true)),
              metrics: fc.array(mostly(fc.constantFrom('dns', 'drop', 'flow'), fc.constant('bogus'))),
            },
            { requiredKeys: [] },
          ),
          hostRouting: mostly(fc.constant('legacy'), fc.constant('bpf')),
          datapathMode: mostly(fc.constantFrom('veth', 'netkit'), fc.constant('tap')),
          bandwidthManager: fc.boolean(),
          values: mostly(
            fc.constantFrom({}, { hubble: { relay: { replicas: 2 } } }, { envoy: { enabled: true } }),
            fc.constantFrom({ tunnel: 'vxlan' }, { bogusKey: 1 }, []),
          ),
        },
        { requiredKeys: ['version'] },
      ),
      edgeGroups: mostly(fc.array(group, { minLength: 1, maxLength: 4 }), fc.constantFrom([], 'none')),
    },
    { requiredKeys: ['kubernetes', 'kubeedge', 'cilium', 'edgeGroups'] },
  ),
});

describe('kec plan never throws', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (raw) => planOrErrors(raw)),
      { numRuns: 500 },
    );
  });

  it('on arbitrary objects with spec-like keys', () => {
    fc.assert(
      fc.property(
        fc.record({ apiVersion: fc.anything(), kind: fc.anything(), spec: fc.anything() }, { requiredKeys: [] }),
        planOrErrors,
      ),
      { numRuns: 500 },
    );
  });

  it('on generated, mostly plausible specs', () => {
    let plans = 0;
    fc.assert(
      fc.property(spec, (raw) => {
        planOrErrors(raw);
        if (validateSpec(raw).value) plans++;
      }),
      { numRuns: 1500 },
    );
    expect(plans).toBeGreaterThan(10); // the generator reaches valid specs, not only errors
  });
});

// Counts of the summariser against an independent computation (jq, test/fixtures/observe/
// independent.jq) on every shared Hubble fixture and on kec's own edge fixture.
import { execFile } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, FIXTURES as FIXTURE_DIR } from '../../test/paths.ts';
import { linesOf } from './lines.ts';
import { summarizeFlows } from './summarize.ts';
import type { FlowSummary } from './summarize.ts';
import { makeGrouper, parseNodeLabels } from './grouping.ts';
import type { EdgeGroup } from '../edgenetwork/types.ts';

const run = promisify(execFile);
const OBSERVE = join(ROOT, 'test', 'fixtures', 'observe');
const HUBBLE = join(FIXTURE_DIR, 'hubble-flows');
const FIXTURES = [
  ...readdirSync(HUBBLE)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(HUBBLE, f)),
  join(OBSERVE, 'flows-edge.jsonl'),
];

interface Independent {
  total: number;
  malformed: number;
  lostEvents: number;
  policyDenied: number;
  byVerdict: Record<string, number>;
  byDropReason: Record<string, number>;
  byNode: Record<string, number>;
  dnsQueries: number;
  dnsResponses: number;
  httpRequests: number;
  httpResponses: number;
}

async function viaJq(file: string): Promise<Independent> {
  const { stdout } = await run('jq', ['-R', '-s', '-c', '-f', join(OBSERVE, 'independent.jq'), file], {
    maxBuffer: 1 << 26,
  });
  return JSON.parse(stdout) as Independent;
}

const summarize = (file: string, opts = {}): Promise<FlowSummary> =>
  summarizeFlows(linesOf(createReadStream(file, { highWaterMark: 4096 })), { by: 'node', ...opts });
const sorted = (o: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('summarizeFlows matches an independent jq computation', () => {
  it.each(FIXTURES)('%s', async (file) => {
    const [s, j] = await Promise.all([summarize(file), viaJq(file)]);
    expect(j.total).toBeGreaterThan(0);
    expect(s.total).toBe(j.total);
    expect(s.malformed).toBe(j.malformed);
    expect(s.lostEvents).toBe(j.lostEvents);
    expect(sorted(s.byVerdict)).toEqual(sorted(j.byVerdict));
    expect(sorted(s.byDropReason)).toEqual(sorted(j.byDropReason));
    expect(sorted(Object.fromEntries(Object.entries(s.byGroup).map(([k, r]) => [k, r.total])))).toEqual(
      sorted(j.byNode),
    );
    expect(Object.values(s.byGroup).reduce((n, r) => n + r.policyDenied, 0)).toBe(j.policyDenied);
    expect(s.dns?.queries ?? 0).toBe(j.dnsQueries);
    expect(s.dns?.responses ?? 0).toBe(j.dnsResponses);
    expect(s.http?.requests ?? 0).toBe(j.httpRequests);
    expect(s.http?.responses ?? 0).toBe(j.httpResponses);
  });
});

describe('the edge fixture in detail (hand-counted)', () => {
  const file = join(OBSERVE, 'flows-edge.jsonl');
  const nodes = parseNodeLabels(readFileSync(join(OBSERVE, 'nodes.json'), 'utf8'), 'nodes.json');
  const groups = [
    { name: 'shop-floor', nodeSelector: { 'kec.kubeedge.io/group': 'shop-floor' } },
    { name: 'retail', nodeSelector: { site: 'retail' } },
  ] as unknown as EdgeGroup[];

  it('reports malformed lines with their line numbers and never stops', async () => {
    const s = await summarize(file);
    expect(s.malformed).toBe(5);
    expect(s.malformedLines.map((m) => m.line)).toEqual([11, 17, 25, 28, 31]);
    expect(s.malformedLines[0]!.error).toMatch(/^not JSON/);
    expect(s.total).toBe(27); // flows after every malformed line are still counted
  });

  it('groups nodes by the spec\'s node selectors (relay "cluster/node" names too)', async () => {
    const s = await summarize(file, { by: 'group', grouper: makeGrouper(groups, nodes) });
    expect(s.by).toBe('group');
    expect(s.grouping).toBe('spec+nodes');
    expect(Object.keys(s.byGroup)).toEqual(['shop-floor', 'retail', '(cloud)', '(node not in --nodes)']);
    expect(s.byGroup['shop-floor']).toMatchObject({ total: 14, dropped: 7, policyDenied: 6 });
    expect(s.byGroup['retail']).toMatchObject({ total: 8, dropped: 2, policyDenied: 1 });
    expect(s.byGroup['(cloud)']!.byVerdict).toEqual({ FORWARDED: 3, AUDIT: 1 });
  });

  it('groups by the default group label without a spec, per node without labels', async () => {
    const s = await summarize(file, { by: 'group', grouper: makeGrouper(undefined, nodes) });
    expect(s.byGroup['retail']!.total).toBe(6); // edge-retail-2 has no kec group label
    expect(s.byGroup['(edge, no group)']!.total).toBe(2);
    const none = await summarize(file, { by: 'group' });
    expect(none.by).toBe('node');
  });

  it('lists policy denies by source, destination, port and protocol, legacy numeric reasons included', async () => {
    const s = await summarize(file);
    expect(s.policyDenies).toEqual([
      {
        source: 'factory/sensor-7d9f-abcde',
        destination: 'store/api-66f-qwe34',
        port: 8080,
        protocol: 'TCP',
        count: 5,
      },
      { source: 'factory/sensor-7d9f-abcde', destination: 'reserved:world', port: 53, protocol: 'UDP', count: 1 },
      { source: 'store/identity:32001', destination: 'store/api-66f-qwe34', port: 8, protocol: 'ICMPv4', count: 1 },
    ]);
  });

  it('summarises DNS and HTTP', async () => {
    const s = await summarize(file);
    expect(s.dns).toMatchObject({
      queries: 2,
      responses: 2,
      byRcode: { NOERROR: 1, NXDOMAIN: 1 },
      topNxdomain: [{ query: 'payments.example.', count: 1 }],
    });
    expect(s.http).toMatchObject({
      requests: 1,
      responses: 1,
      byMethod: { POST: 1 },
      byStatus: { '500': 1 },
      meanLatencyMs: 2,
      topPaths: [{ path: 'api.store:8080/v1/sale', count: 1 }],
    });
  });

  it('breaks down by namespace and pod', async () => {
    const ns = await summarize(file, { by: 'namespace' });
    expect(ns.byGroup['factory']!.total).toBe(14);
    const pod = await summarize(file, { by: 'pod' });
    expect(pod.byGroup['factory/sensor-7d9f-abcde']!.dropped).toBe(7);
  });
});

describe('bounded memory', () => {
  it('streams a lazily generated input and caps distinct keys', async () => {
    async function* many(): AsyncGenerator<string> {
      for (let i = 0; i < 20_000; i++) {
        yield JSON.stringify({
          flow: {
            verdict: 'DROPPED',
            drop_reason_desc: 'POLICY_DENIED',
            l4: { TCP: { destination_port: i } },
            source: { namespace: 'a', pod_name: `p${i}` },
            destination: { namespace: 'b', pod_name: 'q' },
          },
          node_name: `n${i % 7}`,
        });
      }
    }
    const s = await summarizeFlows(many(), { maxKeys: 100, top: 3 });
    expect(s.total).toBe(20_000);
    expect(s.byDropReason).toEqual({ POLICY_DENIED: 20_000 });
    expect(s.policyDenies[0]).toMatchObject({ source: '(other)', count: 20_000 - 100 });
    expect(Object.keys(s.byGroup)).toHaveLength(7);
  });
});

// kec encryption on the harness: create-key → status → rotate-key with one edge node cut off
// mid-way → reconnect → the rotation completes; the key never appears in any output or in
// anything kec writes besides the Secret. The edge nodes are kwok's: "cut off" = its node
// heartbeat stops, so the real controller-manager turns it NotReady (docs/harness.md).
//
// No Cilium agent runs on the harness. This test plays the agents' part explicitly: after the
// Secret changes, it sets each online node's CiliumNode spec.encryption.key to the new key
// index, as an agent does once its key watcher has loaded the new key (Cilium
// pkg/k8s/apis/cilium.io/v2 NodeSpec.Encryption.Key). A disconnected node's "agent" does not
// move until its link is back.
// Edge nodes: kwok's site-a/site-b, not hollow KubeEdge nodes (docs/harness.md): the harness plays
// each agent's part (the CiliumNode key index) on the nodes, and the rotation cuts a node mid-way
// (setEdgeNodeConnected); no datapath runs on hollow nodes either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { connect } from '../../src/cluster/client.ts';
import type { Cluster, Obj } from '../../src/cluster/types.ts';
import type { EncryptionReport } from '../../src/cluster/encryption/evaluate.ts';
import type { RotateReport } from '../../src/cluster/encryption/rotate.ts';
import {
  cluster,
  edgeNodes,
  harness,
  kubeConfig,
  resetCluster,
  setEdgeNodeConnected,
  waitFor,
} from './harness/index.ts';
import { captureIo, createEdgeAgents } from './cluster-ops-fixtures.ts';

const h = harness();
const NS = 'kube-system';
const SECRET = { apiVersion: 'v1', kind: 'Secret', name: 'cilium-ipsec-keys', namespace: NS };

describe.skipIf(!h.available)('kec encryption (integration)', () => {
  let kubeconfig: string;
  let api: Cluster;
  const printed: string[] = [];

  async function kec(args: string[]): Promise<{ code: number; text: string }> {
    const io = captureIo();
    const code = await run(['encryption', ...args, '--kubeconfig', kubeconfig], io);
    const text = [...io.stdout, ...io.stderr].join('\n');
    printed.push(text);
    return { code, text };
  }
  const json = async <T>(args: string[]): Promise<{ code: number; data: T }> => {
    const r = await kec([...args, '-o', 'json']);
    return { code: r.code, data: JSON.parse(r.text.slice(r.text.indexOf('{'))) as T };
  };
  const nodeNames = async (): Promise<string[]> => (await api.list('v1', 'Node')).map((n) => n.metadata?.name ?? '');
  const ready = async (name: string): Promise<boolean> => {
    const n = await api.get({ apiVersion: 'v1', kind: 'Node', name });
    const c = ((n?.['status'] as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).find(
      (x) => x.type === 'Ready',
    );
    return c?.status === 'True';
  };
  /** Plays the agent of each node: it reports the key index it loaded on its CiliumNode. */
  async function agentsLoad(spi: number, names: string[]): Promise<void> {
    for (const name of names)
      await api.apply({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNode',
        metadata: { name },
        spec: { encryption: { key: spi } },
      } as Obj);
  }
  async function secretLine(): Promise<string> {
    const s = await api.get(SECRET);
    return Buffer.from(String((s?.['data'] as Record<string, string>)['keys']), 'base64').toString('utf8');
  }

  beforeAll(async () => {
    kubeconfig = cluster().kubeconfig;
    api = connect({ kubeconfig });
    await createEdgeAgents(kubeConfig(), ['site-a', 'site-b']);
    await api.delete(SECRET);
    await api.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', name: 'cilium-config', namespace: NS }, {
      data: { 'enable-ipsec': 'true', 'ipsec-key-file': '/etc/ipsec/keys', 'enable-ipsec-key-watcher': 'true' },
    } as Obj);
    await agentsLoad(0, await nodeNames()); // agents up, no key yet
  });
  afterAll(async () => {
    if (!h.available) return;
    for (const n of edgeNodes()) await setEdgeNodeConnected(n.name, true);
    await api.delete(SECRET);
    await resetCluster(cluster());
  });

  it(
    'create-key → status → rotate with an edge node cut off mid-way → reconnect → complete',
    { timeout: 300_000 },
    async () => {
      const all = await nodeNames();
      const cut = edgeNodes('site-b')[1]!.name;

      // create-key: once; a second time refuses (exit 1) and leaves the Secret alone.
      expect((await kec(['create-key'])).code).toBe(0);
      const key1 = await secretLine();
      expect(key1).toMatch(/^1\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);
      const again = await kec(['create-key']);
      expect(again.code).toBe(1);
      expect(again.text).toMatch(/already exists \(key 1\): not overwritten/);
      expect(await secretLine()).toBe(key1);

      // Before the agents load it: status fails (nodes on key 0 do not encrypt).
      expect((await json<EncryptionReport>(['status'])).code).toBe(1);
      await agentsLoad(1, all);
      const st = await json<EncryptionReport>(['status']);
      expect(st.data.failures).toEqual([]);
      expect(st.code).toBe(0);
      expect(st.data.ipsec?.secret.key).toEqual({ spi: 1, perTunnel: true, algorithm: 'rfc4106-gcm-aes-128' });
      expect(st.data.groups.map((g) => [g.name, g.counts.encrypting])).toEqual([
        ['site-a', 2],
        ['site-b', 2],
      ]);

      // rotate-key: the Secret moves to key 2; then one edge node is cut off before its agent loads it.
      const started = await json<RotateReport>(['rotate-key']);
      expect(started.data).toMatchObject({ run: 'started', fromSpi: 1, toSpi: 2, phase: 'secret-updated' });
      const key2 = await secretLine();
      expect(key2).toMatch(/^2\+ /);
      await setEdgeNodeConnected(cut, false);
      await waitFor(`${cut} not Ready`, async () => !(await ready(cut)), { timeoutMs: 120_000 });
      await agentsLoad(
        2,
        all.filter((n) => n !== cut),
      );
      const waiting = await json<RotateReport>(['rotate-key', '--wait', '--timeout', '20s']);
      expect(waiting.code).toBe(1);
      expect(waiting.data).toMatchObject({ run: 'resumed', toSpi: 2, offline: [cut], lagging: [] });
      expect(waiting.data.next).toMatch(/run kec encryption rotate-key again/);
      const mid = await json<EncryptionReport>(['status']);
      expect(mid.code).toBe(0); // an offline node cannot be updated now: reported, not a failure
      expect(mid.data.waitingForReconnect).toEqual([cut]);
      expect(mid.data.rotation).toMatchObject({ phase: 'secret-updated', fromSpi: 1, toSpi: 2, pending: [cut] });

      // Reconnect: the node's agent loads key 2; re-running finishes the rotation (no new one).
      await setEdgeNodeConnected(cut, true);
      await waitFor(`${cut} Ready`, () => ready(cut), { timeoutMs: 120_000 });
      await agentsLoad(2, [cut]);
      const done = await json<RotateReport>(['rotate-key', '--wait', '--timeout', '20s']);
      expect(done.data).toMatchObject({ run: 'resumed', phase: 'complete', toSpi: 2, ok: true });
      expect(done.code).toBe(0);
      expect(await secretLine()).toBe(key2);
      const human = await kec(['status']);
      expect(human.code).toBe(0);

      // The keys never appear in any output, nor in the kec-state record kec wrote.
      const state = await api.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'kec-state', namespace: NS });
      const written = JSON.stringify(state);
      expect(written).toMatch(/"phase\\":\s*\\"complete/);
      for (const line of [key1, key2]) {
        const hex = line.split(' ')[2]!;
        for (const secret of [hex, Buffer.from(line).toString('base64')]) {
          for (const text of printed) expect(text).not.toContain(secret);
          expect(written).not.toContain(secret);
        }
      }
    },
  );
});

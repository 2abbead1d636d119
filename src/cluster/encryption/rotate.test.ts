import { describe, expect, it } from 'vitest';
import type { Cluster, Obj } from '../types.ts';
import type { Io } from '../../output/io.ts';
import { palette } from '../../output/color.ts';
import { NOW, daemonSet, node } from '../snapshot/objects.testkit.ts';
import { STATE_NAME } from '../../names.ts';
import { encryptionConfigOf } from './config.ts';
import { evaluateEncryption } from './evaluate.ts';
import { ciliumConfig, ciliumNode, fakeApi, ipsecSecret } from './encryption.testkit.ts';
import type { FakeApi } from './encryption.testkit.ts';
import { newRecord, rotationAction, startBlockers } from './rotation-state.ts';
import { rotateKey } from './rotate.ts';
import type { RotateOptions } from './rotate.ts';
import { createKeyCommand, encryptionStatusCommand, rotateKeyCommand } from './run.ts';

const HOUR = 3_600_000;
const KEY3 = `3+ rfc4106(gcm(aes)) ${'11'.repeat(20)} 128`;
const groups = [{ name: 'site-a', nodeSelector: { 'kec.kubeedge.io/group': 'site-a' }, source: 'spec' as const }];
const nodes = (): Obj[] => [
  node('cloud-1'),
  node('edge-a-1', { edge: 'site-a' }),
  node('edge-a-2', { edge: 'site-a', ready: 'Unknown', heartbeatAgoMs: 10 * 60_000 }),
];

describe('status evaluation from CiliumNodes', () => {
  const ipsec = encryptionConfigOf({ 'enable-ipsec': 'true' });
  const base = { namespace: 'kube-system', nodes: nodes(), groups, now: NOW, offlineGraceMs: HOUR };
  const secret = {
    name: 'cilium-ipsec-keys',
    present: true,
    key: { spi: 4, perTunnel: true, algorithm: 'rfc4106-gcm-aes-128' },
  };

  it('IPsec: encrypting, old key online (warning), offline on the old key (waits for reconnect)', () => {
    const r = evaluateEncryption({
      ...base,
      config: ipsec,
      secret,
      ciliumNodes: [
        ciliumNode('cloud-1', { spi: 4 }),
        ciliumNode('edge-a-1', { spi: 3 }),
        ciliumNode('edge-a-2', { spi: 3 }),
      ],
    });
    expect(r.ok).toBe(true);
    expect(r.cloud.nodes[0]).toMatchObject({ encryption: 'encrypting', spi: 4 });
    expect(r.groups[0]!.nodes.map((n) => [n.name, n.encryption])).toEqual([
      ['edge-a-1', 'old-key'],
      ['edge-a-2', 'offline-old-key'],
    ]);
    expect(r.waitingForReconnect).toEqual(['edge-a-2']);
    expect(r.warnings.join()).toMatch(/edge-a-1 on key 3, Secret has 4/);
  });
  it('fails when an online node does not encrypt (key 0, no CiliumNode) or the Secret is missing', () => {
    const r = evaluateEncryption({
      ...base,
      config: ipsec,
      secret: { name: 'cilium-ipsec-keys', present: false },
      ciliumNodes: [ciliumNode('cloud-1', { spi: 0 })],
    });
    expect(r.ok).toBe(false);
    expect(r.failures[0]).toMatch(/Secret kube-system\/cilium-ipsec-keys not found/);
    expect(r.failures.join('\n')).toMatch(/cloud-1: spec.encryption.key is 0/);
    expect(r.failures.join('\n')).toMatch(/edge-a-1: no CiliumNode/);
    expect(r.failures.join('\n')).not.toMatch(/edge-a-2/); // offline: cannot be judged now
  });
  it('WireGuard: the public key annotation decides', () => {
    const r = evaluateEncryption({
      ...base,
      config: encryptionConfigOf({ 'enable-wireguard': 'true' }),
      ciliumNodes: [ciliumNode('cloud-1', { wgKey: true }), ciliumNode('edge-a-1'), ciliumNode('edge-a-2')],
    });
    expect(r.failures).toEqual([
      'group site-a: node edge-a-1: no network.cilium.io/wg-pub-key annotation: peers cannot encrypt to it',
    ]);
  });
});

describe('rotation state machine', () => {
  const rec = { ...newRecord(3, 4, 'rfc4106-gcm-aes-128', new Date(NOW)) };
  it('starts, writes the Secret, waits, or refuses a foreign change', () => {
    expect(rotationAction(undefined, 3)).toEqual({ do: 'start' });
    expect(rotationAction({ ...rec, phase: 'complete' }, 4)).toEqual({ do: 'start' });
    expect(rotationAction(rec, 3).do).toBe('write-secret');
    expect(rotationAction(rec, 4).do).toBe('wait');
    expect(rotationAction({ ...rec, phase: 'secret-updated' }, 4).do).toBe('wait');
    expect(rotationAction({ ...rec, phase: 'secret-updated' }, 7)).toMatchObject({ do: 'conflict' });
  });
  it('blocks a new rotation while a node is still on an older key', () => {
    expect(
      startBlockers(
        [
          { name: 'a', spi: 3 },
          { name: 'b', spi: 2 },
          { name: 'c', spi: 0 },
        ],
        3,
      ),
    ).toEqual(['node b is still on key 2 (the Secret has 3)']);
  });
});

function cluster(api: FakeApi): Cluster {
  const none = async (): Promise<never> => {
    throw new Error('not in the fake');
  };
  return {
    ...api,
    server: 'https://fake',
    context: 'fake',
    canI: async () => true,
    version: none,
    apiVersions: none,
    logs: none,
    exec: none,
  };
}

function capture(): Io & { text: () => string } {
  const lines: string[] = [];
  return {
    out: (t) => void lines.push(t),
    err: (t) => void lines.push(t),
    color: palette(false),
    cwd: '/',
    text: () => lines.join('\n'),
  };
}

function world(): FakeApi {
  return fakeApi([
    ciliumConfig({ 'enable-ipsec': 'true', 'ipsec-key-file': '/etc/ipsec/keys' }),
    ipsecSecret(KEY3),
    ...nodes(),
    daemonSet('cilium'),
    daemonSet('cilium-edge-site-a', { group: 'site-a' }),
    ciliumNode('cloud-1', { spi: 3 }),
    ciliumNode('edge-a-1', { spi: 3 }),
    ciliumNode('edge-a-2', { spi: 3 }),
  ]);
}

/** Plays the agents: every CiliumNode of an online node reports `spi` (as an agent does after loading the key). */
function agentsLoad(api: FakeApi, spi: number, only: string[]): void {
  for (const n of only) api.put(ciliumNode(n, { spi }));
}

const opts = (o: Partial<RotateOptions> = {}): RotateOptions => ({
  namespace: 'kube-system',
  groups,
  wait: false,
  timeoutMs: 1000,
  pollMs: 5,
  restart: 'auto',
  dryRun: false,
  force: false,
  offlineGraceMs: HOUR,
  now: () => NOW,
  ...o,
});

const secretLine = (api: FakeApi): string =>
  Buffer.from(
    String((api.objects.get('Secret/kube-system/cilium-ipsec-keys')!['data'] as Record<string, string>)['keys']),
    'base64',
  ).toString();

describe('rotate-key', () => {
  it('rotates 3 → 4, reports the offline node, and a re-run after it reconnects completes the rotation', async () => {
    const api = world();
    const first = await rotateKey(api, opts());
    expect(first).toMatchObject({ run: 'started', fromSpi: 3, toSpi: 4, phase: 'secret-updated', ok: false });
    expect(secretLine(api)).toMatch(/^4\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);
    agentsLoad(api, 4, ['cloud-1', 'edge-a-1']);
    const second = await rotateKey(api, opts());
    expect(second).toMatchObject({ run: 'resumed', toSpi: 4, offline: ['edge-a-2'], lagging: [], ok: false });
    expect(second.next).toMatch(/edge-a-2.*run kec encryption rotate-key again/s);
    // The node reconnects and its agent loads the key.
    api.put(node('edge-a-2', { edge: 'site-a' }));
    agentsLoad(api, 4, ['edge-a-2']);
    const third = await rotateKey(api, opts());
    expect(third).toMatchObject({ run: 'resumed', phase: 'complete', ok: true });
    // Only now does a new rotation start.
    expect((await rotateKey(api, opts())).toSpi).toBe(5);
  });

  it('resumes a rotation interrupted between the kec-state record and the Secret write', async () => {
    const api = world();
    api.failNext(/patch Secret/);
    await expect(rotateKey(api, opts())).rejects.toThrow(/simulated crash/);
    expect(secretLine(api)).toBe(KEY3);
    const state = JSON.parse(
      String((api.objects.get(`ConfigMap/kube-system/${STATE_NAME}`)!['data'] as Record<string, string>)['state.json']),
    );
    expect(state.encryptionRotation).toMatchObject({ phase: 'started', fromSpi: 3, toSpi: 4 });
    expect(JSON.stringify(state)).not.toMatch(/[0-9a-f]{40}/); // no key material in kec-state
    const again = await rotateKey(api, opts());
    expect(again).toMatchObject({ run: 'resumed', fromSpi: 3, toSpi: 4, phase: 'secret-updated' });
    expect(secretLine(api)).toMatch(/^4\+ /);
  });

  it('wraps 15 → 1, restarts groups when the key watcher is off, and waits with --wait', async () => {
    const api = world();
    api.put(ciliumConfig({ 'enable-ipsec': 'true', 'enable-ipsec-key-watcher': 'false' }));
    api.put(ipsecSecret(`15+ rfc4106(gcm(aes)) ${'22'.repeat(20)} 128`));
    for (const n of ['cloud-1', 'edge-a-1', 'edge-a-2']) api.put(ciliumNode(n, { spi: 15 }));
    const r = rotateKey(api, opts({ wait: true }));
    // The agents move shortly after the restart (this test plays them).
    setTimeout(() => agentsLoad(api, 1, ['cloud-1', 'edge-a-1']), 20);
    const done = await r;
    expect(done).toMatchObject({ fromSpi: 15, toSpi: 1, offline: ['edge-a-2'], lagging: [] });
    expect(done.groups.map((g) => [g.group, g.restarted])).toEqual([
      ['cloud', true],
      ['site-a', true],
    ]);
    expect(api.calls).toContain('patch DaemonSet/kube-system/cilium-edge-site-a');
  });

  it('refuses to start while a node is on an older key, and refuses a foreign Secret change', async () => {
    const api = world();
    api.put(ciliumNode('edge-a-2', { spi: 2 }));
    expect(await rotateKey(api, opts())).toMatchObject({ run: 'refused', ok: false });
    expect(secretLine(api)).toBe(KEY3);
  });

  it('never prints the key: -o json, human, --dry-run, create-key', async () => {
    const api = world();
    const io = capture();
    expect(
      await rotateKeyCommand(io, {
        format: 'json',
        connect: {},
        cluster: cluster(api),
        wait: false,
        timeoutSeconds: 1,
        restart: 'never',
        dryRun: true,
        force: false,
        now: () => NOW,
      }),
    ).toBe(0);
    expect(secretLine(api)).toBe(KEY3);
    await rotateKeyCommand(io, {
      format: 'human',
      connect: {},
      cluster: cluster(api),
      wait: false,
      timeoutSeconds: 1,
      restart: 'never',
      dryRun: false,
      force: false,
      now: () => NOW,
    });
    await rotateKeyCommand(io, {
      format: 'yaml',
      connect: {},
      cluster: cluster(api),
      wait: false,
      timeoutSeconds: 1,
      restart: 'never',
      dryRun: false,
      force: false,
      now: () => NOW,
    });
    await encryptionStatusCommand(io, { format: 'json', connect: {}, cluster: cluster(api), now: () => NOW });
    const line = secretLine(api);
    const hex = line.split(' ')[2]!;
    expect(io.text()).toMatch(/"toSpi": 4/);
    for (const secret of [hex, '11'.repeat(20), Buffer.from(line).toString('base64')])
      expect(io.text()).not.toContain(secret);
  });

  it('create-key creates once, refuses to overwrite, and prints only the SPI and algorithm', async () => {
    const api = fakeApi([ciliumConfig({ 'enable-ipsec': 'true' })]);
    const io = capture();
    const dry = await createKeyCommand(io, {
      format: 'json',
      connect: {},
      cluster: cluster(api),
      algorithm: 'rfc4106-gcm-aes-128',
      spi: 1,
      dryRun: true,
    });
    expect(dry).toBe(0);
    expect(api.objects.has('Secret/kube-system/cilium-ipsec-keys')).toBe(false);
    expect(
      await createKeyCommand(io, {
        format: 'json',
        connect: {},
        cluster: cluster(api),
        algorithm: 'rfc4106-gcm-aes-128',
        spi: 1,
        dryRun: false,
      }),
    ).toBe(0);
    const line = secretLine(api);
    expect(line).toMatch(/^1\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);
    expect(
      await createKeyCommand(io, {
        format: 'human',
        connect: {},
        cluster: cluster(api),
        algorithm: 'rfc4106-gcm-aes-128',
        spi: 1,
        dryRun: false,
      }),
    ).toBe(1);
    expect(secretLine(api)).toBe(line);
    expect(io.text()).toMatch(/already exists \(key 1\): not overwritten/);
    expect(io.text()).not.toContain(line.split(' ')[2]!);
    await expect(
      createKeyCommand(io, {
        format: 'json',
        connect: {},
        cluster: cluster(api),
        algorithm: 'aes',
        spi: 1,
        dryRun: true,
      }),
    ).rejects.toThrow(/--algorithm aes/);
  });
});

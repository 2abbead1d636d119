// kec encryption rotate-key: the next SPI (15 wraps to 1) with a fresh key, written to the
// Secret after the rotation is recorded in kec-state; then group by group (cloud first) the
// agents are restarted when they do not watch the key file, gated like `kec upgrade`, and kec
// waits for each online node's CiliumNode to report the new key index. Offline (autonomous)
// nodes cannot move now: they are reported, and re-running finishes the rotation.
import type { Obj, ObjectReader, ObjectWriter } from '../types.ts';
import { CHART_NAMES } from '../../knowledge/cilium.ts';
import { CILIUM_NODE } from '../../knowledge/encryption.ts';
import { ANNOTATIONS, edgeDaemonSetName } from '../../names.ts';
import { InputError } from '../../errors.ts';
import { collectState } from '../snapshot/collect.ts';
import type { GroupDef } from '../snapshot/state.ts';
import { waitGate } from '../upgrade/gate.ts';
import type { EncryptionConfig } from './config.ts';
import { encryptionConfigOf, keyOfSecret, readCiliumConfig, secretRef } from './config.ts';
import type { EncryptionGroup, EncryptionReport } from './evaluate.ts';
import { evaluateEncryption } from './evaluate.ts';
import type { IpsecKey } from './keys.ts';
import { generateKey, isIpsecAlgorithm, nextSpi, rotatedKey } from './keys.ts';
import type { RotationRecord } from './rotation-state.ts';
import { newRecord, RotationStore, rotationAction, startBlockers } from './rotation-state.ts';

export interface RotateOptions {
  namespace: string;
  groups?: GroupDef[];
  wait: boolean;
  timeoutMs: number;
  pollMs?: number;
  /** auto: restart agents only when the key watcher is off (cilium-config enable-ipsec-key-watcher). */
  restart: 'auto' | 'always' | 'never';
  dryRun: boolean;
  /** Start a new rotation even though nodes are not on the current key, or over a conflicting record. */
  force: boolean;
  algorithm?: string;
  offlineGraceMs: number;
  now?: () => number;
  random?: (n: number) => Buffer;
  onEvent?: (line: string) => void;
}

export interface GroupRotation {
  group: string;
  restarted: boolean;
  detail: string;
  moved: number;
  nodes: number;
  pending: string[];
}

export interface RotateReport {
  dryRun: boolean;
  /** started: a new rotation; resumed: a recorded one continued. */
  run: 'started' | 'resumed' | 'would-start' | 'refused';
  fromSpi: number;
  toSpi: number;
  algorithm: string;
  phase: RotationRecord['phase'] | 'not-started';
  groups: GroupRotation[];
  /** Online nodes that did not report the new key in time. */
  lagging: string[];
  /** Offline nodes still on the old key: they move when they reconnect. */
  offline: string[];
  next?: string;
  problems: string[];
  ok: boolean;
}

type Api = ObjectReader & ObjectWriter;

async function observe(api: Api, o: RotateOptions, config: EncryptionConfig, spi: number): Promise<EncryptionReport> {
  const now = o.now ?? Date.now;
  const [state, ciliumNodes] = await Promise.all([
    collectState(api, { namespace: o.namespace, ...(o.groups ? { groups: o.groups } : {}), now }),
    api.list(CILIUM_NODE.apiVersion, CILIUM_NODE.kind),
  ]);
  return evaluateEncryption({
    namespace: o.namespace,
    config,
    secret: { name: config.ipsec?.secretName ?? '', present: true, key: { spi, perTunnel: true, algorithm: '' } },
    nodes: state.nodes,
    ciliumNodes,
    groups: state.groups,
    now: now(),
    offlineGraceMs: o.offlineGraceMs,
  });
}

const allGroups = (r: EncryptionReport): EncryptionGroup[] => [r.cloud, ...r.groups];
const moved = (g: EncryptionGroup, spi: number): string[] => g.nodes.filter((n) => n.spi === spi).map((n) => n.name);

async function restartGroup(api: Api, o: RotateOptions, g: string): Promise<string> {
  const name = g === 'cloud' ? CHART_NAMES.agentDaemonSet : edgeDaemonSetName(g);
  const ref = { apiVersion: 'apps/v1', kind: 'DaemonSet', name, namespace: o.namespace };
  if (!(await api.get(ref))) return `DaemonSet ${name} not found: not restarted`;
  const at = new Date((o.now ?? Date.now)()).toISOString();
  await api.mergePatch(ref, {
    spec: { template: { metadata: { annotations: { [ANNOTATIONS.restartedAt]: at } } } },
  } as Obj);
  const gate = await waitGate(api, ref, o.timeoutMs, o.pollMs);
  return `DaemonSet ${name} restarted: ${gate.reason}`;
}

export async function rotateKey(api: Api, o: RotateOptions): Promise<RotateReport> {
  const say = o.onEvent ?? (() => {});
  const now = o.now ?? Date.now;
  const data = await readCiliumConfig(api, o.namespace);
  if (!data)
    throw new InputError(
      `ConfigMap ${o.namespace}/${CHART_NAMES.configMap} not found: is Cilium installed in ${o.namespace}?`,
    );
  const config = encryptionConfigOf(data);
  if (config.mode !== 'ipsec' || !config.ipsec)
    throw new InputError(
      `the deployed encryption is ${config.mode}, not ipsec: ${config.mode === 'wireguard' ? 'WireGuard agents rotate their own keys' : 'there is no IPsec key to rotate'}`,
    );
  const sRef = secretRef(o.namespace, config.ipsec.secretName);
  const secret = await api.get(sRef);
  if (!secret)
    throw new InputError(`Secret ${o.namespace}/${sRef.name} not found: create it with kec encryption create-key`);
  const current = keyOfSecret(secret, config.ipsec.keyFile).summary();
  const store = new RotationStore(api, o.namespace);
  const recorded = await store.load();
  let action = rotationAction(recorded, current.spi);
  if (action.do === 'conflict' && o.force) action = { do: 'start' };
  const report: RotateReport = {
    dryRun: o.dryRun,
    run: 'started',
    fromSpi: current.spi,
    toSpi: nextSpi(current.spi),
    algorithm: o.algorithm ?? current.algorithm,
    phase: 'not-started',
    groups: [],
    lagging: [],
    offline: [],
    problems: [],
    ok: false,
  };
  if (action.do === 'conflict') {
    report.run = 'refused';
    report.problems.push(action.reason);
    return report;
  }
  let record: RotationRecord;
  if (action.do === 'start') {
    const before = await observe(api, o, config, current.spi);
    const blockers = startBlockers(
      allGroups(before).flatMap((g) => g.nodes.map((n) => ({ name: n.name, spi: n.spi ?? 0 }))),
      current.spi,
    );
    if (blockers.length && !o.force) {
      report.run = 'refused';
      report.problems.push(...blockers);
      report.next = `a previous rotation has not finished on every node; reconnect them (or remove them) and run kec encryption status until every node is on key ${current.spi}, or pass --force`;
      return report;
    }
    if (o.dryRun) {
      report.run = 'would-start';
      report.groups = allGroups(before).map((g) => ({
        group: g.name,
        restarted: false,
        detail: `would wait for ${g.nodes.length} node(s) to report key ${report.toSpi}`,
        moved: 0,
        nodes: g.nodes.length,
        pending: g.nodes.map((n) => n.name),
      }));
      report.ok = true;
      return report;
    }
    record = newRecord(current.spi, report.toSpi, report.algorithm, new Date(now()));
    await store.save(record); // write-ahead: the rotation is recorded before the Secret changes
    action = { do: 'write-secret', record };
  } else {
    record = action.record;
    report.run = 'resumed';
    report.fromSpi = record.fromSpi;
    report.toSpi = record.toSpi;
    report.algorithm = record.algorithm;
  }
  if (o.dryRun) {
    report.phase = record.phase;
    report.next = `would continue the rotation to key ${record.toSpi} (${record.phase})`;
    report.ok = true;
    return report;
  }
  if (action.do === 'write-secret') {
    const algorithm = o.algorithm ?? record.algorithm;
    const key: IpsecKey =
      o.algorithm !== undefined && isIpsecAlgorithm(o.algorithm)
        ? generateKey(record.toSpi, o.algorithm, o.random)
        : rotatedKey({ ...current, algorithm }, o.random);
    say(`writing key ${record.toSpi} to Secret ${o.namespace}/${sRef.name}`);
    await api.mergePatch(sRef, {
      metadata: { resourceVersion: secret.metadata?.resourceVersion },
      data: { [config.ipsec.keyFile]: Buffer.from(key.secretValue(), 'utf8').toString('base64') },
    } as Obj);
    record.phase = 'secret-updated';
    await store.save(record);
  } else if (record.phase === 'started') record.phase = 'secret-updated'; // written, but the record was not
  report.phase = record.phase;

  // Group by group, cloud first: restart when needed, then wait for the nodes to report the key.
  const restart = o.restart === 'always' || (o.restart === 'auto' && !config.ipsec.keyWatcher);
  let view = await observe(api, o, config, record.toSpi);
  for (const name of [view.cloud.name, ...view.groups.map((g) => g.name)]) {
    const find = (): EncryptionGroup => allGroups(view).find((g) => g.name === name)!;
    let g = find();
    const online = g.nodes.filter((n) => !n.state.startsWith('offline'));
    let detail = '';
    let restarted = false;
    if (
      restart &&
      online.length &&
      !record.groupsRestarted.includes(name) &&
      moved(g, record.toSpi).length < g.nodes.length
    ) {
      say(`restarting the agents of ${name}`);
      detail = await restartGroup(api, o, name);
      restarted = true;
      record.groupsRestarted.push(name);
      await store.save(record);
    } else if (restart && !online.length) detail = 'every node offline: restart when the site reconnects';
    const deadline = now() + (o.wait ? o.timeoutMs : 0);
    for (;;) {
      const lag = online.filter((n) => !moved(g, record.toSpi).includes(n.name));
      if (!lag.length || now() >= deadline) break;
      say(`waiting for ${lag.length} node(s) of ${name} to report key ${record.toSpi}`);
      await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
      view = await observe(api, o, config, record.toSpi);
      g = find();
    }
    const done = moved(g, record.toSpi);
    const pending = g.nodes.filter((n) => !done.includes(n.name));
    if (!pending.length && !record.groupsDone.includes(name)) record.groupsDone.push(name);
    report.groups.push({
      group: name,
      restarted,
      detail:
        detail ||
        (pending.length
          ? `${pending.length} node(s) not on key ${record.toSpi} yet`
          : `every node on key ${record.toSpi}`),
      moved: done.length,
      nodes: g.nodes.length,
      pending: pending.map((n) => n.name),
    });
    for (const n of pending) (n.state.startsWith('offline') ? report.offline : report.lagging).push(n.name);
  }
  record.pending = [...report.lagging, ...report.offline];
  if (!record.pending.length) {
    record.phase = 'complete';
    record.completedAt = new Date(now()).toISOString();
  }
  await store.save(record);
  report.phase = record.phase;
  report.ok = record.phase === 'complete';
  if (!report.ok) report.next = nextStep(report, config);
  return report;
}

function nextStep(r: RotateReport, config: EncryptionConfig): string {
  const parts: string[] = [];
  if (r.offline.length)
    parts.push(
      `${r.offline.length} offline node(s) (${r.offline.join(', ')}) still use key ${r.fromSpi}; they load key ${r.toSpi} when they reconnect. Other nodes keep key ${r.fromSpi} for ipsec-key-rotation-duration (${config.ipsec?.rotationDuration ?? '5m'}) after loading key ${r.toSpi}, so traffic with a node that returns later is dropped until its agent loads the new key`,
    );
  if (r.lagging.length)
    parts.push(`online node(s) ${r.lagging.join(', ')} have not reported key ${r.toSpi} yet (is their agent running?)`);
  parts.push(
    `run kec encryption rotate-key${r.lagging.length ? ' --wait' : ''} again once they are back: it finishes this rotation (it does not start a new one until every node has moved)`,
  );
  return parts.join('; ');
}

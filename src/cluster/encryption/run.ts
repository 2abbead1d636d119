// kec encryption status | create-key | rotate-key: loaded lazily by the CLI.
import type { Io, OutputFormat } from '../../output/io.ts';
import type { ConnectOptions } from '../client.ts';
import type { Cluster, Obj, ObjectReader, ObjectWriter } from '../types.ts';
import { retrying } from '../retry.ts';
import { ApiError, isConflict } from '../errors.ts';
import { CheckFailedError, InputError, UsageError } from '../../errors.ts';
import { emit } from '../../output/emit.ts';
import { CILIUM_NODE, IPSEC, IPSEC_ALGORITHMS } from '../../knowledge/encryption.ts';
import { MANAGED_BY } from '../../names.ts';
import { collectState } from '../snapshot/collect.ts';
import { connectCluster, resolveTarget } from '../snapshot/target.ts';
import { DEFAULT_OFFLINE_GRACE_MS } from '../status/report.ts';
import { durationFlag } from '../../util/duration.ts';
import { encryptionConfigOf, readCiliumConfig, readKeySecret, secretRef } from './config.ts';
import type { EncryptionReport } from './evaluate.ts';
import { evaluateEncryption } from './evaluate.ts';
import { generateKey, isIpsecAlgorithm } from './keys.ts';
import { RotationStore } from './rotation-state.ts';
import { renderEncryptionStatus, renderRotate } from './render.ts';
import { rotateKey } from './rotate.ts';

interface Common {
  file?: string;
  namespace?: string;
  format: OutputFormat;
  connect: ConnectOptions;
  /** Tests inject a cluster. */
  cluster?: Cluster;
  now?: () => number;
}

export interface EncryptionStatusOptions extends Common {
  offlineGrace?: string;
}

async function setup(io: Io, o: Common) {
  const target = await resolveTarget(io, { file: o.file, namespace: o.namespace, connect: o.connect });
  const human = o.format === 'human';
  const api = retrying(o.cluster ?? (await connectCluster(o.connect)), {
    onRetry: (n, e) => {
      if (human) io.err(io.color.dim(`  retrying (${n}) after: ${(e as Error).message}`));
    },
  });
  return { target, api, human };
}

const apiFailure = (e: unknown): never => {
  if (e instanceof ApiError)
    throw new CheckFailedError(`API request failed${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
  throw e;
};

export async function encryptionReport(
  api: ObjectReader & ObjectWriter,
  o: {
    namespace: string;
    groups?: Parameters<typeof collectState>[1]['groups'];
    now: () => number;
    offlineGraceMs: number;
  },
): Promise<EncryptionReport> {
  const data = await readCiliumConfig(api, o.namespace);
  if (!data)
    throw new InputError(`ConfigMap ${o.namespace}/cilium-config not found: is Cilium installed in ${o.namespace}?`);
  const config = encryptionConfigOf(data);
  const [state, ciliumNodes, secret, rotation] = await Promise.all([
    collectState(api, { namespace: o.namespace, ...(o.groups ? { groups: o.groups } : {}), now: o.now }),
    api.list(CILIUM_NODE.apiVersion, CILIUM_NODE.kind),
    config.ipsec ? readKeySecret(api, o.namespace, config.ipsec.keyFile, config.ipsec.secretName) : undefined,
    new RotationStore(api, o.namespace).load(),
  ]);
  const report = evaluateEncryption({
    namespace: o.namespace,
    config,
    ...(secret ? { secret } : {}),
    ...(rotation ? { rotation } : {}),
    nodes: state.nodes,
    ciliumNodes,
    groups: state.groups,
    now: o.now(),
    offlineGraceMs: o.offlineGraceMs,
  });
  for (const e of state.errors) report.failures.push(`could not collect ${e.what}: ${e.error}`);
  report.ok = report.failures.length === 0;
  return report;
}

export async function encryptionStatusCommand(io: Io, o: EncryptionStatusOptions): Promise<number> {
  const offlineGraceMs =
    o.offlineGrace !== undefined
      ? durationFlag('--offline-grace', o.offlineGrace, { allowZero: true })
      : DEFAULT_OFFLINE_GRACE_MS;
  const { target, api } = await setup(io, o);
  const report = await encryptionReport(api, {
    namespace: target.namespace,
    ...(target.groups ? { groups: target.groups } : {}),
    now: o.now ?? Date.now,
    offlineGraceMs,
  }).catch(apiFailure);
  emit(io, o.format, report, () => renderEncryptionStatus(report, io.color));
  return report.ok ? 0 : 1;
}

export interface CreateKeyOptions extends Common {
  algorithm: string;
  spi: number;
  dryRun: boolean;
  random?: (n: number) => Buffer;
}

export async function createKeyCommand(io: Io, o: CreateKeyOptions): Promise<number> {
  if (!isIpsecAlgorithm(o.algorithm))
    throw new UsageError(`--algorithm ${o.algorithm}: expected one of ${Object.keys(IPSEC_ALGORITHMS).join(', ')}`);
  const algorithm = o.algorithm;
  const { target, api } = await setup(io, o);
  const ns = target.namespace;
  const data = await readCiliumConfig(api, ns).catch(apiFailure);
  const cfg = data ? encryptionConfigOf(data) : undefined;
  const name = cfg?.ipsec?.secretName ?? IPSEC.secretName;
  const keyFile = cfg?.ipsec?.keyFile ?? IPSEC.keyFile;
  const out = {
    secret: `${ns}/${name}`,
    dataKey: keyFile,
    dryRun: o.dryRun,
    created: false,
    key: { spi: o.spi, perTunnel: true, algorithm },
    notes: [] as string[],
  };
  if (cfg && cfg.mode !== 'ipsec')
    out.notes.push(
      `the deployed encryption is ${cfg.mode}: agents use this key once encryption.type=ipsec is deployed`,
    );
  const existing = await readKeySecret(api, ns, keyFile, name).catch(apiFailure);
  const refuse = (why: string): number => {
    out.notes.unshift(why);
    emit(io, o.format, out, () => io.color.red(`✗ ${out.notes.join('\n  ')}`));
    return 1;
  };
  const exists = (spi?: number): string =>
    `Secret ${ns}/${name} already exists${spi !== undefined ? ` (key ${spi})` : ''}: not overwritten; use kec encryption rotate-key to replace its key`;
  if (existing.present) return refuse(exists(existing.key?.spi));
  if (!o.dryRun) {
    // The key is generated only when it is written, and only its SPI and algorithm are printed.
    const key = generateKey(o.spi, algorithm, o.random);
    const secret: Obj = {
      ...secretRef(ns, name),
      metadata: { name, namespace: ns, labels: { ...MANAGED_BY } },
      type: 'Opaque',
      data: { [keyFile]: Buffer.from(key.secretValue(), 'utf8').toString('base64') },
    };
    try {
      await api.create(secret);
    } catch (e) {
      if (isConflict(e)) return refuse(exists());
      apiFailure(e);
    }
    out.created = true;
  }
  emit(io, o.format, out, () =>
    [
      o.dryRun
        ? `Would create Secret ${out.secret} (key ${o.spi}+ ${algorithm}, ${keyFile}: <redacted>). Dry run: nothing changed.`
        : io.color.green(
            `Created Secret ${out.secret}: key ${o.spi}+ ${algorithm} from the system CSPRNG (not shown).`,
          ),
      ...out.notes.map((n) => io.color.yellow(`note: ${n}`)),
    ].join('\n'),
  );
  return 0;
}

export interface RotateKeyOptions extends Common {
  wait: boolean;
  timeoutSeconds: number;
  restart: 'auto' | 'always' | 'never';
  dryRun: boolean;
  force: boolean;
  algorithm?: string;
  offlineGrace?: string;
  pollMs?: number;
  random?: (n: number) => Buffer;
}

export async function rotateKeyCommand(io: Io, o: RotateKeyOptions): Promise<number> {
  if (o.algorithm !== undefined && !isIpsecAlgorithm(o.algorithm))
    throw new UsageError(`--algorithm ${o.algorithm}: expected one of ${Object.keys(IPSEC_ALGORITHMS).join(', ')}`);
  const offlineGraceMs =
    o.offlineGrace !== undefined
      ? durationFlag('--offline-grace', o.offlineGrace, { allowZero: true })
      : DEFAULT_OFFLINE_GRACE_MS;
  const { target, api, human } = await setup(io, o);
  const report = await rotateKey(api, {
    namespace: target.namespace,
    ...(target.groups ? { groups: target.groups } : {}),
    wait: o.wait,
    timeoutMs: o.timeoutSeconds * 1000,
    restart: o.restart,
    dryRun: o.dryRun,
    force: o.force,
    offlineGraceMs,
    ...(o.algorithm !== undefined ? { algorithm: o.algorithm } : {}),
    ...(o.now ? { now: o.now } : {}),
    ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
    ...(o.random ? { random: o.random } : {}),
    ...(human ? { onEvent: (l: string) => io.err(io.color.dim(`  ${l}`)) } : {}),
  }).catch(apiFailure);
  emit(io, o.format, report, () => renderRotate(report, io.color));
  return report.ok ? 0 : 1;
}

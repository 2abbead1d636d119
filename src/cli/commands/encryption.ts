// kec encryption status | create-key | rotate-key: flags → src/cluster/encryption/run.ts.
import type { Registrar } from './index.ts';
import type { ClusterFlags } from './flags.ts';
import {
  addClusterFlags,
  connectOptions,
  defined,
  dryRunFlag,
  dryRunOption,
  formatOf,
  outputOption,
  secondsFlag,
} from './flags.ts';
import { UsageError } from '../../errors.ts';

interface Flags extends ClusterFlags {
  file?: string;
  output: string[];
  offlineGrace?: string;
}

interface CreateFlags extends Flags {
  algorithm: string;
  spi: string;
  dryRun?: string | boolean;
}

interface RotateFlags extends Flags {
  wait?: boolean;
  timeout: string;
  restart: string;
  algorithm?: string;
  force?: boolean;
  dryRun?: string | boolean;
}

const ALGORITHMS = 'rfc4106-gcm-aes-128 (default), rfc4106-gcm-aes-256, cbc-aes-sha256';

export const registerEncryption: Registrar = (program, io, setExit) => {
  const enc = program
    .command('encryption')
    .description('Transparent encryption (IPsec, WireGuard) across cloud and edge groups: status and IPsec keys');
  const common = (cmd: ReturnType<typeof enc.command>) =>
    addClusterFlags(
      cmd
        .option('-f, --file <spec>', 'EdgeNetwork spec: edge groups and namespaces (default: discovered from labels)')
        .addOption(outputOption()),
    );
  const base = (f: Flags) => ({
    format: formatOf(f.output),
    connect: connectOptions(f),
    ...defined({ file: f.file, namespace: f.namespace }),
  });

  common(
    enc
      .command('status')
      .description(
        'Encryption mode from cilium-config, the IPsec key Secret, and per group each node: encrypting, on an old key, offline (updated when it reconnects); exit 1 when a node that should encrypt does not',
      )
      .option(
        '--offline-grace <duration>',
        'an edge node offline longer than this counts as offline, not autonomous',
        '1h',
      ),
  ).action(async (f: Flags) => {
    const { encryptionStatusCommand } = await import('../../cluster/encryption/run.ts');
    setExit(await encryptionStatusCommand(io, { ...base(f), ...defined({ offlineGrace: f.offlineGrace }) }));
  });

  common(
    enc
      .command('create-key')
      .description(
        'Create the IPsec key Secret (cilium-ipsec-keys) with a key from the CSPRNG; never overwrites, never prints the key',
      )
      .option('--algorithm <name>', ALGORITHMS, 'rfc4106-gcm-aes-128')
      .option('--spi <n>', 'key index (SPI), 1..15', '1')
      .addOption(dryRunOption('report what would be created')),
  ).action(async (f: CreateFlags) => {
    if (!/^\d+$/.test(f.spi)) throw new UsageError(`--spi ${f.spi}: expected a whole number 1..15`);
    const { createKeyCommand } = await import('../../cluster/encryption/run.ts');
    setExit(
      await createKeyCommand(io, {
        ...base(f),
        algorithm: f.algorithm,
        spi: Number(f.spi),
        dryRun: dryRunFlag(f.dryRun),
      }),
    );
  });

  common(
    enc
      .command('rotate-key')
      .description(
        'Rotate the IPsec key: next SPI (15 wraps to 1), Secret updated, agents group by group (cloud first); offline edge nodes are reported and a re-run finishes the rotation',
      )
      .option('--wait', 'wait until every online node reports the new key')
      .option('--timeout <duration>', 'how long to wait per group (10m, 90s, or seconds)', '5m')
      .option('--restart <when>', 'restart agents: auto (only when the key watcher is off), always, never', 'auto')
      .option('--algorithm <name>', `algorithm of the new key (default: that of the current key): ${ALGORITHMS}`)
      .option('--force', 'start a new rotation although some nodes are not on the current key')
      .option(
        '--offline-grace <duration>',
        'an edge node offline longer than this counts as offline, not autonomous',
        '1h',
      )
      .addOption(dryRunOption('report what would be rotated')),
  ).action(async (f: RotateFlags) => {
    if (!['auto', 'always', 'never'].includes(f.restart))
      throw new UsageError(`--restart ${f.restart}: expected auto, always or never`);
    const timeoutSeconds = secondsFlag('--timeout', f.timeout);
    const { rotateKeyCommand } = await import('../../cluster/encryption/run.ts');
    setExit(
      await rotateKeyCommand(io, {
        ...base(f),
        wait: f.wait === true,
        timeoutSeconds,
        restart: f.restart as 'auto' | 'always' | 'never',
        dryRun: dryRunFlag(f.dryRun),
        force: f.force === true,
        ...defined({ algorithm: f.algorithm, offlineGrace: f.offlineGrace }),
      }),
    );
  });
};

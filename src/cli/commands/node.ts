// kec node preflight | metaserver check | prepare | configure | rollback — runs on the edge node itself.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Registrar } from './index.ts';
import { collect, defined, formatOf, outputOption } from './flags.ts';
import { emit } from '../../output/emit.ts';
import { durationFlag } from '../../util/duration.ts';
import type * as NodeLibModule from '../../node/lib.ts';

type NodeLib = typeof NodeLibModule;

/** The node library, loaded when a node command runs (kec starts faster for everything else). */
const lib = (): Promise<NodeLib> => import('../../node/lib.ts');

interface Common {
  output: string[];
  root?: string;
  backupDir?: string;
  dryRun?: boolean;
}

export const registerNode: Registrar = (program, io, setExit) => {
  const node = program
    .command('node')
    .description('On the edge node: check it for Cilium, prepare it, configure edgecore, roll back');

  node
    .command('preflight')
    .description(
      'Check kernel, eBPF, mounts, sysctls, resources, ports, MTU, CNI configs and edgecore.yaml (exit 1 if a check fails)',
    )
    .option('--cilium-version <v>', "Cilium release to check against (default: the plan's, else the newest kec knows)")
    .addOption(
      new Option(
        '--features <list>',
        'comma-separated: base,tunnel-vxlan,tunnel-geneve,l7-proxy,iptables-masquerade,ipsec,wireguard,bandwidth-manager,kube-proxy-replacement,host-routing,netkit,bigtcp (repeatable)',
      )
        .argParser(collect)
        .default([] as string[], "base,tunnel-vxlan, or the plan group's"),
    )
    .option('--plan <dir>', 'directory written by kec plan -d DIR (features, Cilium version, MTU, memory)')
    .option('--group <name>', 'edge group of this node in the plan')
    .option('--root <dir>', 'read every file under DIR instead of / (offline image inspection)')
    .option(
      '--kernel-config <file>',
      "kernel config to check (.config, defconfig or config.gz) instead of the running kernel's",
    )
    .option('--kernel-release <rel>', "kernel release to check (default: uname -r, or the config's header)")
    .option('--no-probe-cache', "run bpftool even if this boot's result is cached in /run/kec")
    .addOption(outputOption())
    .action(
      async (o: {
        output: string[];
        ciliumVersion?: string;
        features: string[];
        plan?: string;
        group?: string;
        root?: string;
        kernelConfig?: string;
        kernelRelease?: string;
        probeCache: boolean;
      }) => {
        const format = formatOf(o.output);
        const { preflight, renderPreflight } = await lib();
        const report = await preflight({
          features: o.features,
          probeCache: o.probeCache,
          ...defined({
            ciliumVersion: o.ciliumVersion,
            plan: o.plan,
            group: o.group,
            root: o.root,
            kernelConfig: o.kernelConfig,
            kernelRelease: o.kernelRelease,
          }),
        });
        emit(io, format, report, () => renderPreflight(report, io.color));
        setExit(report.ok ? 0 : 1);
      },
    );

  node
    .command('metaserver')
    .description("Check this node's MetaServer (the edge agent's API server)")
    .command('check')
    .description(
      'LIST and briefly WATCH every resource the Cilium agent needs through MetaServer (exit 1 if one fails)',
    )
    .option(
      '--metaserver <host:port>',
      "MetaServer's address (default: edgecore.yaml's metaServer.server, else 127.0.0.1:10550)",
    )
    .option('--root <dir>', 'read edgecore.yaml under DIR instead of /')
    .option(
      '--cilium-version <v>',
      "Cilium release whose agent to check for (default: the plan's, else the newest kec knows)",
    )
    .option('--plan <dir>', 'directory written by kec plan -o DIR (Cilium version)')
    .option('--group <name>', 'edge group of this node in the plan')
    .option('--timeout <duration>', 'deadline of each request (MetaServer may wait 10s for cloudcore)', '15s')
    .option('--watch-timeout <duration>', 'how long each watch stays open', '2s')
    .option('--strict', 'also fail on resources the agent watches only with a feature on (BGP, L2, egress gateway, …)')
    .addOption(outputOption())
    .action(
      async (o: {
        output: string[];
        metaserver?: string;
        root?: string;
        ciliumVersion?: string;
        plan?: string;
        group?: string;
        timeout: string;
        watchTimeout: string;
        strict?: boolean;
      }) => {
        const format = formatOf(o.output);
        const timeoutMs = durationFlag('--timeout', o.timeout);
        const watchTimeoutMs = durationFlag('--watch-timeout', o.watchTimeout);
        const { metaserverCheck } = await import('../../node/metaserver/run.ts');
        setExit(
          await metaserverCheck(io, {
            format,
            timeoutMs,
            watchTimeoutMs,
            strict: o.strict === true,
            ...defined({
              metaserver: o.metaserver,
              root: o.root,
              ciliumVersion: o.ciliumVersion,
              plan: o.plan,
              group: o.group,
            }),
          }),
        );
      },
    );

  const mutating = (cmd: Command): Command =>
    cmd
      .option('--root <dir>', 'change files under DIR instead of / (an image, a test tree)')
      .option('--backup-dir <dir>', 'journal of backups (default /var/lib/kec/backups under the root)')
      .option('--dry-run', 'show the changes as a diff; write nothing')
      .addOption(outputOption());

  mutating(
    node
      .command('prepare')
      .description(
        "Back up and disable other CNIs' configs, persist and mount bpffs, turn rp_filter off (journalled, idempotent)",
      ),
  ).action(async (o: Common) => {
    const format = formatOf(o.output);
    const { FsRoot, prepare, renderChanges } = await lib();
    const fs = new FsRoot(o.root ?? '/');
    const r = await prepare(fs, { dryRun: o.dryRun === true, ...defined({ backupDir: o.backupDir }) });
    emit(io, format, r, () => renderChanges(r, io.color));
    setExit(r.actions.some((a) => a.status === 'failed') ? 1 : 0);
  });

  mutating(
    node
      .command('configure')
      .description(
        'Merge the edgecore patch (metaServer, edgeStream, clusterDNS) into edgecore.yaml; restart edgecore if it changed',
      )
      .option('--patch <file>', 'edgecore patch YAML (edge/<group>/edgecore-patch.yaml of a plan)')
      .option('--plan <dir>', 'directory written by kec plan -d DIR')
      .option('--group <name>', 'edge group of this node in the plan')
      .option('--no-restart', 'do not restart edgecore'),
  ).action(async (o: Common & { patch?: string; plan?: string; group?: string; restart: boolean }) => {
    const format = formatOf(o.output);
    const { FsRoot, configure, renderChanges } = await lib();
    const fs = new FsRoot(o.root ?? '/');
    const r = await configure(fs, {
      dryRun: o.dryRun === true,
      noRestart: !o.restart,
      ...defined({ patch: o.patch, plan: o.plan, group: o.group, backupDir: o.backupDir }),
    });
    emit(io, format, r, () => renderChanges(r, io.color));
    setExit(r.actions.some((a) => a.status === 'failed') ? 1 : 0);
  });

  mutating(
    node
      .command('rollback')
      .description('Restore what kec node changed: the last transaction, or every one from --to ID on')
      .option('--to <id>', 'undo this transaction and every later one')
      .option('--list', 'list the transactions in the journal')
      .option('--force', 'restore even files changed since kec changed them'),
  ).action(async (o: Common & { to?: string; list?: boolean; force?: boolean }) => {
    const format = formatOf(o.output);
    const { FsRoot, journalDir, listTransactions, renderTransactions, requireRoot, rollback, renderRollback } =
      await lib();
    const fs = new FsRoot(o.root ?? '/');
    const journal = journalDir(fs, o.backupDir);
    if (o.list) {
      const list = listTransactions(journal);
      emit(io, format, { journal, transactions: list }, () => renderTransactions(list));
      return;
    }
    requireRoot(fs, o.dryRun === true, 'rollback');
    const r = rollback(fs, journal, { force: o.force === true, dryRun: o.dryRun === true, ...defined({ to: o.to }) });
    emit(io, format, r, () => renderRollback(r, io.color));
  });
};

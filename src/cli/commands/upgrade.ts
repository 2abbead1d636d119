// kec upgrade: flags → src/cluster/upgrade/run.ts.
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
import { parseVersion } from '../../util/version.ts';

interface UpgradeFlags extends ClusterFlags {
  file: string;
  to: string;
  canary?: string;
  autoRollback?: boolean;
  allowRemovedValues?: boolean;
  output: string[];
  helm: string;
  skipHelm?: boolean;
  chart?: string;
  dryRun?: string | boolean;
  timeout: string;
}

export const registerUpgrade: Registrar = (program, io, setExit) => {
  addClusterFlags(
    program
      .command('upgrade')
      .description(
        'Upgrade Cilium: the cloud release, then edge groups one at a time (canary first), each gated on its rollout',
      )
      .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML) of the running installation')
      .requiredOption('--to <version>', 'target Cilium version, e.g. 1.19.6')
      .option('--canary <group>', 'edge group to upgrade first')
      .option('--auto-rollback', 'when a gate fails, also roll the Helm release back to its previous revision')
      .option('--allow-removed-values', 'upgrade even when deployed values do not exist in the target chart')
      .option('--helm <path>', 'helm binary', 'helm')
      .option('--skip-helm', 'do not touch the Helm release; edge DaemonSets follow the live cilium DaemonSet')
      .option('--chart <ref>', 'Cilium chart reference (default: spec.cilium.chart)')
      .addOption(dryRunOption('report what would be upgraded'))
      .option('--timeout <duration>', 'gate timeout per step (10m, 90s, or seconds)', '10m')
      .addOption(outputOption()),
  ).action(async (f: UpgradeFlags) => {
    if (!parseVersion(f.to)) throw new UsageError(`--to ${f.to}: expected a version such as 1.19.6`);
    const timeoutSeconds = secondsFlag('--timeout', f.timeout);
    const { upgradeCommand } = await import('../../cluster/upgrade/run.ts');
    setExit(
      await upgradeCommand(io, {
        file: f.file,
        to: f.to.replace(/^v/, ''),
        autoRollback: f.autoRollback === true,
        allowRemovedValues: f.allowRemovedValues === true,
        format: formatOf(f.output),
        connect: connectOptions(f),
        helm: f.helm,
        skipHelm: f.skipHelm === true,
        dryRun: dryRunFlag(f.dryRun),
        timeoutSeconds,
        ...defined({ canary: f.canary, chart: f.chart }),
      }),
    );
  });
};

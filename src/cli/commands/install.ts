// kec install / kec uninstall wiring; the domain code is imported when the command runs.
import type { Command } from 'commander';
import type { Io } from '../io.ts';
import { outputOption, parseOutputs } from '../io.ts';
import type { SetExit } from './index.ts';
import type { ClusterFlags } from '../cluster-flags.ts';
import { addClusterFlags, connectOptions, secondsFlag } from '../cluster-flags.ts';

interface InstallFlags extends ClusterFlags {
  file: string;
  output: string[];
  helm: string;
  skipHelm?: boolean;
  chart?: string;
  chartVersion?: string;
  dryRun?: boolean;
  wait?: boolean;
  timeout: string;
}

export function registerInstall(program: Command, io: Io, setExit: SetExit): void {
  addClusterFlags(program.command('install')
    .description('Install Cilium for KubeEdge: Helm release, RBAC, cloudcore, edge DaemonSets (recorded for uninstall)')
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .option('--helm <path>', 'helm binary', 'helm')
    .option('--skip-helm', 'do not run Helm (the Cilium release is managed elsewhere)')
    .option('--chart <ref>', 'Cilium chart reference (default: spec.cilium.chart)')
    .option('--chart-version <v>', 'chart version (default: spec.cilium.version)')
    .option('--dry-run', 'show what would change, per object, without changing anything')
    .option('--wait', 'wait for the edge DaemonSets to roll out')
    .option('--timeout <seconds>', 'how long --wait and Helm may take', '600')
    .addOption(outputOption(false)))
    .action(async (f: InstallFlags) => {
      const { installCommand } = await import('../../cluster/install/command.ts');
      setExit(await installCommand(io, {
        file: f.file,
        format: parseOutputs(f.output, false).format,
        connect: connectOptions(f),
        helm: f.helm,
        skipHelm: f.skipHelm === true,
        ...(f.chart !== undefined ? { chart: f.chart } : {}),
        ...(f.chartVersion !== undefined ? { chartVersion: f.chartVersion } : {}),
        dryRun: f.dryRun === true,
        wait: f.wait === true,
        timeoutSeconds: secondsFlag('--timeout', f.timeout),
      }));
    });

  addClusterFlags(program.command('uninstall')
    .description('Undo kec install exactly, from its kec-state record')
    .option('--helm <path>', 'helm binary', 'helm')
    .option('--skip-helm', 'leave the Helm release as it is')
    .option('--dry-run', 'show what would be restored')
    .addOption(outputOption(false)))
    .action(async (f: ClusterFlags & { output: string[]; helm: string; skipHelm?: boolean; dryRun?: boolean }) => {
      const { uninstallCommand } = await import('../../cluster/install/command.ts');
      setExit(await uninstallCommand(io, {
        namespace: f.namespace ?? 'kube-system',
        format: parseOutputs(f.output, false).format,
        connect: connectOptions(f),
        helm: f.helm,
        skipHelm: f.skipHelm === true,
        dryRun: f.dryRun === true,
      }));
    });
}

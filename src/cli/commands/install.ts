// kec install / kec uninstall: flags → src/cluster/install/run.ts.
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

interface InstallFlags extends ClusterFlags {
  file: string;
  output: string[];
  helm: string;
  skipHelm?: boolean;
  chart?: string;
  chartVersion?: string;
  dryRun?: string | boolean;
  wait?: boolean;
  timeout: string;
}

export const registerInstall: Registrar = (program, io, setExit) => {
  addClusterFlags(
    program
      .command('install')
      .description(
        'Install Cilium for KubeEdge: Helm release, RBAC, cloudcore, edge DaemonSets (recorded for uninstall)',
      )
      .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
      .option('--helm <path>', 'helm binary', 'helm')
      .option('--skip-helm', 'do not run Helm (the Cilium release is managed elsewhere)')
      .option('--chart <ref>', 'Cilium chart reference (default: spec.cilium.chart)')
      .option('--chart-version <v>', 'chart version (default: spec.cilium.version)')
      .addOption(dryRunOption('show what would change, per object, without changing anything'))
      .option('--wait', 'wait for the edge DaemonSets to roll out')
      .option('--timeout <duration>', 'how long --wait and Helm may take (10m, 90s, or seconds)', '10m')
      .addOption(outputOption()),
  ).action(async (f: InstallFlags) => {
    const { installCommand } = await import('../../cluster/install/run.ts');
    setExit(
      await installCommand(io, {
        file: f.file,
        format: formatOf(f.output),
        connect: connectOptions(f),
        helm: f.helm,
        skipHelm: f.skipHelm === true,
        dryRun: dryRunFlag(f.dryRun),
        wait: f.wait === true,
        timeoutSeconds: secondsFlag('--timeout', f.timeout),
        ...defined({ chart: f.chart, chartVersion: f.chartVersion }),
      }),
    );
  });

  addClusterFlags(
    program
      .command('uninstall')
      .description('Undo kec install exactly, from its kec-state record')
      .option('--helm <path>', 'helm binary', 'helm')
      .option('--skip-helm', 'leave the Helm release as it is')
      .addOption(dryRunOption('show what would be restored'))
      .option('--wait', 'wait until removed objects are gone and restored DaemonSets have rolled out')
      .option('--timeout <duration>', 'how long --wait waits (10m, 90s, or seconds)', '10m')
      .addOption(outputOption()),
  ).action(
    async (
      f: ClusterFlags & {
        output: string[];
        helm: string;
        skipHelm?: boolean;
        dryRun?: string | boolean;
        wait?: boolean;
        timeout: string;
      },
    ) => {
      const { uninstallCommand } = await import('../../cluster/install/run.ts');
      setExit(
        await uninstallCommand(io, {
          namespace: f.namespace ?? 'kube-system',
          format: formatOf(f.output),
          connect: connectOptions(f),
          helm: f.helm,
          skipHelm: f.skipHelm === true,
          dryRun: dryRunFlag(f.dryRun),
          waitMs: f.wait === true ? secondsFlag('--timeout', f.timeout) * 1000 : undefined,
        }),
      );
    },
  );
};

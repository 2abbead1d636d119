// kec monitoring rules -f SPEC [-o json|yaml|FILE]
import type { Registrar } from './index.ts';
import { collect } from './flags.ts';

export const registerMonitoring: Registrar = (program, io, setExit) => {
  const monitoring = program.command('monitoring').description('Prometheus alerting for Cilium on a KubeEdge fleet');
  monitoring
    .command('rules')
    .description(
      "Write a PrometheusRule (monitoring.coreos.com/v1) with alerts per edge group for the spec's Cilium version",
    )
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .option(
      '-o, --output <format|file>',
      'json or yaml on stdout (default yaml), or a file to write',
      collect,
      [] as string[],
    )
    .action(async (o: { file: string; output: string[] }) => {
      const { monitoringRulesCommand } = await import('../../monitoring/run.ts');
      setExit(await monitoringRulesCommand(io, { file: o.file, output: o.output }));
    });
};

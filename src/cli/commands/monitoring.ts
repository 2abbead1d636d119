// kec monitoring rules -f SPEC [--format prometheus-rule|rule-file] [-o json|yaml|FILE]
import type { Registrar } from './index.ts';
import { Option } from 'commander';
import { collect } from './flags.ts';

export const registerMonitoring: Registrar = (program, io, setExit) => {
  const monitoring = program.command('monitoring').description('Prometheus alerting for Cilium on a KubeEdge fleet');
  monitoring
    .command('rules')
    .description(
      "Write a PrometheusRule (monitoring.coreos.com/v1), or a plain Prometheus rule file, with alerts per edge group for the spec's Cilium version",
    )
    .requiredOption('-f, --file <spec>', 'EdgeNetwork spec (YAML)')
    .option(
      '-o, --output <format|file>',
      'json or yaml on stdout (default yaml), or a file to write',
      collect,
      [] as string[],
    )
    .addOption(
      new Option(
        '--format <kind>',
        'prometheus-rule: a PrometheusRule resource; rule-file: a plain Prometheus rule file (rule_files, promtool)',
      )
        .choices(['prometheus-rule', 'rule-file'])
        .default('prometheus-rule'),
    )
    .action(async (o: { file: string; output: string[]; format: 'prometheus-rule' | 'rule-file' }) => {
      const { monitoringRulesCommand } = await import('../../monitoring/run.ts');
      setExit(await monitoringRulesCommand(io, { file: o.file, output: o.output, format: o.format }));
    });
};

// kec policy check | trace | matrix | diff: flags → options → src/policy/run.ts.
import type { Command } from 'commander';
import type { Registrar } from './index.ts';
import { collect, formatOf, outputOption } from './flags.ts';
import type { OutputFormat } from '../../output/io.ts';
import type * as PolicyRun from '../../policy/run.ts';

interface FlowFlags {
  policy: string[];
  inventory: string[];
  port?: string;
  protocol?: string;
  output: string[];
}

const run = (): Promise<typeof PolicyRun> => import('../../policy/run.ts');

const policyOption = (cmd: Command, what = 'policy file or directory (repeatable)'): Command =>
  cmd.option('-p, --policy <path>', what, collect, [] as string[]);
const inventoryOption = (cmd: Command, what = 'inventory file (repeatable)'): Command =>
  cmd.option('-i, --inventory <path>', what, collect, [] as string[]);

export const registerPolicy: Registrar = (program, io, setExit) => {
  const policy = program
    .command('policy')
    .description('Check and evaluate NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy offline');

  policy
    .command('check')
    .description('Validate policy files or directories (exit 1 on validation errors)')
    .argument('<paths...>', 'YAML/JSON files or directories')
    .addOption(outputOption())
    .action(async (paths: string[], o: { output: string[] }) => {
      setExit(await (await run()).policyCheck(io, paths, formatOf(o.output)));
    });

  inventoryOption(
    policyOption(
      policy
        .command('trace')
        .description('Explain whether one flow is allowed, and by which rules (exit 0 whatever the verdict)'),
    ),
    'inventory: kubectl get ns,pods -A -o yaml (+ nodes, ExternalCIDRs) (repeatable)',
  )
    .requiredOption('--from <endpoint>', 'ns/pod, node:NAME, cidr:IP or entity:NAME')
    .requiredOption('--to <endpoint>', 'ns/pod, node:NAME, cidr:IP or entity:NAME')
    .option('--port <n>', 'destination port (ICMP: the type)')
    .option('--protocol <p>', 'TCP, UDP, SCTP or ICMP', 'TCP')
    .option('--http-method <m>', 'HTTP method to check against L7 rules')
    .option('--http-path <p>', 'HTTP path to check against L7 rules')
    .option('--http-host <h>', 'HTTP host to check against L7 rules')
    .addOption(outputOption())
    .action(
      async (
        o: FlowFlags & { from: string; to: string; httpMethod?: string; httpPath?: string; httpHost?: string },
      ) => {
        setExit(
          await (
            await run()
          ).policyTrace(io, {
            policy: o.policy,
            inventory: o.inventory,
            from: o.from,
            to: o.to,
            port: o.port,
            protocol: o.protocol,
            http: { method: o.httpMethod, path: o.httpPath, host: o.httpHost },
            format: formatOf(o.output),
          }),
        );
      },
    );

  inventoryOption(
    policyOption(
      policy
        .command('matrix')
        .description('Allowed/denied grid for every pair of pods (and inventory external CIDRs) on one port'),
    ),
  )
    .option('--port <n>', 'destination port (ICMP: the type)')
    .option('--protocol <p>', 'TCP, UDP, SCTP or ICMP', 'TCP')
    .addOption(outputOption().default([] as string[], 'human-readable; also csv'))
    .action(async (o: FlowFlags) => {
      const format: OutputFormat | 'csv' = o.output.includes('csv') ? 'csv' : formatOf(o.output);
      setExit(
        await (
          await run()
        ).policyMatrix(io, { policy: o.policy, inventory: o.inventory, port: o.port, protocol: o.protocol, format }),
      );
    });

  inventoryOption(
    policyOption(
      policy
        .command('diff')
        .description(
          'Flows whose verdict changes from the OLD policy set to the NEW one (exit 1 when any changes, like diff)',
        ),
      'OLD policy file or directory (repeatable)',
    ).option('-q, --new-policy <path>', 'NEW policy file or directory (repeatable)', collect, [] as string[]),
  )
    .option(
      '--port <n>',
      'only this port (default: every container port, every port named in either set, and one port named nowhere)',
    )
    .option('--protocol <p>', 'protocol for --port (default TCP); without --port, probe only ports of this protocol')
    .addOption(outputOption())
    .action(async (o: FlowFlags & { newPolicy: string[] }) => {
      setExit(
        await (
          await run()
        ).policyDiff(io, {
          policy: o.policy,
          newPolicy: o.newPolicy,
          inventory: o.inventory,
          port: o.port,
          protocol: o.protocol,
          format: formatOf(o.output),
        }),
      );
    });
};

// kec policy check | trace | matrix | diff: wiring only; the engine is src/policy.
import type { Command } from 'commander';
import type { Io } from '../io.ts';
import { collect, outputOption, parseOutputs } from '../io.ts';
import type { Registrar, SetExit } from './index.ts';
import { UsageError } from '../../errors.ts';
import { formatDiagnostic } from '../../spec/diagnostics.ts';
import { toYaml } from '../../output/yaml.ts';
import { checkPolicies, loadPolicies } from '../../policy/api.ts';
import { loadInventory } from '../../policy/inventory.ts';
import { externalEndpoints, podEndpoints, resolveEndpoint } from '../../policy/endpoints.ts';
import type { Query } from '../../policy/evaluate.ts';
import { evaluateFlow } from '../../policy/evaluate.ts';
import { compileMatrix } from '../../policy/compile.ts';
import { diffMatrices, matrixCsv, matrixData, matrixGrid, probePorts } from '../../policy/report.ts';
import { traceText } from '../../policy/trace-text.ts';
import type { FlowL4 } from '../../policy/match.ts';
import type { FlowProto } from '../../policy/types.ts';
import type { FileDiagnostic } from '../../policy/load.ts';

type Fmt = 'human' | 'json' | 'yaml' | 'csv';

function format(values: string[], csv: boolean): Fmt {
  if (csv && values.includes('csv')) return 'csv';
  return parseOutputs(values, false).format;
}

function emit(io: Io, fmt: Fmt, data: unknown): void {
  io.out(fmt === 'yaml' ? toYaml(data) : JSON.stringify(data, null, 2));
}

function warnings(io: Io, ws: FileDiagnostic[]): void {
  for (const w of ws) io.err(io.color.yellow(formatDiagnostic(w, w.file)));
}

function need(list: string[], flag: string): string[] {
  if (list.length === 0) throw new UsageError(`${flag} is required`);
  return list;
}

export function parseFlow(port: string | undefined, protocol: string | undefined): FlowL4 {
  const proto = (protocol ?? 'TCP').toUpperCase();
  if (!['TCP', 'UDP', 'SCTP', 'ICMP'].includes(proto)) throw new UsageError(`--protocol ${protocol}: expected TCP, UDP, SCTP or ICMP`);
  if (port === undefined) throw new UsageError('--port is required (for ICMP: the ICMP type, e.g. 8 for echo request)');
  if (!/^\d+$/.test(port) || Number(port) > 65535 || (proto !== 'ICMP' && Number(port) < 1) || (proto === 'ICMP' && Number(port) > 255)) {
    throw new UsageError(`--port ${port}: expected ${proto === 'ICMP' ? 'an ICMP type 0-255' : 'a port number 1-65535'}`);
  }
  return { port: Number(port), protocol: proto as FlowProto };
}

interface FlowOpts { policy: string[]; inventory: string[]; port?: string; protocol?: string; output: string[] }

export const registerPolicy: Registrar = (program: Command, io: Io, setExit: SetExit) => {
  const policy = program.command('policy').description('Check and evaluate NetworkPolicy, CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy offline');

  policy.command('check')
    .description('Validate policy files or directories (exit 1 on validation errors)')
    .argument('<paths...>', 'YAML/JSON files or directories')
    .addOption(outputOption(false))
    .action(async (paths: string[], o: { output: string[] }) => {
      const fmt = format(o.output, false);
      const r = await checkPolicies(paths);
      const ok = r.errors.length === 0;
      if (fmt !== 'human') {
        emit(io, fmt, { valid: ok, files: r.files, policies: r.policies.map((p) => ({ kind: p.kind, name: p.name, ...(p.namespace !== undefined ? { namespace: p.namespace } : {}), file: p.file })), errors: r.errors, warnings: r.warnings });
      } else {
        warnings(io, r.warnings);
        for (const e of r.errors) io.err(io.color.red(formatDiagnostic(e, e.file)));
        const summary = `${r.policies.length} polic${r.policies.length === 1 ? 'y' : 'ies'} in ${r.files.length} file${r.files.length === 1 ? '' : 's'}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}, ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}`;
        io.out(ok ? `${io.color.green('valid')}: ${summary}` : `${io.color.red('invalid')}: ${summary}`);
      }
      setExit(ok ? 0 : 1);
    });

  policy.command('trace')
    .description('Explain whether one flow is allowed, and by which rules (exit 0 whatever the verdict)')
    .option('-p, --policy <path>', 'policy file or directory (repeatable)', collect, [] as string[])
    .option('-i, --inventory <path>', 'inventory: kubectl get ns,pods -A -o yaml (+ nodes, ExternalCIDRs) (repeatable)', collect, [] as string[])
    .requiredOption('--from <endpoint>', 'ns/pod, node:NAME, cidr:IP or entity:NAME')
    .requiredOption('--to <endpoint>', 'ns/pod, node:NAME, cidr:IP or entity:NAME')
    .option('--port <n>', 'destination port (ICMP: the type)')
    .option('--protocol <p>', 'TCP, UDP, SCTP or ICMP', 'TCP')
    .option('--http-method <m>', 'HTTP method to check against L7 rules')
    .option('--http-path <p>', 'HTTP path to check against L7 rules')
    .option('--http-host <h>', 'HTTP host to check against L7 rules')
    .addOption(outputOption(false))
    .action(async (o: FlowOpts & { from: string; to: string; httpMethod?: string; httpPath?: string; httpHost?: string }) => {
      const fmt = format(o.output, false);
      const q: Query = parseFlow(o.port, o.protocol);
      if (o.httpMethod !== undefined || o.httpPath !== undefined || o.httpHost !== undefined) {
        if (q.protocol !== 'TCP') throw new UsageError('--http-* needs --protocol TCP');
        q.http = { method: o.httpMethod ?? 'GET', path: o.httpPath ?? '/', ...(o.httpHost !== undefined ? { host: o.httpHost } : {}) };
      }
      const pols = await loadPolicies(need(o.policy, '-p/--policy'));
      const inv = await loadInventory(need(o.inventory, '-i/--inventory'));
      const pods = podEndpoints(inv);
      const nodeOf = (t: string): string | undefined => pods.find((p) => p.id === t)?.node;
      const src = resolveEndpoint(o.from, inv, pods, nodeOf(o.to));
      const dst = resolveEndpoint(o.to, inv, pods, nodeOf(o.from) ?? src.node);
      const v = evaluateFlow(pols.sets, src, dst, q);
      warnings(io, [...pols.warnings, ...inv.warnings]);
      if (fmt !== 'human') emit(io, fmt, { from: src.id, to: dst.id, port: q.port, protocol: q.protocol, ...(q.http ? { http: q.http } : {}), ...v });
      else io.out(traceText(src, dst, q, v, io.color));
      setExit(0);
    });

  policy.command('matrix')
    .description('Allowed/denied grid for every pair of pods (and inventory external CIDRs) on one port')
    .option('-p, --policy <path>', 'policy file or directory (repeatable)', collect, [] as string[])
    .option('-i, --inventory <path>', 'inventory file (repeatable)', collect, [] as string[])
    .option('--port <n>', 'destination port (ICMP: the type)')
    .option('--protocol <p>', 'TCP, UDP, SCTP or ICMP', 'TCP')
    .addOption(outputOption(false).default([] as string[], 'human-readable; also csv'))
    .action(async (o: FlowOpts) => {
      const fmt = format(o.output, true);
      const q = parseFlow(o.port, o.protocol);
      const pols = await loadPolicies(need(o.policy, '-p/--policy'));
      const inv = await loadInventory(need(o.inventory, '-i/--inventory'));
      const m = compileMatrix(pols.sets, [...podEndpoints(inv), ...externalEndpoints(inv)], q);
      warnings(io, [...pols.warnings, ...inv.warnings]);
      if (fmt === 'csv') io.out(matrixCsv(m));
      else if (fmt !== 'human') emit(io, fmt, matrixData(m, q));
      else io.out(`${q.port}/${q.protocol}\n${matrixGrid(m, io.color)}`);
      setExit(0);
    });

  policy.command('diff')
    .description('Flows whose verdict changes from the OLD policy set to the NEW one (exit 1 when any changes, like diff)')
    .option('-p, --policy <path>', 'OLD policy file or directory (repeatable)', collect, [] as string[])
    .option('-q, --new-policy <path>', 'NEW policy file or directory (repeatable)', collect, [] as string[])
    .option('-i, --inventory <path>', 'inventory file (repeatable)', collect, [] as string[])
    .option('--port <n>', 'only this port (default: every container port, every port named in either set, and one port named nowhere)')
    .option('--protocol <p>', 'protocol for --port (default TCP); without --port, probe only ports of this protocol')
    .addOption(outputOption(false))
    .action(async (o: FlowOpts & { newPolicy: string[] }) => {
      const fmt = format(o.output, false);
      const onlyProtocol = o.protocol !== undefined ? parseFlow('1', o.protocol).protocol : undefined;
      const oldP = await loadPolicies(need(o.policy, '-p/--policy'), 'old policies');
      const newP = await loadPolicies(need(o.newPolicy, '-q/--new-policy'), 'new policies');
      const inv = await loadInventory(need(o.inventory, '-i/--inventory'));
      const eps = [...podEndpoints(inv), ...externalEndpoints(inv)];
      const probes = o.port !== undefined
        ? [parseFlow(o.port, o.protocol)]
        : probePorts(eps, [...oldP.sets, ...newP.sets]).filter((p) => onlyProtocol === undefined || p.protocol === onlyProtocol);
      const changes = diffMatrices(oldP.sets, newP.sets, eps, probes);
      warnings(io, [...oldP.warnings, ...newP.warnings, ...inv.warnings]);
      if (fmt !== 'human') emit(io, fmt, { probes: probes.map((p) => `${p.port}/${p.protocol}`), changes });
      else if (changes.length === 0) io.out(`no verdict changes (${probes.length} port${probes.length === 1 ? '' : 's'} probed: ${probes.map((p) => `${p.port}/${p.protocol}`).join(', ')})`);
      else {
        for (const c of changes) io.out(`${c.new ? io.color.green('+ allowed') : io.color.red('- denied ')}  ${c.from} -> ${c.to} ${c.port}/${c.protocol}`);
        const opened = changes.filter((c) => c.new).length;
        io.out(`${changes.length} flow${changes.length === 1 ? '' : 's'} change: ${opened} newly allowed, ${changes.length - opened} newly denied`);
      }
      setExit(changes.length > 0 ? 1 : 0);
    });
};

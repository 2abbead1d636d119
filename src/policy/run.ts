// The policy operations behind `kec policy check|trace|matrix|diff`: load files, evaluate,
// print data (json/yaml/csv) or text to the output sink, return the exit code.
import { UsageError } from '../errors.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import type { Io, OutputFormat } from '../output/io.ts';
import { emit } from '../output/emit.ts';
import { checkPolicies, loadPolicies } from './api.ts';
import { loadInventory } from './inventory.ts';
import { externalEndpoints, podEndpoints, resolveEndpoint } from './endpoints.ts';
import type { Query } from './evaluate.ts';
import { evaluateFlow } from './evaluate.ts';
import { compileMatrix } from './compile.ts';
import { diffMatrices, matrixCsv, matrixData, matrixGrid, probePorts } from './report.ts';
import { traceText } from './trace-text.ts';
import type { FlowL4 } from './match.ts';
import type { FlowProto } from './types.ts';
import type { FileDiagnostic } from './load.ts';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function warnings(io: Io, ws: FileDiagnostic[]): void {
  for (const w of ws) io.err(io.color.yellow(formatDiagnostic(w, w.file)));
}

function need(list: string[], flag: string): string[] {
  if (list.length === 0) throw new UsageError(`${flag} is required`);
  return list;
}

/** Port and protocol of the flow to evaluate; UsageError naming --port/--protocol. */
export function parseFlow(port: string | undefined, protocol: string | undefined): FlowL4 {
  const proto = (protocol ?? 'TCP').toUpperCase();
  if (!['TCP', 'UDP', 'SCTP', 'ICMP'].includes(proto))
    throw new UsageError(`--protocol ${protocol}: expected TCP, UDP, SCTP or ICMP`);
  if (port === undefined) throw new UsageError('--port is required (for ICMP: the ICMP type, e.g. 8 for echo request)');
  if (
    !/^\d+$/.test(port) ||
    Number(port) > 65535 ||
    (proto !== 'ICMP' && Number(port) < 1) ||
    (proto === 'ICMP' && Number(port) > 255)
  ) {
    throw new UsageError(
      `--port ${port}: expected ${proto === 'ICMP' ? 'an ICMP type 0-255' : 'a port number 1-65535'}`,
    );
  }
  return { port: Number(port), protocol: proto as FlowProto };
}

export async function policyCheck(io: Io, paths: string[], format: OutputFormat): Promise<number> {
  const r = await checkPolicies(paths);
  const ok = r.errors.length === 0;
  const data = {
    valid: ok,
    files: r.files,
    policies: r.policies.map((p) => ({
      kind: p.kind,
      name: p.name,
      ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      file: p.file,
    })),
    errors: r.errors,
    warnings: r.warnings,
  };
  emit(io, format, data, () => {
    warnings(io, r.warnings);
    for (const e of r.errors) io.err(io.color.red(formatDiagnostic(e, e.file)));
    const summary = `${plural(r.policies.length, 'policy', 'policies')} in ${plural(r.files.length, 'file')}: ${plural(r.errors.length, 'error')}, ${plural(r.warnings.length, 'warning')}`;
    return ok ? `${io.color.green('valid')}: ${summary}` : `${io.color.red('invalid')}: ${summary}`;
  });
  return ok ? 0 : 1;
}

export interface TraceOptions {
  policy: string[];
  inventory: string[];
  from: string;
  to: string;
  port?: string | undefined;
  protocol?: string | undefined;
  http?: { method?: string | undefined; path?: string | undefined; host?: string | undefined } | undefined;
  format: OutputFormat;
}

export async function policyTrace(io: Io, o: TraceOptions): Promise<number> {
  const q: Query = parseFlow(o.port, o.protocol);
  if (o.http !== undefined && Object.values(o.http).some((v) => v !== undefined)) {
    if (q.protocol !== 'TCP') throw new UsageError('--http-* needs --protocol TCP');
    q.http = {
      method: o.http.method ?? 'GET',
      path: o.http.path ?? '/',
      ...(o.http.host !== undefined ? { host: o.http.host } : {}),
    };
  }
  const pols = await loadPolicies(need(o.policy, '-p/--policy'));
  const inv = await loadInventory(need(o.inventory, '-i/--inventory'));
  const pods = podEndpoints(inv);
  const nodeOf = (t: string): string | undefined => pods.find((p) => p.id === t)?.node;
  const src = resolveEndpoint(o.from, inv, pods, nodeOf(o.to));
  const dst = resolveEndpoint(o.to, inv, pods, nodeOf(o.from) ?? src.node);
  const v = evaluateFlow(pols.sets, src, dst, q);
  warnings(io, [...pols.warnings, ...inv.warnings]);
  emit(
    io,
    o.format,
    { from: src.id, to: dst.id, port: q.port, protocol: q.protocol, ...(q.http ? { http: q.http } : {}), ...v },
    () => traceText(src, dst, q, v, io.color),
  );
  return 0;
}

export interface MatrixOptions {
  policy: string[];
  inventory: string[];
  port?: string | undefined;
  protocol?: string | undefined;
  format: OutputFormat | 'csv';
}

export async function policyMatrix(io: Io, o: MatrixOptions): Promise<number> {
  const q = parseFlow(o.port, o.protocol);
  const pols = await loadPolicies(need(o.policy, '-p/--policy'));
  const inv = await loadInventory(need(o.inventory, '-i/--inventory'));
  const m = compileMatrix(pols.sets, [...podEndpoints(inv), ...externalEndpoints(inv)], q);
  warnings(io, [...pols.warnings, ...inv.warnings]);
  if (o.format === 'csv') io.out(matrixCsv(m));
  else emit(io, o.format, matrixData(m, q), () => `${q.port}/${q.protocol}\n${matrixGrid(m, io.color)}`);
  return 0;
}

export interface DiffOptions {
  policy: string[];
  newPolicy: string[];
  inventory: string[];
  port?: string | undefined;
  protocol?: string | undefined;
  format: OutputFormat;
}

/** Exit 1 when any verdict changes, like diff. */
export async function policyDiff(io: Io, o: DiffOptions): Promise<number> {
  const onlyProtocol = o.protocol !== undefined ? parseFlow('1', o.protocol).protocol : undefined;
  const oldP = await loadPolicies(need(o.policy, '-p/--policy'), 'old policies');
  const newP = await loadPolicies(need(o.newPolicy, '-q/--new-policy'), 'new policies');
  const inv = await loadInventory(need(o.inventory, '-i/--inventory'));
  const eps = [...podEndpoints(inv), ...externalEndpoints(inv)];
  const probes =
    o.port !== undefined
      ? [parseFlow(o.port, o.protocol)]
      : probePorts(eps, [...oldP.sets, ...newP.sets]).filter(
          (p) => onlyProtocol === undefined || p.protocol === onlyProtocol,
        );
  const changes = diffMatrices(oldP.sets, newP.sets, eps, probes);
  warnings(io, [...oldP.warnings, ...newP.warnings, ...inv.warnings]);
  const probed = probes.map((p) => `${p.port}/${p.protocol}`);
  emit(io, o.format, { probes: probed, changes }, () => {
    if (changes.length === 0)
      return `no verdict changes (${plural(probes.length, 'port')} probed: ${probed.join(', ')})`;
    const opened = changes.filter((c) => c.new).length;
    return [
      ...changes.map(
        (c) =>
          `${c.new ? io.color.green('+ allowed') : io.color.red('- denied ')}  ${c.from} -> ${c.to} ${c.port}/${c.protocol}`,
      ),
      `${plural(changes.length, 'flow')} change: ${opened} newly allowed, ${changes.length - opened} newly denied`,
    ].join('\n');
  });
  return changes.length > 0 ? 1 : 0;
}

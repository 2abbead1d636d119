// Data shapes and text renderings of matrices and diffs.
import type { Palette } from '../output/color.ts';
import { table } from '../output/table.ts';
import type { Matrix } from './compile.ts';
import { compileMatrix } from './compile.ts';
import type { Endpoint } from './endpoints.ts';
import type { FlowL4 } from './match.ts';
import type { L4Proto, PolicySet } from './types.ts';

export interface MatrixData {
  port: number;
  protocol: string;
  pods: string[];
  allowed: Record<string, Record<string, boolean>>;
}

export function matrixData(m: Matrix, q: FlowL4): MatrixData {
  const ids = m.endpoints.map((e) => e.id);
  const allowed: Record<string, Record<string, boolean>> = {};
  const n = ids.length;
  ids.forEach((a, i) => {
    const row: Record<string, boolean> = {};
    ids.forEach((b, j) => {
      row[b] = m.allowed[i * n + j] === 1;
    });
    allowed[a] = row;
  });
  return { port: q.port, protocol: q.protocol, pods: ids, allowed };
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function matrixCsv(m: Matrix): string {
  const ids = m.endpoints.map((e) => e.id);
  const n = ids.length;
  const lines = [['from\\to', ...ids].map(csvCell).join(',')];
  ids.forEach((a, i) => lines.push([csvCell(a), ...ids.map((_, j) => (m.allowed[i * n + j] ? '1' : '0'))].join(',')));
  return lines.join('\n');
}

/** Readable grid: rows are sources, columns destinations; `.` allowed, `X` denied. */
export function matrixGrid(m: Matrix, c: Palette): string {
  const ids = m.endpoints.map((e) => e.id);
  const n = ids.length;
  const cols = ids.map((_, j) => String(j + 1));
  const rows = ids.map((a, i) => [
    `${i + 1} ${a}`,
    ...ids.map((_, j) => (m.allowed[i * n + j] ? c.green('.') : c.red('X'))),
  ]);
  let allowedCount = 0;
  for (const v of m.allowed) allowedCount += v;
  return `${table(['from \\ to', ...cols], rows)}\n\n. allowed   X denied   (${allowedCount}/${n * n} flows allowed, ${m.identities} identities)`;
}

export interface Change {
  from: string;
  to: string;
  port: number;
  protocol: string;
  old: boolean;
  new: boolean;
}

/** Ports probed by diff when none is given: container ports, rule ports, and one port no rule names. */
export function probePorts(endpoints: Endpoint[], sets: PolicySet[]): FlowL4[] {
  const seen = new Map<string, FlowL4>();
  const add = (port: number, protocol: L4Proto): void => {
    if (port >= 1 && port <= 65535) seen.set(`${port}/${protocol}`, { port, protocol });
  };
  for (const e of endpoints) for (const c of e.ports) add(c.port, c.protocol);
  for (const s of sets) {
    for (const r of [...s.allow.ingress, ...s.allow.egress, ...s.deny.ingress, ...s.deny.egress]) {
      for (const pr of r.l4?.ports ?? [])
        for (const pm of pr.ports) {
          if (pm.port === undefined) continue;
          for (const proto of pm.protocol === 'ANY' ? (['TCP', 'UDP', 'SCTP'] as const) : [pm.protocol]) {
            add(pm.port, proto);
            if (pm.endPort !== undefined) add(pm.endPort, proto);
          }
        }
    }
  }
  let other = 1;
  while (seen.has(`${other}/TCP`)) other++;
  add(other, 'TCP');
  return [...seen.values()].sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1));
}

export function diffMatrices(
  oldSets: PolicySet[],
  newSets: PolicySet[],
  endpoints: Endpoint[],
  probes: FlowL4[],
): Change[] {
  const changes: Change[] = [];
  const n = endpoints.length;
  for (const q of probes) {
    const a = compileMatrix(oldSets, endpoints, q);
    const b = compileMatrix(newSets, endpoints, q);
    for (let i = 0; i < n * n; i++) {
      if (a.allowed[i] !== b.allowed[i]) {
        changes.push({
          from: endpoints[Math.floor(i / n)]!.id,
          to: endpoints[i % n]!.id,
          port: q.port,
          protocol: q.protocol,
          old: a.allowed[i] === 1,
          new: b.allowed[i] === 1,
        });
      }
    }
  }
  return changes;
}

// Workload inventory: Namespaces and Pods as `kubectl get ns,pods -A -o yaml` prints them,
// optional Nodes (`kubectl get nodes -o yaml`) and a kec `ExternalCIDRs` document naming
// addresses outside the cluster. Pods become endpoints with Cilium identity labels.
import { show } from '../diagnostics.ts';
import type { Cidr } from '../util/cidr.ts';
import { parseCidr, parseIP } from '../util/cidr.ts';
import { InputError } from '../errors.ts';
import { formatDiagnostic } from '../diagnostics.ts';
import { loadPaths } from './load.ts';
import type { FileDiagnostic, SourceObject } from './load.ts';
import { Ctx } from './parse-common.ts';
import type { Obj } from './parse-common.ts';
import { Labels, CLUSTER_LABEL, NS_LABEL, NS_LABELS_PREFIX, SA_LABEL } from './selector.ts';
import type { L4Proto } from './types.ts';
import { DEFAULT_CLUSTER_NAME, IDENTITY_IRRELEVANT_LABELS } from '../knowledge/cilium-policy.ts';

export const EDGE_NODE_LABEL = 'node-role.kubernetes.io/edge';

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: L4Proto;
}

export interface Pod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  node?: string;
  hostNetwork: boolean;
  ips: string[];
  ports: ContainerPort[];
  serviceAccount: string;
}
export interface Node {
  name: string;
  labels: Record<string, string>;
  ips: string[];
  edge: boolean;
}
export interface External {
  name: string;
  cidr: Cidr;
}

export interface Inventory {
  namespaces: Map<string, Record<string, string>>;
  pods: Pod[];
  nodes: Node[];
  externals: External[];
  warnings: FileDiagnostic[];
}

function strMap(ctx: Ctx, v: unknown, parts: (string | number)[]): Record<string, string> {
  const o = ctx.obj(v, parts) ?? {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(o)) {
    if (typeof val === 'string') out[k] = val;
    else ctx.error([...parts, k], `label values must be strings, got ${show(val)}`);
  }
  return out;
}

export function parseInventoryObjects(objects: SourceObject[], diags: FileDiagnostic[]): Omit<Inventory, 'warnings'> {
  const inv: Omit<Inventory, 'warnings'> = { namespaces: new Map(), pods: [], nodes: [], externals: [] };
  for (const src of objects) {
    const ctx = new Ctx(src, diags);
    const o = ctx.obj(src.value, []);
    if (!o) continue;
    const kind = o['kind'];
    const md: Obj = ctx.obj(o['metadata'], ['metadata']) ?? {};
    const name = ctx.str(md['name'], ['metadata', 'name']);
    if (kind === 'ExternalCIDRs') {
      parseExternals(ctx, o, inv.externals);
      continue;
    }
    if (kind !== 'Namespace' && kind !== 'Pod' && kind !== 'Node') {
      ctx.warn(['kind'], `${show(kind)}: not part of an inventory (Namespace, Pod, Node, ExternalCIDRs); skipped`);
      continue;
    }
    if (!name) {
      ctx.error(['metadata', 'name'], 'required');
      continue;
    }
    const labels = strMap(ctx, md['labels'], ['metadata', 'labels']);
    if (kind === 'Namespace') {
      // The API server sets kubernetes.io/metadata.name on every namespace (k8s >= 1.21).
      inv.namespaces.set(name, { 'kubernetes.io/metadata.name': name, ...labels });
    } else if (kind === 'Node') {
      const st = ctx.obj(o['status'], ['status']) ?? {};
      const ips = (ctx.list(st['addresses'], ['status', 'addresses']) ?? [])
        .map((a) => (a && typeof a === 'object' ? (a as Obj)['address'] : undefined))
        .filter((a): a is string => typeof a === 'string' && parseIP(a) !== undefined);
      inv.nodes.push({ name, labels, ips, edge: EDGE_NODE_LABEL in labels });
    } else {
      const spec = ctx.obj(o['spec'], ['spec']) ?? {};
      const st = ctx.obj(o['status'], ['status']) ?? {};
      const ns = ctx.str(md['namespace'], ['metadata', 'namespace']) ?? 'default';
      const ips = new Set<string>();
      const podIP = ctx.str(st['podIP'], ['status', 'podIP']);
      if (podIP) ips.add(podIP);
      (ctx.list(st['podIPs'], ['status', 'podIPs']) ?? []).forEach((x) => {
        const ip = x && typeof x === 'object' ? (x as Obj)['ip'] : undefined;
        if (typeof ip === 'string') ips.add(ip);
      });
      const ports: ContainerPort[] = [];
      for (const key of ['initContainers', 'containers']) {
        (ctx.list(spec[key], ['spec', key]) ?? []).forEach((c, ci) => {
          const co = ctx.obj(c, ['spec', key, ci]);
          (ctx.list(co?.['ports'], ['spec', key, ci, 'ports']) ?? []).forEach((p, pi) => {
            const pp = ['spec', key, ci, 'ports', pi];
            const po = ctx.obj(p, pp);
            if (!po) return;
            const port = po['containerPort'];
            if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
              ctx.error([...pp, 'containerPort'], `expected a port number 1-65535, got ${show(port)}`);
              return;
            }
            const protocol = (po['protocol'] ?? 'TCP') as string;
            if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
              ctx.error([...pp, 'protocol'], `${show(protocol)}: expected TCP, UDP or SCTP`);
              return;
            }
            const cp: ContainerPort = { port, protocol };
            if (typeof po['name'] === 'string') cp.name = po['name'].toLowerCase();
            ports.push(cp);
          });
        });
      }
      const pod: Pod = {
        namespace: ns,
        name,
        labels,
        hostNetwork: spec['hostNetwork'] === true,
        ips: [...ips],
        ports,
        serviceAccount: typeof spec['serviceAccountName'] === 'string' ? spec['serviceAccountName'] : 'default',
      };
      if (typeof spec['nodeName'] === 'string') pod.node = spec['nodeName'];
      inv.pods.push(pod);
    }
  }
  return inv;
}

function parseExternals(ctx: Ctx, o: Obj, out: External[]): void {
  (ctx.list(o['cidrs'], ['cidrs']) ?? []).forEach((e, i) => {
    const eo = typeof e === 'string' ? { cidr: e } : ctx.obj(e, ['cidrs', i]);
    if (!eo) return;
    const text = typeof eo['cidr'] === 'string' ? eo['cidr'] : undefined;
    const c = text ? parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`) : undefined;
    if (!c) {
      ctx.error(['cidrs', i, 'cidr'], `expected an IP address or CIDR, got ${show(eo['cidr'])}`);
      return;
    }
    out.push({ name: typeof eo['name'] === 'string' ? eo['name'] : c.text, cidr: c });
  });
}

export async function loadInventory(paths: string[]): Promise<Inventory> {
  const loaded = await loadPaths(paths);
  const diags: FileDiagnostic[] = [...loaded.errors];
  const inv = parseInventoryObjects(loaded.objects, diags);
  const errors = diags.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new InputError(
      `inventory: ${errors.length} error${errors.length === 1 ? '' : 's'}`,
      errors.map((d) => formatDiagnostic(d, d.file)),
    );
  for (const p of inv.pods) {
    if (!inv.namespaces.has(p.namespace))
      inv.namespaces.set(p.namespace, { 'kubernetes.io/metadata.name': p.namespace });
  }
  return { ...inv, warnings: diags.filter((d) => d.severity === 'warning') };
}

/** Cilium identity labels of a pod. Source: cilium pkg/k8s (GetPodMetadata), pkg/labelsfilter. */
export function podIdentityLabels(pod: Pod, nsLabels: Record<string, string>): Labels {
  const l = new Labels();
  for (const [k, v] of Object.entries(pod.labels)) if (!IDENTITY_IRRELEVANT_LABELS.includes(k)) l.add('k8s', k, v);
  l.add('k8s', NS_LABEL, pod.namespace);
  for (const [k, v] of Object.entries(nsLabels)) l.add('k8s', NS_LABELS_PREFIX + k, v);
  l.add('k8s', SA_LABEL, pod.serviceAccount);
  l.add('k8s', CLUSTER_LABEL, DEFAULT_CLUSTER_NAME);
  return l;
}

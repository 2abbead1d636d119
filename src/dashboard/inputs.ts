// What an offline dashboard is drawn from: the files given on the command line, loaded with
// kec's own loaders (bad input → InputError/UsageError naming the flag or file, exit 2).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Io } from '../output/io.ts';
import { InputError, UsageError } from '../errors.ts';
import { loadSpecOrFail } from '../edgenetwork/load.ts';
import type { EdgeNetwork } from '../edgenetwork/types.ts';
import type { Plan } from '../plan/plan.ts';
import { buildPlan } from '../plan/plan.ts';
import { PLAN_FILE } from '../plan/render.ts';
import { loadPolicies } from '../policy/api.ts';
import { loadInventory } from '../policy/inventory.ts';
import { externalEndpoints, podEndpoints } from '../policy/endpoints.ts';
import type { Endpoint } from '../policy/endpoints.ts';
import type { PolicySet } from '../policy/types.ts';
import { parseNodeLabels } from '../flows/grouping.ts';
import type { NodeLabels } from '../flows/grouping.ts';
import type { StatusReport } from '../cluster/status/report.ts';

export interface InputFlags {
  spec?: string;
  plan?: string;
  policies?: string[];
  /** A second policy set to diff against (--new-policies). */
  newPolicies?: string[];
  inventory?: string[];
  flows?: string;
  nodes?: string;
  snapshot?: string;
}

export interface Inputs {
  spec?: EdgeNetwork;
  plan?: { plan: Plan; source: string };
  policy?: {
    sets: PolicySet[];
    endpoints: Endpoint[];
    source: string;
    next?: { sets: PolicySet[]; source: string };
  };
  /** Hubble JSON lines. */
  flows?: { lines: string[]; source: string };
  nodeLabels?: NodeLabels;
  snapshot?: { report: StatusReport; source: string };
}

const why = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
};

async function readText(flag: string, file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${flag} ${file}: ${why(e)}`);
  }
}

/** DIR/plan.json as `kec plan -d DIR` wrote it. */
export async function readPlanDir(dir: string, cwd: string): Promise<Plan> {
  const file = join(dir, PLAN_FILE);
  const text = await readText('--plan', file, cwd);
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `--plan ${dir}: ${PLAN_FILE} is not JSON (${(e as Error).message}); regenerate it with kec plan`,
    );
  }
  const p = plan as Partial<Plan> | null;
  if (!p || typeof p !== 'object' || p.kind !== 'EdgeNetworkPlan' || !Array.isArray(p.groups))
    throw new InputError(
      `--plan ${dir}: ${PLAN_FILE} is not a kec plan (kind EdgeNetworkPlan); regenerate it with kec plan`,
    );
  return p as Plan;
}

/** A saved `kec status -o json` (or a sysdump's reports/status.json). */
export function parseSnapshot(text: string, file: string): StatusReport {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--snapshot ${file}: not JSON (${(e as Error).message}); expected kec status -o json output`);
  }
  const r = v as Partial<StatusReport> | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.groups) || typeof r.cloud !== 'object' || r.cloud === null)
    throw new InputError(`--snapshot ${file}: not a kec status report (expected kec status -o json output)`);
  return r as StatusReport;
}

export async function loadInputs(io: Io, f: InputFlags): Promise<Inputs> {
  const policies = f.policies ?? [];
  const inventory = f.inventory ?? [];
  if (policies.length > 0 && inventory.length === 0)
    throw new UsageError('--policies needs -i/--inventory (the pods and namespaces to evaluate them on)');
  if (inventory.length > 0 && policies.length === 0) throw new UsageError('-i/--inventory needs --policies');
  const newPolicies = f.newPolicies ?? [];
  if (newPolicies.length > 0 && policies.length === 0)
    throw new UsageError('--new-policies needs --policies (the current set to compare with)');
  const out: Inputs = {};
  if (f.spec !== undefined) out.spec = (await loadSpecOrFail(io, f.spec, 'the dashboard was not started')).value;
  if (f.plan !== undefined) out.plan = { plan: await readPlanDir(f.plan, io.cwd), source: join(f.plan, PLAN_FILE) };
  else if (out.spec && f.spec !== undefined) out.plan = { plan: buildPlan(out.spec), source: f.spec };
  if (policies.length > 0) {
    const pols = await loadPolicies(policies.map((p) => resolve(io.cwd, p)));
    const inv = await loadInventory(inventory.map((p) => resolve(io.cwd, p)));
    out.policy = {
      sets: pols.sets,
      endpoints: [...podEndpoints(inv), ...externalEndpoints(inv)],
      source: policies.join(', '),
    };
    if (newPolicies.length > 0)
      out.policy.next = {
        sets: (
          await loadPolicies(
            newPolicies.map((p) => resolve(io.cwd, p)),
            'new policies',
          )
        ).sets,
        source: newPolicies.join(', '),
      };
  }
  if (f.flows !== undefined)
    out.flows = { lines: (await readText('--flows', f.flows, io.cwd)).split('\n'), source: f.flows };
  if (f.nodes !== undefined) out.nodeLabels = parseNodeLabels(await readText('--nodes', f.nodes, io.cwd), f.nodes);
  if (f.snapshot !== undefined)
    out.snapshot = {
      report: parseSnapshot(await readText('--snapshot', f.snapshot, io.cwd), f.snapshot),
      source: f.snapshot,
    };
  return out;
}

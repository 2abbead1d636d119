// kec node configure: merge the plan's edgecore patch into edgecore.yaml (in place,
// keeping everything else), journalled; restart edgecore only when something changed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { EDGECORE, EDGEMESH } from '../knowledge/kubeedge.ts';
import { InputError, UsageError } from '../errors.ts';
import type { FsRoot } from './fsroot.ts';
import { loadEdgecore } from './edgecore.ts';
import { mergeEdgecoreText } from './edgecore-merge.ts';
import { applyChanges } from './journal.ts';
import { readPlanGroup } from './plan-input.ts';
import type { ActionReport, ChangeReport } from './changes.ts';
import { describeChange, journalDir, requireRoot } from './changes.ts';

const run = promisify(execFile);

export interface ConfigureOptions {
  patch?: string;
  plan?: string;
  group?: string;
  dryRun?: boolean;
  noRestart?: boolean;
  backupDir?: string;
  /** How edgecore is restarted; default `systemctl restart edgecore` (host only). */
  restart?: () => Promise<void>;
}

export function readPatch(opts: ConfigureOptions): { patch: Record<string, unknown>; source: string } {
  if ((opts.patch === undefined) === (opts.plan === undefined))
    throw new UsageError('give exactly one of --patch FILE or --plan DIR --group G');
  let value: unknown;
  let source: string;
  if (opts.patch !== undefined) {
    source = opts.patch;
    let text: string;
    try {
      text = readFileSync(opts.patch, 'utf8');
    } catch (e) {
      throw new InputError(
        `--patch ${opts.patch}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
    try {
      value = parse(text, { logLevel: 'error' }) as unknown;
    } catch (e) {
      throw new InputError(`--patch ${opts.patch} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    const g = readPlanGroup(opts.plan!, opts.group);
    value = g.edgecorePatch;
    source = g.patchFile;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${source}: expected a YAML mapping (a partial EdgeCore config)`);
  const { apiVersion, kind, ...patch } = value as Record<string, unknown>;
  if (apiVersion !== undefined && apiVersion !== EDGECORE.apiVersion)
    throw new InputError(`${source}: apiVersion ${String(apiVersion)}; expected ${EDGECORE.apiVersion}`);
  if (kind !== undefined && kind !== EDGECORE.kind)
    throw new InputError(`${source}: kind ${String(kind)}; expected ${EDGECORE.kind}`);
  return { patch, source };
}

export async function configure(fs: FsRoot, opts: ConfigureOptions): Promise<ChangeReport> {
  const dryRun = opts.dryRun === true;
  requireRoot(fs, dryRun, 'configure');
  const { patch, source } = readPatch(opts);
  const journal = journalDir(fs, opts.backupDir);
  const ec = loadEdgecore(fs);
  checkPatchShape(patch, ec.value, source);
  const merged = mergeEdgecoreText(ec.text, patch);
  const warnings = replacedClusterDns(ec.value, patch);
  const report: ChangeReport = {
    command: 'configure',
    root: fs.root,
    dryRun,
    changed: merged.changed,
    transaction: null,
    journal,
    actions: [],
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  if (!merged.changed) return report;
  const change = {
    kind: 'write' as const,
    path: EDGECORE.configPath,
    after: merged.text,
    reason: `merge ${source}${merged.reformatted ? ' (file re-serialised: the in-place edit was not possible)' : ''}`,
  };
  report.actions.push(describeChange(fs, change, dryRun));
  if (!dryRun) report.transaction = applyChanges(fs, journal, 'configure', [change]).id;
  const restart: ActionReport = {
    kind: 'restart',
    target: 'edgecore',
    reason: 'load the new configuration',
    status: dryRun ? 'planned' : 'done',
  };
  if (opts.noRestart)
    Object.assign(restart, {
      status: 'skipped',
      detail: '--no-restart: restart edgecore yourself (systemctl restart edgecore)',
    });
  else if (!fs.isHost && !opts.restart)
    Object.assign(restart, { status: 'skipped', detail: '--root: not the running node' });
  else if (!dryRun) {
    try {
      await (opts.restart ?? (async () => void (await run('systemctl', ['restart', 'edgecore']))))();
    } catch (e) {
      Object.assign(restart, { status: 'failed', detail: (e as Error).message.split('\n')[0] });
    }
  }
  report.actions.push(restart);
  return report;
}

const getIn = (v: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (o, k) =>
      o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[k] : undefined,
    v,
  );

/** A clusterDNS the node had that the patch replaces: EdgeMesh's (169.254.96.16) or one set by hand. */
function replacedClusterDns(current: unknown, patch: Record<string, unknown>): string[] {
  const before = getIn(current, EDGECORE.keys.clusterDNS);
  const after = getIn(patch, EDGECORE.keys.clusterDNS);
  if (!Array.isArray(before) || before.length === 0 || after === undefined) return [];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const edgemesh = before.includes(EDGEMESH.dnsAddress)
    ? ` (${EDGEMESH.dnsAddress} is EdgeMesh's DNS: edge pods stop resolving through EdgeMesh)`
    : '';
  return [
    `replaces clusterDNS ${JSON.stringify(before)} with ${JSON.stringify(after)}${edgemesh}; keep the old value in spec.kubeedge.edgecore if it was intended`,
  ];
}

/**
 * A patch may set values and add keys, never replace a section with a scalar, null or a list
 * (that would drop the section), nor use keys that name object internals.
 */
function checkPatchShape(patch: unknown, current: unknown, source: string, path: string[] = []): void {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return;
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    const at = [...path, k];
    if (k === '__proto__' || k === 'constructor' || k === 'prototype')
      throw new InputError(`${source}: key ${at.join('.')} is not allowed`);
    const cur =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? (current as Record<string, unknown>)[k]
        : undefined;
    const curIsMap = cur !== null && typeof cur === 'object' && !Array.isArray(cur);
    const isMap = v !== null && typeof v === 'object' && !Array.isArray(v);
    if (v === null)
      throw new InputError(
        `${source}: ${at.join('.')} is null; a patch sets values, it cannot delete ${curIsMap ? 'a section' : 'a key'}`,
      );
    if (curIsMap && !isMap)
      throw new InputError(
        `${source}: ${at.join('.')} would replace the section ${at.join('.')} of edgecore.yaml with ${JSON.stringify(v)}; give a mapping`,
      );
    if (isMap) checkPatchShape(v, cur, source, at);
  }
}

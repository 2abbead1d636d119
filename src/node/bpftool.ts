// Runtime eBPF probes through `bpftool -j feature probe` (what Cilium <= 1.15 ran),
// cached per boot in /run/kec: program and map types cannot change while a kernel runs.
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BPF_PROBES, BPFTOOL } from '../knowledge/bpf-probes.ts';
import { check } from './checks.ts';
import { atomicWriteFile } from './atomic.ts';
import type { Check } from '../check.ts';

export interface ProbeResult {
  progTypes: Record<string, boolean>;
  mapTypes: Record<string, boolean>;
  fromCache: boolean;
}

export type ProbeOutcome = { ok: true; result: ProbeResult } | { ok: false; status: 'skip' | 'warn'; reason: string };

export const PROBE_CACHE = '/run/kec/bpftool-probe.json';

export function findBpftool(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env['KEC_BPFTOOL'] !== undefined) return env['KEC_BPFTOOL'] || undefined;
  const dirs = [...(env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, BPFTOOL.binary);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Extracts have_<type>_prog_type / have_<type>_map_type from bpftool's JSON. */
export function parseBpftoolJson(text: string): Omit<ProbeResult, 'fromCache'> {
  const doc = JSON.parse(text) as Record<string, Record<string, unknown> | undefined>;
  const pick = (section: Record<string, unknown> | undefined, suffix: string): Record<string, boolean> => {
    const out: Record<string, boolean> = {};
    for (const [k, v] of Object.entries(section ?? {})) {
      if (k.startsWith('have_') && k.endsWith(suffix)) out[k.slice(5, -suffix.length)] = v === true;
    }
    return out;
  };
  return { progTypes: pick(doc['program_types'], '_prog_type'), mapTypes: pick(doc['map_types'], '_map_type') };
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function readCache(key: string): ProbeResult | undefined {
  try {
    const c = JSON.parse(readFileSync(PROBE_CACHE, 'utf8')) as {
      key?: string;
      progTypes?: Record<string, boolean>;
      mapTypes?: Record<string, boolean>;
    };
    if (c.key === key && c.progTypes && c.mapTypes)
      return { progTypes: c.progTypes, mapTypes: c.mapTypes, fromCache: true };
  } catch {
    /* no cache */
  }
  return undefined;
}

export interface ProbeOptions {
  /** Probes describe the running kernel only: skip for --root images or another --kernel-release. */
  skipReason?: string;
  useCache: boolean;
  euid: number;
}

/** Starts the probe; callers run their other checks while bpftool works. */
export function runProbes(opts: ProbeOptions): Promise<ProbeOutcome> {
  if (opts.skipReason) return Promise.resolve({ ok: false, status: 'skip', reason: opts.skipReason });
  const bin = findBpftool();
  if (!bin)
    return Promise.resolve({
      ok: false,
      status: 'warn',
      reason: 'bpftool not found; install it (Debian/Ubuntu: apt install bpftool, or linux-tools-$(uname -r))',
    });
  if (opts.euid !== 0)
    return Promise.resolve({
      ok: false,
      status: 'skip',
      reason:
        'needs root: bpftool feature probe loads test programs (CAP_BPF/CAP_SYS_ADMIN); run kec node preflight as root',
    });
  const boot = bootId();
  const key = `${boot ?? '?'}|${bin}`;
  if (opts.useCache && boot) {
    const cached = readCache(key);
    if (cached) return Promise.resolve({ ok: true, result: cached });
  }
  return new Promise((resolve) => {
    execFile(bin, [...BPFTOOL.probeArgs], { maxBuffer: 16 * 2 ** 20, timeout: 30_000 }, (err, stdout) => {
      if (err && !stdout) {
        resolve({ ok: false, status: 'warn', reason: `bpftool feature probe failed: ${err.message.split('\n')[0]}` });
        return;
      }
      try {
        const parsed = parseBpftoolJson(stdout);
        if (opts.useCache && boot) {
          try {
            atomicWriteFile(PROBE_CACHE, JSON.stringify({ key, ...parsed }), { mode: 0o644 });
          } catch {
            /* cache is an optimisation */
          }
        }
        resolve({ ok: true, result: { ...parsed, fromCache: false } });
      } catch (e) {
        resolve({ ok: false, status: 'warn', reason: `cannot read bpftool output: ${(e as Error).message}` });
      }
    });
  });
}

/** Program and map types the enabled features need, each once (first feature wins). */
export function requiredProbes(
  features: readonly string[],
): Array<{ kind: 'prog' | 'map'; type: string; feature: string; optional: boolean }> {
  const seen = new Set<string>();
  const out: Array<{ kind: 'prog' | 'map'; type: string; feature: string; optional: boolean }> = [];
  const add = (kind: 'prog' | 'map', type: string, feature: string, optional: boolean): void => {
    if (seen.has(`${kind}.${type}`)) return;
    seen.add(`${kind}.${type}`);
    out.push({ kind, type, feature, optional });
  };
  for (const f of features) {
    const req = BPF_PROBES[f];
    if (!req) continue;
    for (const t of req.progTypes) add('prog', t, f, false);
    for (const t of req.mapTypes) add('map', t, f, false);
    for (const t of req.optionalProgTypes ?? []) add('prog', t, f, true);
  }
  return out;
}

export function probeChecks(outcome: ProbeOutcome, features: readonly string[]): Check[] {
  return requiredProbes(features).map(({ kind, type, feature, optional }) => {
    const id = `probe.${kind}.${type}`;
    const what = kind === 'prog' ? 'program type' : 'map type';
    if (!outcome.ok)
      return check(
        id,
        feature,
        outcome.status === 'warn' ? 'warn' : 'skip',
        `${what} ${type}: not probed (${outcome.reason})`,
      );
    const table = kind === 'prog' ? outcome.result.progTypes : outcome.result.mapTypes;
    const have = table[type];
    const src = outcome.result.fromCache ? 'bpftool, cached for this boot' : 'bpftool';
    if (have === undefined)
      return check(id, feature, 'warn', `${what} ${type}: unknown to this bpftool (${src})`, 'install a newer bpftool');
    if (have) return check(id, feature, 'pass', `${what} ${type}: supported (${src})`);
    return check(
      id,
      feature,
      optional ? 'warn' : 'fail',
      `${what} ${type}: not supported by the running kernel (${src})${optional ? '; only optional modes need it' : ''}`,
      'use a kernel built with CONFIG_BPF_SYSCALL and the options kconfig.* list',
    );
  });
}

// Shared parsing helpers: a per-object context that records path-carrying diagnostics,
// type checks, unknown-field reporting and label selector parsing.
import type { PathPart } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import type { FileDiagnostic, SourceObject } from './load.ts';
import { fieldPath } from './load.ts';
import type { Operator, Requirement, Selector } from './selector.ts';
import { makeSelector, parseLabelKey } from './selector.ts';
import { labelKeyProblem, labelValueProblem } from '../knowledge/kubernetes.ts';

export type Obj = Record<string, unknown>;

export class Ctx {
  readonly src: SourceObject;
  readonly out: FileDiagnostic[];
  constructor(src: SourceObject, out: FileDiagnostic[]) {
    this.src = src;
    this.out = out;
  }

  private push(severity: 'error' | 'warning', parts: readonly PathPart[], message: string): void {
    const pos = this.src.locate(parts);
    const d: FileDiagnostic = {
      file: this.src.file,
      severity,
      path: fieldPath(this.src, parts) || '(document)',
      message,
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    };
    if (
      !this.out.some(
        (x) => x.file === d.file && x.path === d.path && x.message === d.message && x.severity === d.severity,
      )
    )
      this.out.push(d);
  }
  error(parts: readonly PathPart[], message: string): void {
    this.push('error', parts, message);
  }
  warn(parts: readonly PathPart[], message: string): void {
    this.push('warning', parts, message);
  }

  /** An object, or undefined when absent/null; anything else is an error. */
  obj(v: unknown, parts: readonly PathPart[]): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.error(parts, `expected an object, got ${show(v)}`);
      return undefined;
    }
    return v as Obj;
  }

  /** A list, or undefined when absent/null. */
  list(v: unknown, parts: readonly PathPart[]): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.error(parts, `expected a list, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  str(v: unknown, parts: readonly PathPart[], what = 'a string'): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.error(parts, `expected ${what}, got ${show(v)}`);
      return undefined;
    }
    return v;
  }

  strList(v: unknown, parts: readonly PathPart[]): string[] | undefined {
    const l = this.list(v, parts);
    if (!l) return undefined;
    const out: string[] = [];
    l.forEach((x, i) => {
      const s = this.str(x, [...parts, i]);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  /**
   * Reports fields that are not in `known`. `unsupported` fields are valid upstream but not
   * evaluated by kec (message says why); every other unknown field is pruned by the API server.
   */
  fields(o: Obj, parts: readonly PathPart[], known: readonly string[], unsupported: Record<string, string> = {}): void {
    for (const k of Object.keys(o)) {
      if (known.includes(k)) continue;
      if (k in unsupported) {
        if (o[k] !== null && o[k] !== undefined) this.warn([...parts, k], `not evaluated by kec: ${unsupported[k]}`);
        continue;
      }
      const near = known.find((x) => x.toLowerCase() === k.toLowerCase());
      this.warn(
        [...parts, k],
        `unknown field, ignored (the API server prunes it)${near ? `; field names are case-sensitive: did you mean ${show(near)}?` : ''}`,
      );
    }
  }
}

const OPERATORS: Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Parses a k8s LabelSelector (matchLabels + matchExpressions). Returns undefined if invalid. */
export function parseSelector(ctx: Ctx, v: unknown, parts: readonly PathPart[]): Selector | undefined {
  const o = ctx.obj(v, parts);
  if (v !== undefined && v !== null && !o) return undefined;
  const reqs: Requirement[] = [];
  if (!o) return makeSelector(reqs);
  const extra = Object.keys(o).filter((k) => k !== 'matchLabels' && k !== 'matchExpressions');
  for (const k of extra) {
    ctx.warn(
      [...parts, k],
      `unknown field in a label selector, ignored (the API server prunes it)${o['matchLabels'] === null || o['matchLabels'] === undefined ? `; this selector then matches everything — did you mean matchLabels: {${k}: ...} (check the indentation)?` : ''}`,
    );
  }
  const ml = ctx.obj(o['matchLabels'], [...parts, 'matchLabels']);
  let ok = !(o['matchLabels'] !== undefined && o['matchLabels'] !== null && !ml);
  for (const [k, val] of Object.entries(ml ?? {})) {
    if (typeof val !== 'string') {
      ctx.error([...parts, 'matchLabels', k], `label values must be strings, got ${show(val)} (quote it)`);
      ok = false;
      continue;
    }
    if (k === '') {
      ctx.error([...parts, 'matchLabels'], 'empty label key');
      ok = false;
      continue;
    }
    const { source, key } = parseLabelKey(k);
    const bad = labelKeyProblem(key) ?? labelValueProblem(val);
    if (bad !== undefined) {
      ctx.error([...parts, 'matchLabels', k], `${bad} (the API server rejects it)`);
      ok = false;
      continue;
    }
    reqs.push({ source, key, op: 'In', values: [val] });
  }
  const me = ctx.list(o['matchExpressions'], [...parts, 'matchExpressions']);
  if (o['matchExpressions'] !== undefined && o['matchExpressions'] !== null && !me) ok = false;
  (me ?? []).forEach((e, i) => {
    const p = [...parts, 'matchExpressions', i];
    const eo = ctx.obj(e, p);
    if (!eo) {
      ok = false;
      return;
    }
    ctx.fields(eo, p, ['key', 'operator', 'values']);
    const key = ctx.str(eo['key'], [...p, 'key']);
    const opRaw = ctx.str(eo['operator'], [...p, 'operator']);
    if (key === undefined || key === '') {
      ctx.error([...p, 'key'], 'required: a label key');
      ok = false;
      return;
    }
    if (opRaw === undefined) {
      ctx.error([...p, 'operator'], 'required: one of In, NotIn, Exists, DoesNotExist');
      ok = false;
      return;
    }
    let op = OPERATORS.find((x) => x === opRaw);
    if (!op) {
      op = OPERATORS.find((x) => x.toLowerCase() === opRaw.toLowerCase());
      if (op)
        ctx.warn(
          [...p, 'operator'],
          `${show(opRaw)} read as ${show(op)}; the CRD schema only accepts In, NotIn, Exists, DoesNotExist (exact case) and the API server will reject this object`,
        );
      else {
        ctx.error([...p, 'operator'], `${show(opRaw)}: expected one of In, NotIn, Exists, DoesNotExist`);
        ok = false;
        return;
      }
    }
    const values = ctx.strList(eo['values'], [...p, 'values']) ?? [];
    if ((op === 'In' || op === 'NotIn') && values.length === 0) {
      ctx.error([...p, 'values'], `operator ${op} needs at least one value`);
      ok = false;
      return;
    }
    if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
      ctx.error([...p, 'values'], `operator ${op} takes no values`);
      ok = false;
      return;
    }
    const lk = parseLabelKey(key);
    const bad = labelKeyProblem(lk.key) ?? values.map(labelValueProblem).find((x) => x !== undefined);
    if (bad !== undefined) {
      ctx.error([...p, labelKeyProblem(lk.key) !== undefined ? 'key' : 'values'], `${bad} (the API server rejects it)`);
      ok = false;
      return;
    }
    if (lk.key.startsWith('k8s.io.kubernetes.pod.namespace'))
      ctx.warn(
        [...p, 'key'],
        `${show(key)} is a plain label key; did you mean "k8s:io.kubernetes.pod.namespace" (colon, not dot)?`,
      );
    reqs.push({ source: lk.source, key: lk.key, op, values });
  });
  for (const [k] of Object.entries(ml ?? {})) {
    if (k.startsWith('k8s.io.kubernetes.pod.namespace'))
      ctx.warn(
        [...parts, 'matchLabels', k],
        `${show(k)} is a plain label key; did you mean "k8s:io.kubernetes.pod.namespace" (colon, not dot)?`,
      );
  }
  return ok ? makeSelector(reqs) : undefined;
}

/** IANA service name (RFC 6335): 1-15 chars of [a-z0-9-], at least one letter, no leading/trailing/double hyphen. */
export function isServiceName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/.test(s) && /[a-zA-Z]/.test(s);
}

// Reads YAML/JSON files and directories into objects: multi-document streams and `kind: List`
// (or `*List`) are split into their items. Each object keeps a way to find a field's line.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { Diagnostic, PathPart } from '../diagnostics.ts';
import { pathToString } from '../diagnostics.ts';
import { InputError } from '../errors.ts';
import { checkNesting, INPUT_LIMITS, readBoundedText, withinEngineLimits } from '../util/input.ts';

export interface FileDiagnostic extends Diagnostic {
  file: string;
}

export interface SourceObject {
  file: string;
  value: unknown;
  /** Path of this object within its document (`items[3]` inside a List), else empty. */
  prefix: PathPart[];
  /** 1-based line/column of the field at `parts` (relative to the object), or of its nearest existing parent. */
  locate(parts: readonly PathPart[]): { line: number; column: number } | undefined;
}

export interface Loaded {
  objects: SourceObject[];
  /** YAML syntax errors, per file. */
  errors: FileDiagnostic[];
  files: string[];
}

const EXT = /\.(ya?ml|json)$/i;

async function expand(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!st.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...(await expand(p)));
    else if (EXT.test(e.name)) out.push(p);
  }
  return out;
}

/** Parses YAML text of one file (exported for tests and fuzzing). */
export function parseYamlText(file: string, text: string): { objects: SourceObject[]; errors: FileDiagnostic[] } {
  const lc = new LineCounter();
  checkNesting(text, file);
  const docs = withinEngineLimits(file, () =>
    parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false }),
  );
  const objects: SourceObject[] = [];
  const errors: FileDiagnostic[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, di) => {
    const where = list.length > 1 ? `document ${di + 1}` : '(document)';
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const pos = e.linePos?.[0];
        errors.push({
          file,
          severity: 'error',
          path: where,
          message: `YAML syntax: ${e.message.split('\n')[0]}`,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = withinEngineLimits(file, () => doc.toJS({ maxAliasCount: 100 }));
    } catch (e) {
      errors.push({ file, severity: 'error', path: where, message: `YAML: ${(e as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return; // empty document
    const locator = (prefix: PathPart[]) => (parts: readonly PathPart[]) => locate(doc, lc, [...prefix, ...parts]);
    const isList =
      typeof value === 'object' &&
      !Array.isArray(value) &&
      typeof (value as Record<string, unknown>)['kind'] === 'string' &&
      ((value as Record<string, unknown>)['kind'] as string).endsWith('List');
    if (isList && !Array.isArray((value as Record<string, unknown>)['items'])) {
      // A List whose items is not a list would otherwise pass as "not a policy, skipped".
      const pos = locator([])(['items']);
      errors.push({
        file,
        severity: 'error',
        path: `${where === '(document)' ? '' : `${where}: `}items`,
        message: `expected a list of objects in a ${String((value as Record<string, unknown>)['kind'])}`,
        ...(pos ? { line: pos.line, column: pos.column } : {}),
      });
      return;
    }
    if (isList) {
      ((value as Record<string, unknown>)['items'] as unknown[]).forEach((item, i) => {
        objects.push({ file, value: item, prefix: ['items', i], locate: locator(['items', i]) });
      });
    } else {
      objects.push({ file, value, prefix: [], locate: locator([]) });
    }
  });
  return { objects, errors };
}

function locate(doc: Document, lc: LineCounter, parts: PathPart[]): { line: number; column: number } | undefined {
  for (let n = parts.length; n >= 0; n--) {
    const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const p = lc.linePos(node.range[0]);
      return { line: p.line, column: p.col };
    }
  }
  return undefined;
}

export async function loadPaths(paths: string[]): Promise<Loaded> {
  const files: string[] = [];
  for (const p of paths) files.push(...(await expand(p)));
  if (files.length === 0) throw new InputError(`${paths.join(', ')}: no .yaml, .yml or .json files found`);
  const objects: SourceObject[] = [];
  const errors: FileDiagnostic[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readBoundedText(f, 'policy file', INPUT_LIMITS.policy);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${f}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const r = parseYamlText(f, text);
    objects.push(...r.objects);
    errors.push(...r.errors);
  }
  return { objects, errors, files };
}

/** Full path text of a field inside a source object (including a List prefix). */
export function fieldPath(obj: SourceObject, parts: readonly PathPart[]): string {
  return pathToString([...obj.prefix, ...parts]);
}

// Reads an EdgeNetwork file: YAML parse errors and validation messages come back
// with file, line and column.
import { checkNesting, INPUT_LIMITS, readBoundedText, withinEngineLimits } from '../util/input.ts';
import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics.ts';
import { parsePath } from '../diagnostics.ts';
import type { EdgeNetwork } from './types.ts';
import { validateSpec } from './validate.ts';
import { InputError } from '../errors.ts';
import type { Io } from '../output/io.ts';
import { printDiagnostics } from '../output/diagnostics.ts';

export interface LoadedSpec extends Result<EdgeNetwork> {
  file: string;
  /** Adds the line and column of its path in the file to a diagnostic found later (e.g. by the plan). */
  locate?: (d: Diagnostic) => Diagnostic;
}

export async function readSpecFile(file: string): Promise<string> {
  try {
    return await readBoundedText(file, 'spec', INPUT_LIMITS.spec);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, expected a YAML file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    throw new InputError(`cannot read spec ${file}: ${why}`);
  }
}

/** Parses and validates spec text. YAML syntax errors throw InputError; validation problems are returned. */
export function parseSpec(text: string, file: string): LoadedSpec {
  const lc = new LineCounter();
  checkNesting(text, file);
  const docs = withinEngineLimits(file, () =>
    parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true }),
  );
  if (!Array.isArray(docs)) throw new InputError(`${file}: not a YAML document stream`);
  const syntax = docs.flatMap((doc) => doc.errors);
  if (syntax.length > 0) {
    const lines = syntax.map((e) => {
      const pos = lc.linePos(e.pos[0]);
      return `${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
    });
    throw new InputError(`${file} is not valid YAML`, lines);
  }
  const real = docs.filter((doc) => doc.contents !== null);
  if (real.length !== 1) {
    throw new InputError(
      real.length === 0
        ? `${file} is empty; expected one EdgeNetwork document`
        : `${file} has ${real.length} YAML documents; expected exactly one EdgeNetwork`,
    );
  }
  const doc = real[0]!;
  let raw: unknown;
  try {
    raw = withinEngineLimits(file, () => doc.toJS({ maxAliasCount: 10_000 }));
  } catch (e) {
    throw new InputError(`${file}: cannot expand the document: ${(e as Error).message}`);
  }
  const result = validateSpec(raw);
  const locate = (d: Diagnostic): Diagnostic => withPosition(d, doc, lc);
  return { ...result, errors: result.errors.map(locate), warnings: result.warnings.map(locate), file, locate };
}

export async function loadSpec(file: string): Promise<LoadedSpec> {
  return parseSpec(await readSpecFile(file), file);
}

/** A spec that must be valid for the command to go on. */
export interface ValidSpec extends LoadedSpec {
  value: EdgeNetwork;
}

/**
 * The one way commands load a spec they need: on errors, every diagnostic (warnings too) goes
 * to stderr with file:line:col, then InputError "FILE: N errors; <consequence>" (exit 2).
 */
export async function loadSpecOrFail(io: Io, file: string, consequence = 'nothing done'): Promise<ValidSpec> {
  return specOrFail(io, await loadSpec(file), consequence);
}

/** loadSpecOrFail for spec text already read. */
export function specOrFail(io: Io, spec: LoadedSpec, consequence = 'nothing done'): ValidSpec {
  if (spec.errors.length === 0 && spec.value !== undefined) return spec as ValidSpec;
  printDiagnostics(io, spec.file, spec.errors, spec.warnings);
  const n = spec.errors.length;
  throw new InputError(`${spec.file}: ${n} error${n === 1 ? '' : 's'}; ${consequence}`);
}

/** Finds the line of the deepest existing node on the diagnostic's path. */
function withPosition(d: Diagnostic, doc: Document, lc: LineCounter): Diagnostic {
  const parts = parsePath(d.path);
  for (let n = parts.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(parts.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { ...d, line: pos.line, column: pos.col };
    }
  }
  return d;
}

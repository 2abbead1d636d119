// A small schema language for the EdgeNetwork spec. One definition serves three
// purposes: type checking with field paths, filling defaults, and the generated
// spec reference (docs/spec.md, `kec spec reference`).
import type { Diagnostics, PathPart } from '../diagnostics.ts';
import { show } from '../diagnostics.ts';
import { parseQuantity } from '../util/quantity.ts';

interface Base {
  doc: string;
  /** Shown in the reference; for objects, defaults come from their fields. */
  example?: string;
}

export type Field =
  | (Base & {
      t: 'string';
      default?: string;
      enum?: readonly string[];
      pattern?: RegExp;
      patternHint?: string;
      required?: boolean;
    })
  | (Base & { t: 'int'; default?: number; min?: number; max?: number; required?: boolean })
  | (Base & { t: 'number'; default?: number; min?: number; max?: number; exclusiveMin?: boolean; required?: boolean })
  | (Base & { t: 'bool'; default?: boolean; required?: boolean })
  | (Base & { t: 'quantity'; unit: 'bytes' | 'cpu'; default?: string; required?: boolean })
  | (Base & { t: 'object'; fields: Record<string, Field>; required?: boolean })
  | (Base & { t: 'array'; items: Field; default?: readonly unknown[]; required?: boolean; minItems?: number })
  | (Base & { t: 'stringMap'; default?: Readonly<Record<string, string>>; required?: boolean })
  | (Base & { t: 'map'; default?: Readonly<Record<string, unknown>>; required?: boolean });

const TYPE_NAMES: Record<Field['t'], string> = {
  string: 'a string',
  int: 'an integer',
  number: 'a number',
  bool: 'a boolean (true or false)',
  quantity: 'a quantity',
  object: 'a mapping',
  array: 'a list',
  stringMap: 'a mapping of strings to strings',
  map: 'a mapping',
};

/** How deep free-form values may nest (Helm values and edgecore settings need fewer than 20). */
export const MAX_NESTING = 64;

/** Depth of nested mappings and lists, counting no further than `limit`. */
export function nestingDepth(v: unknown, limit: number): number {
  if (v === null || typeof v !== 'object') return 0;
  if (limit <= 0) return 1;
  let max = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
    max = Math.max(max, nestingDepth(x, limit - 1));
    if (max >= limit) break;
  }
  return max + 1;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function closest(name: string, candidates: string[]): string | undefined {
  const lower = name.toLowerCase();
  return (
    candidates.find((c) => c.toLowerCase() === lower) ??
    candidates.find((c) => c.toLowerCase().startsWith(lower.slice(0, 4)) && Math.abs(c.length - name.length) <= 3)
  );
}

/**
 * Stage 1 and 2: checks `value` against `field` and returns it normalised (defaults
 * filled, quantities kept as text — rules convert them). Paths already carrying an
 * error (from earlier, more specific checks) are not reported again.
 */
export function check(field: Field, value: unknown, path: PathPart[], d: Diagnostics): unknown {
  if (value === undefined || value === null) {
    if ('required' in field && field.required) {
      if (!d.hasErrorAt(path)) d.error(path, `is required (${TYPE_NAMES[field.t]}): ${field.doc}`);
      return undefined;
    }
    if (field.t === 'object') return check(field, {}, path, d);
    return 'default' in field ? structuredClone(field.default) : undefined;
  }
  // On a type error the default stands in, so that later rules still see a whole document.
  const fail = (expected: string): unknown => {
    if (!d.hasErrorAt(path)) d.error(path, `${show(value)} is not ${expected}`);
    if (field.t === 'object') return check(field, {}, path, d);
    return 'default' in field ? structuredClone(field.default) : undefined;
  };
  switch (field.t) {
    case 'string': {
      if (typeof value !== 'string') {
        // YAML turns 1.20 into a number: accept numbers for strings and say how to quote.
        if (typeof value === 'number' && field.pattern) {
          return fail(`a string; quote it in YAML ("${value}") so that it is not read as the number ${value}`);
        }
        return fail(TYPE_NAMES.string);
      }
      if (field.enum && !field.enum.includes(value)) return fail(`one of ${field.enum.join(', ')}`);
      if (field.pattern && !field.pattern.test(value)) return fail(field.patternHint ?? `matching ${field.pattern}`);
      return value;
    }
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail(TYPE_NAMES[field.t]);
      if (field.t === 'int' && !Number.isInteger(value)) return fail(TYPE_NAMES.int);
      if (
        field.min !== undefined &&
        (value < field.min || ('exclusiveMin' in field && field.exclusiveMin && value === field.min))
      ) {
        return fail(
          `${TYPE_NAMES[field.t]} ${'exclusiveMin' in field && field.exclusiveMin ? '>' : '>='} ${field.min}${field.max !== undefined ? ` and <= ${field.max}` : ''}`,
        );
      }
      if (field.max !== undefined && value > field.max) return fail(`${TYPE_NAMES[field.t]} <= ${field.max}`);
      return value;
    }
    case 'bool':
      return typeof value === 'boolean' ? value : fail(TYPE_NAMES.bool);
    case 'quantity': {
      const text = typeof value === 'number' ? String(value) : value;
      const q = typeof text === 'string' ? parseQuantity(text) : undefined;
      if (q === undefined) {
        return fail(
          field.unit === 'bytes'
            ? 'a memory quantity such as 512Mi, 4Gi or 2G'
            : 'a CPU quantity such as 4, 1.5 or 500m',
        );
      }
      // Bounds that no edge node (or any machine) exceeds: 64 TiB of memory, 4096 cores.
      if (field.unit === 'bytes' ? q > 2 ** 46 : q > 4096)
        return fail(field.unit === 'bytes' ? 'a memory size of at most 64Ti' : 'a CPU count of at most 4096');
      return text;
    }
    case 'stringMap': {
      if (!isPlainObject(value)) return fail(TYPE_NAMES.stringMap);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) {
        if (typeof v === 'string') out[k] = v;
        else if (v === null || v === '') out[k] = '';
        else if (typeof v === 'number' || typeof v === 'boolean') {
          d.error([...path, k], `${show(v)} must be a string; quote it in YAML ("${String(v)}")`);
        } else d.error([...path, k], `${show(v)} is not a string`);
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) return fail(TYPE_NAMES.array);
      if (field.minItems !== undefined && value.length < field.minItems) {
        d.error(path, `needs at least ${field.minItems} item${field.minItems === 1 ? '' : 's'}`);
      }
      return value.map((item, i) => check(field.items, item, [...path, i], d));
    }
    case 'object': {
      if (!isPlainObject(value)) return fail(TYPE_NAMES.object);
      const out: Record<string, unknown> = {};
      const known = Object.keys(field.fields);
      for (const k of Object.keys(value)) {
        if (!(k in field.fields) && !d.hasErrorAt([...path, k])) {
          const near = closest(k, known);
          d.error(
            [...path, k],
            `unknown field${near ? `; did you mean "${near}"?` : `; known fields: ${known.join(', ')}`}`,
          );
        }
      }
      for (const [k, f] of Object.entries(field.fields)) {
        const v = check(f, value[k], [...path, k], d);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    case 'map': {
      // Free-form (Helm values, edgecore settings), but a mapping, and not nested without end.
      if (!isPlainObject(value)) return fail(TYPE_NAMES.map);
      if (nestingDepth(value, MAX_NESTING + 1) > MAX_NESTING) {
        d.error(path, `nesting deeper than ${MAX_NESTING} levels`);
        return undefined;
      }
      return value;
    }
  }
}

export interface ReferenceRow {
  path: string;
  type: string;
  default: string;
  doc: string;
}

/** Flattens a schema into reference rows (path, type, default, description). */
export function reference(field: Field, path = ''): ReferenceRow[] {
  const type = (f: Field): string => {
    switch (f.t) {
      case 'string':
        return f.enum ? f.enum.map((e) => `\`${e}\``).join(' \\| ') : 'string';
      case 'array':
        return `list of ${f.items.t === 'object' ? 'objects' : type(f.items)}`;
      case 'stringMap':
        return 'map[string]string';
      case 'quantity':
        return f.unit === 'bytes' ? 'memory quantity' : 'CPU quantity';
      default:
        return f.t === 'int' ? 'integer' : f.t === 'bool' ? 'boolean' : f.t;
    }
  };
  const dflt = (f: Field): string => {
    if ('required' in f && f.required) return '(required)';
    if (f.t === 'object') return '';
    const v = 'default' in f ? f.default : undefined;
    if (v === undefined) return f.example ? `— (e.g. \`${f.example}\`)` : '—';
    return `\`${JSON.stringify(v)}\``;
  };
  const rows: ReferenceRow[] = [];
  if (path) rows.push({ path, type: type(field), default: dflt(field), doc: field.doc });
  if (field.t === 'object') {
    for (const [k, f] of Object.entries(field.fields)) rows.push(...reference(f, path ? `${path}.${k}` : k));
  } else if (field.t === 'array' && field.items.t === 'object') {
    for (const [k, f] of Object.entries(field.items.fields)) rows.push(...reference(f, `${path}[].${k}`));
  }
  return rows;
}

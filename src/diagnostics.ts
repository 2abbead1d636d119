// Validation messages: every one names the field path it is about.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Field path in the spec, e.g. `spec.edgeGroups[1].link.mtu`. */
  path: string;
  message: string;
  /** 1-based position of the field in the file, when known. */
  line?: number;
  column?: number;
}

export interface Result<T> {
  value: T | undefined;
  warnings: Diagnostic[];
  errors: Diagnostic[];
}

export type PathPart = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.edgeGroups[0].nodeSelector["kec.kubeedge.io/group"]`: keys that are not plain names are quoted. */
export function pathToString(parts: readonly PathPart[]): string {
  let s = '';
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (!PLAIN_KEY.test(p)) s += `[${JSON.stringify(p)}]`;
    else s += s === '' ? p : `.${p}`;
  }
  return s;
}

/** The inverse of pathToString. */
export function parsePath(path: string): PathPart[] {
  const parts: PathPart[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    if (m[1] !== undefined) parts.push(Number(m[1]));
    else if (m[2] !== undefined) parts.push(JSON.parse(m[2]) as string);
    else parts.push(m[3]!);
  }
  return parts;
}

/** Collects diagnostics; a second message for the same path and severity is kept, an identical one is dropped. */
export class Diagnostics {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];

  error(path: readonly PathPart[] | string, message: string): void {
    this.push(this.errors, { severity: 'error', path: typeof path === 'string' ? path : pathToString(path), message });
  }

  warn(path: readonly PathPart[] | string, message: string): void {
    this.push(this.warnings, {
      severity: 'warning',
      path: typeof path === 'string' ? path : pathToString(path),
      message,
    });
  }

  /** True when an error was reported at this path, below it, or at one of its ancestors. */
  hasErrorAt(path: readonly PathPart[] | string): boolean {
    const p = typeof path === 'string' ? path : pathToString(path);
    const within = (inner: string, outer: string): boolean =>
      inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
    return this.errors.some((e) => within(e.path, p) || within(p, e.path));
  }

  private push(list: Diagnostic[], d: Diagnostic): void {
    if (!list.some((x) => x.path === d.path && x.message === d.message)) list.push(d);
  }
}

export function formatDiagnostic(d: Diagnostic, file?: string): string {
  const where = file ? `${file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
  return `${where}${d.severity}: ${d.path}: ${d.message}`;
}

/** Quotes a user value for a message: strings in double quotes, others as JSON. */
export function show(value: unknown): string {
  // Messages quote input, but only a short excerpt of it (an 80 KB value would drown the error).
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(value);
  }
}

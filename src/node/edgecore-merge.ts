// Merges an edgecore patch into edgecore.yaml by editing the text in place: only the
// values that change are rewritten and missing keys are inserted after their last
// sibling, so comments, key order and formatting elsewhere stay byte-identical.
// Maps merge recursively; lists and scalars replace. The result is re-parsed and
// compared with the intended merge; if the in-place edit cannot express it, the
// document is re-serialised by the yaml library instead (reported as `reformatted`).
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import { isDeepStrictEqual } from 'node:util';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function deepMerge(base: unknown, patch: Obj): Obj {
  const out: Obj = isObj(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) out[k] = isObj(v) ? deepMerge(out[k], v) : v;
  return out;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const scalarText = (v: unknown): string => stringify(v, { lineWidth: 0 }).trimEnd();
const flowText = (v: unknown): string => (Array.isArray(v) ? `[${v.map(scalarText).join(', ')}]` : scalarText(v));
const blockText = (v: Obj, indent: string): string =>
  stringify(v, { lineWidth: 0, indentSeq: false })
    .trimEnd()
    .split('\n')
    .map((l) => indent + l)
    .join('\n');

function column(src: string, offset: number): number {
  return offset - (src.lastIndexOf('\n', offset - 1) + 1);
}
function lineEnd(src: string, offset: number): number {
  const nl = src.indexOf('\n', offset);
  return nl < 0 ? src.length : nl + 1;
}

class Unsupported extends Error {}

function editMap(src: string, map: YAMLMap, patch: Obj, edits: Edit[]): void {
  if (map.flow || map.items.length === 0) throw new Unsupported('flow or empty map');
  const missing: Obj = {};
  for (const [key, val] of Object.entries(patch)) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as
      Pair<Node, Node | null> | undefined;
    if (!pair) {
      missing[key] = val;
      continue;
    }
    const node = pair.value;
    const cur = node ? ((node as Node).toJSON() as unknown) : null;
    if (isObj(val)) {
      if (isMap(node) && !node.flow && node.items.length) editMap(src, node, val, edits);
      else if (!isDeepStrictEqual(deepMerge(cur, val), cur)) throw new Unsupported(`${key}: not a block map`);
      continue;
    }
    if (isDeepStrictEqual(cur, val)) continue;
    if (!node || !node.range) throw new Unsupported(`${key}: no value node`);
    const start = node.range[0];
    const end = start + src.slice(start, node.range[1]).trimEnd().length;
    if (isScalar(node) && (node.value === null || start === end) && !Array.isArray(val)) {
      const before = src[start - 1];
      edits.push({ start, end, text: `${before === ':' ? ' ' : ''}${scalarText(val)}` });
    } else if (isScalar(node) && !Array.isArray(val)) {
      edits.push({ start, end, text: scalarText(val) });
    } else if (
      Array.isArray(val) &&
      isSeq(node) &&
      !node.flow &&
      node.items.length &&
      val.every((x) => !isObj(x) && !Array.isArray(x)) &&
      val.length
    ) {
      const ind = ' '.repeat(column(src, start));
      edits.push({ start, end, text: val.map((x, i) => `${i ? ind : ''}- ${scalarText(x)}`).join('\n') });
    } else if (Array.isArray(val) && (isSeq(node) ? node.flow : isScalar(node))) {
      const before = src[start - 1];
      edits.push({ start, end, text: `${before === ':' ? ' ' : ''}${flowText(val)}` });
    } else {
      throw new Unsupported(`${key}: cannot replace in place`);
    }
  }
  if (Object.keys(missing).length) {
    const first = map.items[0]!;
    const last = map.items[map.items.length - 1]!;
    const keyStart = (first.key as Node).range![0];
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
    const at = lineEnd(src, Math.max(lastEnd - 1, 0));
    const text = blockText(missing, ' '.repeat(column(src, keyStart)));
    edits.push({ start: at, end: at, text: `${at > 0 && src[at - 1] !== '\n' ? '\n' : ''}${text}\n` });
  }
}

export interface MergeResult {
  text: string;
  changed: boolean;
  /** True when the in-place edit was not possible and the yaml library re-serialised the file. */
  reformatted: boolean;
}

export function mergeEdgecoreText(src: string, patch: Obj): MergeResult {
  const doc = parseDocument(src, { keepSourceTokens: true });
  const original = doc.toJS() as unknown;
  const expected = deepMerge(original, patch);
  if (isDeepStrictEqual(expected, original)) return { text: src, changed: false, reformatted: false };
  try {
    if (!isMap(doc.contents)) throw new Unsupported('not a map');
    const edits: Edit[] = [];
    editMap(src, doc.contents, patch, edits);
    // Descending offsets; at one offset the outer map's insertion (pushed later) goes
    // first so that the inner one ends up right after its own last sibling.
    const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
    let text = src;
    for (const { e } of order) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    const check = parseDocument(text);
    if (!check.errors.length && isDeepStrictEqual(check.toJS(), expected))
      return { text, changed: true, reformatted: false };
    if (process.env['KEC_DEBUG_MERGE']) process.stderr.write(`in-place merge rejected:\n${text}\n`);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    if (process.env['KEC_DEBUG_MERGE']) process.stderr.write(`in-place merge not possible: ${e.message}\n`);
  }
  const setAll = (obj: Obj, path: string[]): void => {
    for (const [k, v] of Object.entries(obj)) {
      const cur = doc.getIn([...path, k]);
      if (isObj(v) && (isMap(cur) || cur === undefined)) setAll(v, [...path, k]);
      else doc.setIn([...path, k], v);
    }
  };
  setAll(patch, []);
  const text = doc.toString({ lineWidth: 0, indentSeq: false });
  if (!isDeepStrictEqual(parseDocument(text).toJS(), expected))
    throw new Error('internal: edgecore merge did not produce the intended document');
  return { text, changed: true, reformatted: true };
}

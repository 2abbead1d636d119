// The two commands through the CLI: in-process run() for output and errors, and the bundled
// dist/kec.mjs for --follow on a live stdin stream.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { KEC_BIN, ROOT, FIXTURES } from '../../../test/paths.ts';
import { run } from '../main.ts';
import type { Io } from '../../output/io.ts';
import { palette } from '../../output/color.ts';

const OBSERVE = join(ROOT, 'test', 'fixtures', 'observe');
const tmp = await mkdtemp(join(tmpdir(), 'kec-observe-cli-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function kec(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    color: palette(false),
    cwd: ROOT,
  };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('kec flows summarize', () => {
  it('prints the JSON contract', async () => {
    const r = await kec([
      'flows',
      'summarize',
      join(OBSERVE, 'flows-edge.jsonl'),
      '-f',
      join(OBSERVE, 'spec.yaml'),
      '--nodes',
      join(OBSERVE, 'nodes.json'),
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out) as Record<string, unknown>;
    for (const k of ['total', 'malformed', 'byVerdict', 'byDropReason', 'policyDenies', 'byGroup'])
      expect(s).toHaveProperty(k);
    expect(s['total']).toBe(27);
    expect(Object.keys(s['byGroup'] as object)).toContain('shop-floor');
    expect((s['policyDenies'] as Array<Record<string, unknown>>)[0]).toEqual({
      source: 'factory/sensor-7d9f-abcde',
      destination: 'store/api-66f-qwe34',
      port: 8080,
      protocol: 'TCP',
      count: 5,
    });
  });

  it('prints tables per node for a shared fixture, with --top', async () => {
    const r = await kec([
      'flows',
      'summarize',
      join(FIXTURES, 'hubble-flows', 'basic-sample-330-dns-flows.json'),
      '--top',
      '3',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Flows: 330 {2}dropped: 0/);
    expect(r.out).toContain('By node');
    expect(r.out).toMatch(/DNS: \d+ queries/);
  });

  it('rejects bad input with exit 2 and a clear message', async () => {
    const missing = await kec(['flows', 'summarize', join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read flows .*nope\.json: no such file/);
    const nodes = await kec([
      'flows',
      'summarize',
      join(OBSERVE, 'flows-edge.jsonl'),
      '--nodes',
      join(OBSERVE, 'spec.yaml'),
    ]);
    expect(nodes.code).toBe(2);
    expect(nodes.err).toMatch(/--nodes .*spec\.yaml: expected a NodeList/);
    const slip = await kec(['flows', 'summarize', '-f', join(OBSERVE, 'flows-edge.jsonl')]);
    expect(slip.code).toBe(2);
    expect(slip.err).toContain(
      'looks like Hubble flows: -f names the EdgeNetwork spec; pass the flows as the argument',
    );
    const top = await kec(['flows', 'summarize', join(OBSERVE, 'flows-edge.jsonl'), '--top', '0']);
    expect(top.code).toBe(2);
    expect(top.err).toContain('--top 0: expected a positive whole number');
    expect(`${missing.err}${nodes.err}${top.err}`).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('kec monitoring rules', () => {
  it('writes YAML to a file given with -o and JSON to stdout with -o json', async () => {
    const file = join(tmp, 'rules.yaml');
    const w = await kec(['monitoring', 'rules', '-f', join(OBSERVE, 'spec.yaml'), '-o', file]);
    expect(w.code).toBe(0);
    expect(w.err).toMatch(/Wrote 13 alerts \(2 groups\)/);
    const doc = parse(await readFile(file, 'utf8')) as { kind: string; spec: { groups: unknown[] } };
    expect(doc.kind).toBe('PrometheusRule');
    const j = await kec(['monitoring', 'rules', '-f', join(OBSERVE, 'spec.yaml'), '-o', 'json']);
    expect(JSON.parse(j.out)).toEqual(doc);
  });

  it('--format rule-file writes a plain rule file that promtool check rules accepts as is', async () => {
    const file = join(tmp, 'kec.rules.yml');
    const w = await kec(['monitoring', 'rules', '-f', join(OBSERVE, 'spec.yaml'), '--format', 'rule-file', '-o', file]);
    expect(w.code).toBe(0);
    const doc = parse(await readFile(file, 'utf8')) as { groups: unknown[]; kind?: string };
    expect(doc.kind).toBeUndefined();
    expect(doc.groups).toHaveLength(2);
    const check = await promisify(execFile)('promtool', ['check', 'rules', file]);
    expect(check.stdout).toMatch(/SUCCESS: 13 rules found/);
    // Written again over its own file; the PrometheusRule form stays the default.
    expect(
      (await kec(['monitoring', 'rules', '-f', join(OBSERVE, 'spec.yaml'), '--format', 'rule-file', '-o', file])).code,
    ).toBe(0);
    const bad = await kec(['monitoring', 'rules', '-f', join(OBSERVE, 'spec.yaml'), '--format', 'rules']);
    expect(bad.code).toBe(2);
  });

  it('warns when the spec does not enable the metrics the alerts read', async () => {
    const spec = join(tmp, 'no-metrics.yaml');
    await writeFile(
      spec,
      (await readFile(join(OBSERVE, 'spec.yaml'), 'utf8')).replace('prometheus: true', 'prometheus: false'),
    );
    const r = await kec(['monitoring', 'rules', '-f', spec, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      'spec.cilium.prometheus is false, so the agents export none of the metrics these alerts read',
    );
  });

  it('fails with exit 2 on a missing spec or an unwritable target', async () => {
    const r = await kec(['monitoring', 'rules', '-f', join(tmp, 'missing.yaml')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read spec .*missing\.yaml: no such file/);
    const w = await kec([
      'monitoring',
      'rules',
      '-f',
      join(OBSERVE, 'spec.yaml'),
      '-o',
      join(tmp, 'no', 'dir', 'r.yaml'),
    ]);
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/cannot write -o .*: its directory does not exist/);
  });
});

describe.skipIf(!existsSync(KEC_BIN))('kec flows summarize --follow (dist/kec.mjs)', () => {
  it('prints refreshed summaries while stdin streams, then a final one', async () => {
    const lines = (await readFile(join(OBSERVE, 'flows-edge.jsonl'), 'utf8')).split('\n');
    const child = spawn(
      process.execPath,
      [KEC_BIN, 'flows', 'summarize', '--follow', '--interval', '1', '-o', 'json'],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stdin.write(lines.slice(0, 10).join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 1600));
    const early = out.trim().split('\n').filter(Boolean);
    expect(early.length).toBeGreaterThanOrEqual(1);
    expect((JSON.parse(early[0]!) as { total: number }).total).toBe(8); // 10 lines: 8 flows, a node_status and a blank line
    child.stdin.end(lines.slice(10).join('\n'));
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(0);
    const all = out.trim().split('\n');
    expect((JSON.parse(all.at(-1)!) as { total: number; malformed: number }).total).toBe(27);
  });
});

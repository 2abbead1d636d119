import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../main.ts';
import type { Io } from '../../output/io.ts';
import { palette } from '../../output/color.ts';
import { EXAMPLES } from '../../../test/paths.ts';

const P = join(EXAMPLES, 'policy');
const INV = ['-i', join(P, 'inventory.yaml'), '-i', join(P, 'inventory-extras.yaml')];

async function kec(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
    color: palette(false),
    cwd: process.cwd(),
  };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('kec policy', () => {
  it('check: valid examples exit 0, broken ones exit 1 with file:line and path', async () => {
    expect((await kec('policy', 'check', join(P, 'current'))).code).toBe(0);
    const bad = await kec('policy', 'check', join(P, 'invalid-example.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /invalid-example\.yaml:\d+:\d+: error: spec\.ingress\[1\]\.fromEntities\[0\]: unsupported entity "planet"/,
    );
    const json = JSON.parse((await kec('policy', 'check', join(P, 'invalid-example.yaml'), '-o', 'json')).out);
    expect(json.valid).toBe(false);
  });
  it('check: a missing file is exit 2', async () => {
    const r = await kec('policy', 'check', join(P, 'nope.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nope\.yaml: cannot read/);
  });
  it('trace: JSON names the deciding rule; denied still exits 0', async () => {
    const r = await kec(
      'policy',
      'trace',
      '-p',
      join(P, 'current'),
      ...INV,
      '--from',
      'z/a',
      '--to',
      'x/a',
      '--port',
      '80',
      '-o',
      'json',
    );
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.verdict).toBe('denied');
    expect(v.egress.verdict).toBe('allowed');
    expect(v.ingress.reasons).toContainEqual(
      expect.objectContaining({
        policy: 'default-deny-ingress',
        namespace: 'x',
        kind: 'NetworkPolicy',
        effect: 'default-deny',
      }),
    );
    const ok = JSON.parse(
      (
        await kec(
          'policy',
          'trace',
          '-p',
          join(P, 'current'),
          ...INV,
          '--from',
          'y/b',
          '--to',
          'x/a',
          '--port',
          '80',
          '-o',
          'json',
        )
      ).out,
    );
    expect(ok.verdict).toBe('allowed');
    expect(ok.ingress.reasons[0]).toMatchObject({ policy: 'allow-a-from-y', rule: 'spec.ingress[0]', effect: 'allow' });
  });
  it('trace: HTTP rules and CIDR peers', async () => {
    const base = ['policy', 'trace', '-p', join(P, 'current'), ...INV];
    const post = await kec(
      ...base,
      '--from',
      'edge-apps/dashboard',
      '--to',
      'edge-apps/sensor-gw',
      '--port',
      '8080',
      '--http-method',
      'POST',
      '--http-path',
      '/api/x',
    );
    expect(post.out).toMatch(/DENIED/);
    const get = await kec(
      ...base,
      '--from',
      'edge-apps/dashboard',
      '--to',
      'edge-apps/sensor-gw',
      '--port',
      '8080',
      '--http-path',
      '/api/x',
    );
    expect(get.out).toMatch(/: ALLOWED/);
    const plc = JSON.parse(
      (await kec(...base, '--from', 'edge-apps/sensor-gw', '--to', 'cidr:10.30.0.7', '--port', '1883', '-o', 'json'))
        .out,
    );
    expect(plc.verdict).toBe('allowed');
    const excepted = JSON.parse(
      (await kec(...base, '--from', 'edge-apps/sensor-gw', '--to', 'cidr:10.30.0.200', '--port', '1883', '-o', 'json'))
        .out,
    );
    expect(excepted.verdict).toBe('denied');
  });
  it('trace: bad input is exit 2 with a message', async () => {
    const r = await kec(
      'policy',
      'trace',
      '-p',
      join(P, 'current'),
      ...INV,
      '--from',
      'x/nope',
      '--to',
      'x/a',
      '--port',
      '80',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/x\/nope: no such pod/);
    const bad = await kec(
      'policy',
      'trace',
      '-p',
      join(P, 'invalid-example.yaml'),
      ...INV,
      '--from',
      'x/a',
      '--to',
      'x/b',
      '--port',
      '80',
    );
    expect(bad.code).toBe(2);
  });
  it('matrix: json and csv', async () => {
    const j = JSON.parse(
      (await kec('policy', 'matrix', '-p', join(P, 'current'), ...INV, '--port', '80', '-o', 'json')).out,
    );
    expect(j.pods).toContain('x/a');
    expect(j.allowed['y/b']['x/a']).toBe(true);
    expect(j.allowed['z/b']['x/a']).toBe(false);
    const csv = (await kec('policy', 'matrix', '-p', join(P, 'current'), ...INV, '--port', '80', '-o', 'csv')).out
      .trim()
      .split('\n');
    expect(csv[0]).toMatch(/^from\\to,x\/a,/);
    expect(csv.length).toBe(j.pods.length + 1);
  });
  it('diff: exit 1 and the changed flows', async () => {
    const r = await kec('policy', 'diff', '-p', join(P, 'current'), '-q', join(P, 'proposed'), ...INV, '-o', 'json');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out);
    expect(d.changes).toContainEqual({
      from: 'edge-apps/sensor-gw',
      to: 'cidr:198.51.100.53/32',
      port: 1883,
      protocol: 'TCP',
      old: false,
      new: true,
    });
    expect((await kec('policy', 'diff', '-p', join(P, 'current'), '-q', join(P, 'current'), ...INV)).code).toBe(0);
  });
});

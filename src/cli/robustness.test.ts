// Bad input found in review: each case must end with a clear message and exit 2 (or a
// quiet stop), never a stack trace, and must not touch files it was not asked to.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { EXAMPLES, KEC_BIN, ROOT } from '../../test/paths.ts';
import { baseRaw, set } from '../../test/specs.ts';
import { validateSpec } from '../edgenetwork/validate.ts';

const exec = promisify(execFile);
interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}
async function kec(args: string[], cwd = ROOT): Promise<Ran> {
  try {
    const r = await exec(process.execPath, [KEC_BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 64 << 20,
    });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as Ran;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}
const tmp = (): string => mkdtempSync(join(tmpdir(), 'kec-robust-'));
const noTrace = (r: Ran): void => {
  expect(r.stderr).not.toMatch(/\n\s+at |this is a bug in kec/);
};

describe('review findings', () => {
  it('kec plan never deletes files outside its directory, whatever plan.json lists', async () => {
    const d = tmp();
    const out = join(d, 'out');
    expect((await kec(['plan', '-f', join(EXAMPLES, 'edge-cluster.yaml'), '-d', out])).code).toBe(0);
    writeFileSync(join(d, 'victim.txt'), 'keep me');
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { files: string[] };
    plan.files.push('../victim.txt', '/etc/hostname-kec-test');
    writeFileSync(join(out, 'plan.json'), JSON.stringify(plan));
    expect((await kec(['plan', '-f', join(EXAMPLES, 'edge-cluster.yaml'), '-d', out])).code).toBe(0);
    expect(readFileSync(join(d, 'victim.txt'), 'utf8')).toBe('keep me');
  });

  it('reports a non-string Hubble metric as a type error, not a crash', () => {
    const r = validateSpec(set(baseRaw(), 'spec.cilium.hubble.metrics', ['dns', { drop: 'context' }]));
    expect(r.errors.map((e) => e.path)).toEqual(['spec.cilium.hubble.metrics[1]']);
  });

  it('treats an empty selector value as "any value" when checking groups for overlap', () => {
    const raw = baseRaw();
    set(raw, 'spec.edgeGroups.0.nodeSelector', { site: '' });
    set(raw, 'spec.edgeGroups.1', { name: 'g2', memory: '1Gi', nodeSelector: { site: 'x' } });
    expect(
      validateSpec(raw)
        .errors.map((e) => e.message)
        .join(),
    ).toMatch(/selects nodes that group "g1"/);
  });

  it('refuses to overwrite the spec or a foreign file with monitoring rules', async () => {
    const d = tmp();
    const spec = join(d, 'spec.yaml');
    writeFileSync(spec, stringify(baseRaw()));
    const r = await kec(['monitoring', 'rules', '-f', spec, '-o', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is also an input of this command/);
    expect(readFileSync(spec, 'utf8')).toContain('EdgeNetwork');
    noTrace(r);
  });

  it('names broken --plan, --root and --patch inputs of kec node (exit 2)', async () => {
    const d = tmp();
    writeFileSync(join(d, 'plan.json'), 'null');
    const nullPlan = await kec(['node', 'preflight', '--plan', d, '--group', 'g']);
    expect(nullPlan.code).toBe(2);
    expect(nullPlan.stderr).toMatch(/not a kec plan/);
    noTrace(nullPlan);
    const noRoot = await kec(['node', 'preflight', '--root', join(d, 'missing')]);
    expect(noRoot.code).toBe(2);
    expect(noRoot.stderr).toMatch(/--root .*: no such directory/);
    const root = join(d, 'root');
    mkdirSync(join(root, 'etc/kubeedge/config'), { recursive: true });
    writeFileSync(
      join(root, 'etc/kubeedge/config/edgecore.yaml'),
      'apiVersion: edgecore.config.kubeedge.io/v1alpha2\nkind: EdgeCore\nmodules:\n  edgeStream:\n    enable: false\n',
    );
    for (const [patch, msg] of [
      ['modules: 5\n', /would replace the section modules/],
      ['modules:\n  edgeStream: null\n', /is null/],
      ['__proto__:\n  x: 1\n', /not allowed/],
    ] as const) {
      writeFileSync(join(d, 'p.yaml'), patch);
      const r = await kec(['node', 'configure', '--root', root, '--patch', join(d, 'p.yaml'), '--dry-run']);
      expect(r.code, patch).toBe(2);
      expect(r.stderr).toMatch(msg);
      noTrace(r);
    }
    expect(existsSync(join(root, 'etc/kubeedge/config/edgecore.yaml'))).toBe(true);
  });

  const systemNode = '/usr/bin/node';
  const oldNode =
    existsSync(systemNode) &&
    Number(/^v(\d+)/.exec(String(spawnSync(systemNode, ['--version']).stdout))?.[1] ?? 99) < 22;
  it.skipIf(!oldNode)('says which Node.js it needs when started by an older one', async () => {
    const r = spawnSync(systemNode, [KEC_BIN, 'version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: kec needs Node\.js 22 or newer; this is Node\.js 2\d/);
  });

  it('stops quietly when the reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [KEC_BIN, 'plan', '-f', join(EXAMPLES, 'edge-cluster.yaml'), '-o', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });
});

describe('hostile input classes: exit 2, bounded time and memory, the file and field named', () => {
  const example = join(EXAMPLES, 'edge-cluster.yaml');

  it('size: /dev/zero and gzip bombs as spec, kernel config, manifest and policy', async () => {
    const d = tmp();
    const bomb = join(d, 'config.gz');
    writeFileSync(bomb, spawnSync('gzip', ['-c'], { input: Buffer.alloc(64 << 20) }).stdout);
    const cases: Array<[string[], RegExp]> = [
      [['validate', '-f', '/dev/zero'], /spec \/dev\/zero: larger than 4 MiB/],
      [['node', 'preflight', '--kernel-config', '/dev/zero'], /--kernel-config \/dev\/zero: larger than 8 MiB/],
      [['node', 'preflight', '--kernel-config', bomb], /decompresses to more than 8 MiB; not a kernel config/],
      [
        ['plan', '-f', example, '-o', 'json', '--cilium-manifest', '/dev/zero'],
        /--cilium-manifest \/dev\/zero: larger than 32 MiB/,
      ],
      [['policy', 'check', '/dev/zero'], /\/dev\/zero/],
    ];
    for (const [args, msg] of cases) {
      const r = await kec(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(msg);
      noTrace(r);
    }
  });

  it('engine limits: deep nesting is "nesting deeper than N levels", never a stack overflow', async () => {
    const d = tmp();
    const flow = join(d, 'flow.yaml');
    writeFileSync(flow, `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const block = join(d, 'block.yaml');
    writeFileSync(block, Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n'));
    for (const f of [flow, block]) {
      for (const args of [
        ['validate', '-f', f],
        ['policy', 'check', f],
      ]) {
        const r = await kec(args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toContain('nesting deeper than 256 levels');
        expect(r.stderr).not.toMatch(/Maximum call stack|Stack overflow|Invalid string length/);
      }
    }
    // Free-form spec values are mappings of bounded depth too.
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const spec = join(d, 'values.yaml');
    writeFileSync(spec, stringify(set(baseRaw(), 'spec.cilium.values', deep)));
    const r = await kec(['validate', '-f', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spec\.cilium\.values: nesting deeper than 64 levels/);
  });

  it('types: a string where a mapping belongs is refused, not written as {"0": "h", …}', async () => {
    const d = tmp();
    const spec = join(d, 'spec.yaml');
    writeFileSync(spec, stringify(set(baseRaw(), 'spec.kubeedge.edgecore', 'hello')));
    const r = await kec(['plan', '-f', spec, '-d', join(d, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spec\.kubeedge\.edgecore: "hello" is not a mapping/);
    expect(existsSync(join(d, 'out'))).toBe(false);
  });
});

describe('hostile values', () => {
  it('absurd node counts, control characters and long label values in a spec name the field', () => {
    const errs = (raw: unknown): string[] => validateSpec(raw).errors.map((e) => `${e.path}: ${e.message}`);
    expect(errs(set(baseRaw(), 'spec.edgeGroups.0.nodes', 1e12)).join('\n')).toMatch(
      /spec\.edgeGroups\[0\]\.nodes: .*<= 100000/,
    );
    expect(errs(set(baseRaw(), 'spec.edgeGroups.0.name', 'shop\u001bfloor')).join('\n')).toMatch(
      /spec\.edgeGroups\[0\]\.name: .* is not a DNS label/,
    );
    const img = errs(set(baseRaw(), 'spec.edgeGroups.0.agentImage', 'quay.io/cilium/cilium:v1\u0007')).join('\n');
    expect(img).toMatch(/spec\.edgeGroups\[0\]\.agentImage/);
  });

  it('policies: label keys and values the API server rejects, a List without items, short excerpts', async () => {
    const d = tmp();
    const long = 'v'.repeat(5000);
    writeFileSync(
      join(d, 'np.yaml'),
      stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'x', namespace: 'default' },
        spec: { podSelector: { matchLabels: { 'bad key!': 'v', app: long } } },
      }),
    );
    writeFileSync(join(d, 'list.yaml'), 'apiVersion: v1\nkind: List\nitems: hello\n');
    const r = await kec(['policy', 'check', d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('label key "bad key!"');
    expect(r.stderr).toContain('is longer than 63 characters (the API server rejects it)');
    expect(r.stderr).toMatch(/list\.yaml:3:\d+: error: items: expected a list of objects in a List/);
    expect(r.stderr.length).toBeLessThan(2000); // the 5000-character value is quoted as an excerpt
    noTrace(r);
  });
});

describe('hostile manifests and selectors', () => {
  it('--cilium-manifest with wrong types and a spec selector the API server would refuse: exit 2, field named', async () => {
    const d = tmp();
    const cases: Array<[string, RegExp]> = [
      ['spec: hello', /DaemonSet cilium: spec must be a mapping/],
      [
        'spec: {template: {spec: {containers: 5}}}',
        /spec\.template\.spec\.containers must be a list of objects with a name/,
      ],
      [
        'spec: {template: {spec: {containers: [{name: a}], volumes: {x: 1}}}}',
        /spec\.template\.spec\.volumes must be a list/,
      ],
    ];
    for (const [spec, msg] of cases) {
      const f = join(d, 'm.yaml');
      writeFileSync(
        f,
        `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: cilium, namespace: kube-system}\n${spec}\n`,
      );
      const r = await kec(['plan', '-f', join(EXAMPLES, 'edge-cluster.yaml'), '-o', 'json', '--cilium-manifest', f]);
      expect(r.code, spec).toBe(2);
      expect(r.stderr).toMatch(msg);
      noTrace(r);
    }
    const errs = validateSpec(set(baseRaw(), 'spec.edgeGroups.0.nodeSelector', { site: 'x'.repeat(70) })).errors;
    expect(errs.map((e) => `${e.path}: ${e.message}`).join('\n')).toMatch(
      /spec\.edgeGroups\[0\]\.nodeSelector\.site: label value "x{57}\.\.\." is longer than 63 characters/,
    );
  });
});

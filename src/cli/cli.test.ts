// The bundled CLI as users run it: a real process, real files, exit codes and streams.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLES, KEC_BIN, ROOT } from '../../test/paths.ts';
import { dryRunFlag, splitShortOptionValues } from './commands/flags.ts';

const exec = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function kec(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  try {
    const r = await exec(process.execPath, [KEC_BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kec-cli-'));
const example = join(EXAMPLES, 'edge-cluster.yaml');

beforeAll(() => {
  if (!existsSync(KEC_BIN)) throw new Error(`${KEC_BIN} missing: run make build (or node scripts/build.mjs) first`);
});

describe('kec validate and the defaults', () => {
  const spec = (memory: string): string => {
    const file = join(tmp(), 'minimal.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: kec.kubeedge.io/v1alpha1',
        'kind: EdgeNetwork',
        'metadata: {name: minimal}',
        'spec:',
        '  kubernetes: {version: "1.34"}',
        '  kubeedge: {version: "1.22.0"}',
        '  cilium: {version: "1.18.12"}',
        `  edgeGroups: [{name: pi, nodes: 10, memory: ${memory}}]`,
      ].join('\n'),
    );
    return file;
  };

  it('plans the defaults on a 1 GiB node without a warning about themselves', async () => {
    const v = await kec(['validate', '-f', spec('1Gi'), '-o', 'json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, errors: [], warnings: [] });
    const p = await kec(['plan', '-f', spec('1Gi'), '-o', 'json']);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout).warnings).toEqual([]);
  });

  it('refuses what kec plan refuses (a plan that does not fit is not a valid spec)', async () => {
    const file = spec('512Mi');
    const p = await kec(['plan', '-f', file, '-o', 'json']);
    expect(p.code).toBe(1);
    const v = await kec(['validate', '-f', file]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(/minimal\.yaml:8:\d+: error: spec\.edgeGroups\[0\]\.memory: the Cilium agent needs about/);
  });
});

describe('kubectl habits', () => {
  it('reads -f=FILE, -o=json and -n=ns as kubectl does (the value, not "=value")', async () => {
    const r = await kec(['validate', `-f=${example}`, '-o=json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true });
    expect(splitShortOptionValues(['status', '-n=kube-system', '--', '-x=y'])).toEqual([
      'status',
      '-n',
      'kube-system',
      '--',
      '-x=y',
    ]);
  });

  it('names a misspelt flag before complaining that a required one is missing', async () => {
    const r = await kec(['plan', '--fiel', example]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--fiel'");
    expect(r.stderr).toContain('(Did you mean --file?)');
    expect(r.stderr).not.toContain('not specified');
    const missing = await kec(['plan', '-o', 'json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-f, --file <spec>' not specified");
  });

  it('kec help A B shows the help of A B', async () => {
    const r = await kec(['help', 'node', 'preflight']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kec node preflight \[options\]/);
    // Help shows the real defaults, not the empty list commander starts from.
    expect(r.stdout.replace(/\s+/g, ' ')).toContain("(default: base,tunnel-vxlan, or the plan group's)");
    expect(r.stdout).not.toContain('(default: [])');
  });

  it('accepts --dry-run, --dry-run=server|client|none and refuses anything else', async () => {
    expect([true, 'server', 'client', '=server'].map(dryRunFlag)).toEqual([true, true, true, true]);
    expect([undefined, 'none'].map(dryRunFlag)).toEqual([false, false]);
    const r = await kec(['install', '-f', example, '--dry-run=maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--dry-run=maybe: expected server, client or none');
  });
});

describe('kec plan', () => {
  it('plans again into a directory whose RUNBOOK steps were followed (their files live in work/)', async () => {
    const dir = join(tmp(), 'plan');
    expect((await kec(['plan', '-f', example, '-d', dir])).code).toBe(0);
    const runbook = readFileSync(join(dir, 'RUNBOOK.md'), 'utf8');
    // Every file a runbook step writes with ">" goes under work/.
    const written = [...runbook.matchAll(/> ([^\s'"|]+)/g)].map((m) => m[1]!).filter((f) => !f.startsWith('/'));
    expect(written.length).toBeGreaterThan(3);
    for (const f of written) {
      expect(f).toMatch(/^work\//);
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), 'what the step wrote\n');
    }
    const again = await kec(['plan', '-f', example, '-d', dir]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    for (const f of written) expect(readFileSync(join(dir, f), 'utf8')).toBe('what the step wrote\n');
  });

  it('takes -o as a format only, like kubectl: a misspelt format is an error, never a directory', async () => {
    const cwd = tmp();
    const typo = await kec(['plan', '-f', example, '-o', 'jsno'], { cwd });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('-o jsno: unknown output format; use json or yaml (did you mean json?)');
    const dir = await kec(['plan', '-f', example, '-o', 'out/plan'], { cwd });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('to write files to a directory use --output-dir/-d out/plan');
    expect(readdirSync(cwd)).toEqual([]);
    const eq = await kec(['plan', '-f', example, '-o=json'], { cwd });
    expect(eq.code).toBe(0);
    expect(JSON.parse(eq.stdout)).toMatchObject({ kind: 'EdgeNetworkPlan' });
  });

  it('writes the artifacts with stable names and exits 0; a second run is identical', async () => {
    const dir = join(tmp(), 'plan');
    const r = await kec(['plan', '-f', example, '-d', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/shop-floor\s+40\s+arm64\s+5\.15\.0-1034-raspi\s+1370 \(1500-130\)/);
    const files = [
      'RUNBOOK.md',
      'cilium-values.yaml',
      'cloudcore-patch.yaml',
      'plan.json',
      'rbac.yaml',
      ...['retail', 'shop-floor', 'vision-gw'].flatMap((g) => [
        `edge/${g}/cilium-agent-patch.yaml`,
        `edge/${g}/edgecore-patch.yaml`,
      ]),
    ];
    for (const f of files) expect(existsSync(join(dir, f)), f).toBe(true);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as { files: string[] };
    expect(plan.files.sort()).toEqual(files.sort());
    const before = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    expect((await kec(['plan', '-f', example, '-d', dir])).code).toBe(0);
    expect(files.map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
  });

  it('removes files of groups that are gone and refuses directories holding other files', async () => {
    const dir = join(tmp(), 'plan');
    expect((await kec(['plan', '-f', example, '-d', dir])).code).toBe(0);
    const spec = parse(readFileSync(example, 'utf8')) as { spec: { edgeGroups: unknown[] } };
    spec.spec.edgeGroups = spec.spec.edgeGroups.slice(0, 1);
    const one = join(tmp(), 'one.yaml');
    writeFileSync(one, JSON.stringify(spec));
    expect((await kec(['plan', '-f', one, '-d', dir])).code).toBe(0);
    expect(readdirSync(join(dir, 'edge'))).toEqual(['shop-floor']);

    const other = tmp();
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const r = await kec(['plan', '-f', example, '-d', other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/output directory .* is not empty and was not written by kec/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('does not overwrite a generated file edited since, unless --force', async () => {
    const dir = join(tmp(), 'plan');
    expect((await kec(['plan', '-f', example, '-d', dir])).code).toBe(0);
    writeFileSync(
      join(dir, 'cilium-values.yaml'),
      `${readFileSync(join(dir, 'cilium-values.yaml'), 'utf8')}# my edit\n`,
    );
    const r = await kec(['plan', '-f', example, '-d', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cilium-values\.yaml changed since kec wrote it; .* --force/);
    expect(readFileSync(join(dir, 'cilium-values.yaml'), 'utf8')).toContain('# my edit');
    expect((await kec(['plan', '-f', example, '-d', dir, '--force'])).code).toBe(0);
    expect(readFileSync(join(dir, 'cilium-values.yaml'), 'utf8')).not.toContain('# my edit');
  });

  it('prints the plan as JSON with -o json and writes nothing', async () => {
    const cwd = tmp();
    const r = await kec(['plan', '-f', example, '-o', 'json'], { cwd });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { kind: string; groups: Array<{ name: string; mtu: { pod: number } }> };
    expect(plan.kind).toBe('EdgeNetworkPlan');
    expect(plan.groups.map((g) => [g.name, g.mtu.pod])).toEqual([
      ['shop-floor', 1370],
      ['retail', 1290],
      ['vision-gw', 8870],
    ]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses the reference article with one precise error per stale value (exit 2, no stack trace)', async () => {
    const cwd = tmp();
    const r = await kec(['plan', '-f', join(EXAMPLES, 'reference-article.yaml')], { cwd });
    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(errors.map((l) => l.replace(/^.*?: error: /, '').split(':')[0])).toEqual([
      'spec.kubeedge.edgecore.networkPlugin',
      'spec.cilium.values.kubeProxyReplacement',
      'spec.cilium.values.encryption.type',
      'spec.edgeGroups[0].kernel',
    ]);
    expect(r.stderr).toMatch(
      /reference-article\.yaml:\d+:\d+: error: spec\.cilium\.values\.kubeProxyReplacement: "strict" was removed in Cilium 1\.16/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('exits 1 and writes nothing when a group does not fit its memory budget', async () => {
    const spec = parse(readFileSync(example, 'utf8')) as { spec: { edgeGroups: Array<Record<string, unknown>> } };
    spec.spec.edgeGroups[0]!['memory'] = '512Mi';
    const file = join(tmp(), 'small.yaml');
    writeFileSync(file, JSON.stringify(spec));
    const dir = join(tmp(), 'out');
    const r = await kec(['plan', '-f', file, '-d', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /spec\.edgeGroups\[0\]\.memory: the Cilium agent needs about .* on a 512Mi node, over its budget of 153\.6Mi/,
    );
    expect(existsSync(dir)).toBe(false);
  });

  it('writes full edge DaemonSets from helm template output', async () => {
    const dir = join(tmp(), 'plan');
    const r = await kec([
      'plan',
      '-f',
      example,
      '-d',
      dir,
      '--cilium-manifest',
      join(ROOT, 'test/fixtures/helm-template/cilium-1.18.12.yaml'),
    ]);
    expect(r.code).toBe(0);
    type Ds = {
      metadata: { name: string; annotations: Record<string, string> };
      spec: {
        selector: unknown;
        template: {
          spec: {
            containers: Array<{ name: string; args: string[]; env: Array<{ name: string; value?: string }> }>;
            initContainers: Array<{ name: string; args?: string[] }>;
            affinity: { nodeAffinity: unknown; podAntiAffinity: unknown };
            volumes: unknown[];
          };
        };
      };
    };
    const ds = parse(readFileSync(join(dir, 'edge/retail/cilium-agent.yaml'), 'utf8')) as Ds;
    expect(ds.metadata.name).toBe('cilium-edge-retail');
    expect(Object.keys(ds.metadata.annotations)).toEqual(['kec.kubeedge.io/derived-from']);
    expect(ds.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'cilium', 'kec.kubeedge.io/group': 'retail' } });
    const agent = ds.spec.template.spec.containers.find((c) => c.name === 'cilium-agent')!;
    expect(agent.args.slice(0, 4)).toEqual([
      '--config-dir=/tmp/cilium/config-map',
      '--k8s-api-server=127.0.0.1:10550',
      '--auto-create-cilium-node-resource=true',
      '--mtu=1420',
    ]);
    expect(agent.env.find((e) => e.name === 'KUBERNETES_SERVICE_HOST')?.value).toBe('127.0.0.1');
    expect(agent.env.find((e) => e.name === 'K8S_NODE_NAME')).toBeDefined();
    expect(ds.spec.template.spec.initContainers.map((c) => c.name)).toEqual([
      'config',
      'mount-bpf-fs',
      'install-cni-binaries',
    ]);
    expect(ds.spec.template.spec.initContainers[0]!.args).toEqual(['--k8s-api-server=127.0.0.1:10550']);
    expect(ds.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(JSON.stringify(ds.spec.template.spec.affinity.nodeAffinity)).toContain('"operator":"Exists"');
    expect(JSON.stringify(ds.spec.template.spec.affinity.nodeAffinity)).not.toContain('DoesNotExist');
    expect(ds.spec.template.spec.volumes).toHaveLength(4);
  });

  it('names unreadable inputs and bad flags with exit 2', async () => {
    const missing = await kec(['plan', '-f', '/nonexistent/spec.yaml', '-o', 'json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: cannot read spec /nonexistent/spec.yaml: no such file\n');
    const flag = await kec(['plan', '-f', example, '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--bogus'/);
    const manifest = await kec(['plan', '-f', example, '-o', 'json', '--cilium-manifest', example]);
    expect(manifest.code).toBe(2);
    expect(manifest.stderr).toMatch(/has no DaemonSet named cilium/);
    const fmt = await kec(['validate', '-f', example, '-o', 'xml']);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toMatch(/-o xml: unknown output format/);
  });
});

describe('kec validate, spec reference, version', () => {
  it('validates with JSON output and exit codes', async () => {
    const ok = await kec(['validate', '-f', example, '-o', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, errors: [], warnings: [] });
    const bad = await kec(['validate', '-f', join(EXAMPLES, 'reference-article.yaml'), '-o', 'json']);
    expect(bad.code).toBe(2);
    const body = JSON.parse(bad.stdout) as { valid: boolean; errors: Array<{ path: string; line: number }> };
    expect(body.valid).toBe(false);
    expect(body.errors).toHaveLength(4);
    expect(body.errors.every((e) => e.line > 0)).toBe(true);
  });

  it('colours only when asked', async () => {
    const plain = await kec(['validate', '-f', join(EXAMPLES, 'reference-article.yaml')]);
    expect(plain.stderr).not.toContain('\u001b[');
    const coloured = await kec(['validate', '-f', join(EXAMPLES, 'reference-article.yaml')], {
      env: { NO_COLOR: '', FORCE_COLOR: '1' },
    });
    expect(coloured.stderr).toContain('\u001b[31m');
  });

  it('prints the spec reference and the known versions', async () => {
    const ref = await kec(['spec', 'reference']);
    expect(ref.code).toBe(0);
    expect(ref.stdout).toBe(readFileSync(join(ROOT, 'docs', 'spec.md'), 'utf8'));
    const v = JSON.parse((await kec(['version', '-o', 'json'])).stdout) as {
      cilium: Array<{ minor: string; latest: string }>;
    };
    expect(v.cilium.map((c) => c.latest)).toEqual(['1.16.19', '1.17.18', '1.18.12', '1.19.6', '1.20.0']);
  });
});

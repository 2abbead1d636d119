// The user's helm, run with argument arrays. Only what install/uninstall need.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckFailedError, InputError } from '../../errors.ts';
import { toYaml } from '../../output/yaml.ts';
import { parseAllDocuments } from 'yaml';

export interface HelmRelease {
  revision: number;
  chartVersion: string | undefined;
  status: string;
}

export interface Helm {
  status(release: string, namespace: string): Promise<HelmRelease | undefined>;
  /** User-supplied values of the deployed revision. */
  values(release: string, namespace: string): Promise<Record<string, unknown>>;
  upgradeInstall(o: {
    release: string;
    chart: string;
    version: string;
    namespace: string;
    values: Record<string, unknown>;
    wait: boolean;
    timeout: string;
  }): Promise<void>;
  /**
   * The objects the chart would create (helm template), as apiVersion/kind/name/namespace.
   * kubeVersion is the cluster's (e.g. "v1.36.3"): without it `helm template` checks the chart's
   * kubeVersion constraint against Helm's built-in default, which real Cilium charts refuse.
   */
  objects(o: {
    release: string;
    chart: string;
    version: string;
    namespace: string;
    values: Record<string, unknown>;
    kubeVersion?: string;
    /** The cluster's group/versions: the chart's Capabilities checks (ServiceMonitor CRDs) see what a real install sees. */
    apiVersions?: readonly string[];
  }): Promise<Array<{ apiVersion: string; kind: string; name: string; namespace?: string }>>;
  rollback(release: string, namespace: string, revision: number): Promise<void>;
  uninstall(release: string, namespace: string): Promise<void>;
}

export interface HelmOptions {
  bin: string;
  kubeconfig?: string;
  context?: string;
}

function run(o: HelmOptions, args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const global = [
    ...(o.kubeconfig ? ['--kubeconfig', o.kubeconfig] : []),
    ...(o.context ? ['--kube-context', o.context] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(o.bin, [...args, ...global], { maxBuffer: 64 << 20, timeout: 30 * 60_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new InputError(`helm not found at "${o.bin}": install Helm 3, pass --helm PATH, or use --skip-helm`));
        return;
      }
      resolve({ stdout, stderr, code: err ? (typeof err.code === 'number' ? err.code : 1) : 0 });
    });
  });
}

function fail(what: string, r: { stderr: string }): never {
  throw new CheckFailedError(`helm ${what} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
}

export function helmCli(o: HelmOptions): Helm {
  return {
    async status(release, namespace) {
      // `helm list` names the chart version ("cilium-1.18.12"); `helm status -o json` does not in every Helm 3.
      const r = await run(o, [
        'list',
        '-n',
        namespace,
        '--filter',
        `^${release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
        '--all',
        '-o',
        'json',
      ]);
      if (r.code !== 0) fail('list', r);
      const rows = JSON.parse(r.stdout || '[]') as Array<{
        name: string;
        revision?: string | number;
        status?: string;
        chart?: string;
      }>;
      const row = rows.find((x) => x.name === release);
      if (!row) return undefined;
      const chartVersion = row.chart?.match(/-(v?\d+\.\d+\.\d+[^\s]*)$/)?.[1];
      return { revision: Number(row.revision ?? 0), chartVersion, status: row.status ?? 'unknown' };
    },
    async values(release, namespace) {
      const r = await run(o, ['get', 'values', release, '-n', namespace, '-o', 'json']);
      if (r.code !== 0) fail('get values', r);
      return (JSON.parse(r.stdout || '{}') ?? {}) as Record<string, unknown>;
    },
    async objects(t) {
      const file = await valuesFile(t.values);
      try {
        const r = await run(o, [
          'template',
          t.release,
          t.chart,
          '--version',
          t.version,
          '-n',
          t.namespace,
          '-f',
          file.path,
          ...(t.kubeVersion ? ['--kube-version', t.kubeVersion] : []),
          ...(t.apiVersions ?? []).flatMap((v) => ['--api-versions', v]),
        ]);
        if (r.code !== 0) fail('template', r);
        return parseAllDocuments(r.stdout)
          .map(
            (d) =>
              d.toJS() as {
                apiVersion?: string;
                kind?: string;
                metadata?: { name?: string; namespace?: string };
              } | null,
          )
          .filter(
            (x): x is { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } =>
              !!x?.apiVersion && !!x.kind && !!x.metadata?.name,
          )
          .map((x) => ({
            apiVersion: x.apiVersion,
            kind: x.kind,
            name: x.metadata.name,
            ...(x.metadata.namespace ? { namespace: x.metadata.namespace } : {}),
          }));
      } finally {
        await file.remove();
      }
    },
    async upgradeInstall(u) {
      const dir = await mkdtemp(join(tmpdir(), 'kec-helm-'));
      try {
        const file = join(dir, 'cilium-values.yaml');
        await writeFile(file, toYaml(u.values), { mode: 0o600 });
        const args = [
          'upgrade',
          '--install',
          u.release,
          u.chart,
          '--version',
          u.version,
          '-n',
          u.namespace,
          '-f',
          file,
          '--timeout',
          u.timeout,
        ];
        if (u.wait) args.push('--wait');
        const r = await run(o, args);
        if (r.code !== 0) fail('upgrade --install', r);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async rollback(release, namespace, revision) {
      const r = await run(o, ['rollback', release, String(revision), '-n', namespace, '--wait']);
      if (r.code !== 0) fail('rollback', r);
    },
    async uninstall(release, namespace) {
      const r = await run(o, ['uninstall', release, '-n', namespace, '--wait']);
      if (r.code !== 0 && !/not found/i.test(r.stderr)) fail('uninstall', r);
    },
  };
}

async function valuesFile(values: Record<string, unknown>): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kec-helm-'));
  const path = join(dir, 'values.yaml');
  await writeFile(path, toYaml(values), { mode: 0o600 });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

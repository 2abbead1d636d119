// kec as a process in integration tests (the built dist/kec.mjs, as users run it), and the
// EdgeNetwork spec of the harness topology (edge groups site-a and site-b of two nodes each).
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { KEC_BIN, upstream } from '../paths.ts';

const exec = promisify(execFile);

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kec ARGS` with this test's Node; never throws, the exit code is data. */
export async function runKec(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  try {
    const r = await exec(process.execPath, [KEC_BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 32 << 20,
    });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as Ran;
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

export interface HarnessSpecOptions {
  /** spec.cilium.values */
  values?: Record<string, unknown>;
  /** site-b's agentImage (a site mirror), e.g. "registry.invalid/site-b/cilium:v{version}". */
  siteBImage?: string;
  /** Groups beyond the default topology's site-a and site-b (e.g. a real KubeEdge site). */
  extraGroups?: Array<{ name: string; nodes: number }>;
  kubeedgeVersion?: string;
}

/** Writes the spec of the harness topology for one Cilium version into dir and returns its path. */
export function harnessSpec(dir: string, version: string, o: HarnessSpecOptions = {}): string {
  const file = join(dir, `spec-${version}-${Math.random().toString(36).slice(2, 8)}.yaml`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'kec.kubeedge.io/v1alpha1',
      kind: 'EdgeNetwork',
      metadata: { name: 'harness' },
      spec: {
        kubernetes: { version: '1.36', apiServer: { host: '127.0.0.1' }, podCIDR: '10.32.0.0/11' },
        kubeedge: { version: o.kubeedgeVersion ?? '1.21.0' },
        cilium: { version, kubeProxyReplacement: true, ...(o.values ? { values: o.values } : {}) },
        edgeGroups: [
          { name: 'site-a', memory: '4Gi', nodes: 2 },
          { name: 'site-b', memory: '4Gi', nodes: 2, ...(o.siteBImage ? { agentImage: o.siteBImage } : {}) },
          ...(o.extraGroups ?? []).map((g) => ({ name: g.name, memory: '4Gi', nodes: g.nodes })),
        ],
      },
    }),
  );
  return file;
}

/** The real Cilium chart package of `version` (../shared/upstream/cilium-chart). */
export function chartPackage(version: string): string {
  return upstream('cilium-chart', version, `cilium-${version}.tgz`);
}

/** Flags for kec install/upgrade through the real helm with the real chart of `version`. */
export function realChart(helm: string, version: string, kubeconfig: string): string[] {
  return ['--helm', helm, '--chart', chartPackage(version), '--kubeconfig', kubeconfig];
}

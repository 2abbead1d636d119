// Cluster commands when the cluster is not there: no kubeconfig, nothing listening, a server that
// accepts and never answers. Real processes (dist/kec.mjs), real sockets on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, KEC_BIN } from '../../test/paths.ts';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function kec(args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  const t = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [KEC_BIN, ...args],
      { env: { PATH: process.env['PATH'], ...env }, timeout: 60_000 },
      (e, stdout, stderr) => {
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr, ms: Date.now() - t });
      },
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'kec-faults-'));
const kubeconfig = (server: string): string => {
  const file = join(dir, `kubeconfig-${server.replace(/\W/g, '_')}`);
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "' + server + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: not-a-real-token}}]',
      'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
      'current-context: ctx',
    ].join('\n'),
  );
  return file;
};

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let silent: Server;
const sockets: Socket[] = [];
let silentPort = 0;
beforeAll(async () => {
  // Accepts connections and never says a word (a stuck API server or load balancer).
  silent = createServer((sock) => void sockets.push(sock));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

describe('cluster commands without a cluster', () => {
  it('says that no kubeconfig was found and where it looked (exit 2), never falls back to localhost:8080', async () => {
    const r = await kec(['status'], { HOME: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no kubeconfig found (looked at ${join(dir, '.kube', 'config')}`);
    expect(r.stderr).not.toMatch(/8080|HTTP protocol|bug in kec/);
  });

  it('names the server it cannot reach, once, without retrying (status exit 1, diagnose exit 2)', async () => {
    const server = `https://127.0.0.1:${await closedPort()}`;
    const env = { HOME: dir, KUBECONFIG: kubeconfig(server) };
    const status = await kec(['status'], env);
    expect(status.code).toBe(1);
    expect(status.stderr.trim().split('\n')).toHaveLength(1);
    expect(status.stderr).toContain(`cannot reach the API server at ${server}: `);
    expect(status.stderr).toMatch(/ECONNREFUSED/);
    expect(status.stdout).not.toMatch(/missing/);
    const diagnose = await kec(['diagnose', '-o', 'json'], env);
    expect(diagnose.code).toBe(2);
    expect(diagnose.stderr).toContain('nothing was checked');
    expect(diagnose.stdout).toBe('');
    const cleanup = await kec(['connectivity', 'cleanup'], env);
    expect(cleanup.stderr).not.toContain('bug in kec');
    expect(cleanup.stderr).toContain(`cannot reach the API server at ${server}`);
    expect(cleanup.code).toBe(1);
  });

  it('applies --request-timeout to every request: a server that never answers ends the command', async () => {
    const env = { HOME: dir, KUBECONFIG: kubeconfig(`https://127.0.0.1:${silentPort}`) };
    const status = await kec(['status', '--request-timeout', '1s'], env);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('no answer within the request timeout (--request-timeout)');
    expect(status.ms).toBeLessThan(20_000);
    const install = await kec(
      ['install', '--dry-run', '-f', join(EXAMPLES, 'edge-cluster.yaml'), '--request-timeout=2'],
      env,
    );
    expect(install.code).toBe(1);
    expect(install.stderr).toContain('no answer within the request timeout');
    const bad = await kec(['status', '--request-timeout', 'soon'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--request-timeout soon: not a duration');
  });
});

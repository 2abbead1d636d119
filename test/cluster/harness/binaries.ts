// Makes sure the harness binaries exist (build.sh builds them into the cache when Go is there).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BINARIES, BUILD_SCRIPT, binPath } from './paths.ts';

export class MissingPrerequisiteError extends Error {
  readonly missing: string;
  constructor(missing: string) {
    super(`MISSING: ${missing}`);
    this.missing = missing;
  }
}

function which(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((d) => d !== '' && existsSync(`${d}/${cmd}`));
}

/**
 * Ensures openssl and all binaries are present, building them (output streamed to stderr)
 * when needed. Throws MissingPrerequisiteError when openssl or (for a cold cache) Go is absent.
 */
export async function ensureBinaries(): Promise<void> {
  if (!which('openssl'))
    throw new MissingPrerequisiteError('openssl (Debian package openssl) is needed to make the test PKI');
  const haveAll = BINARIES.every((b) => existsSync(binPath(b)));
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', (c) => {
      if (c === 3) reject(new MissingPrerequisiteError(err.replace(/^[\s\S]*MISSING: /, '').trim()));
      else resolve(c ?? 1);
    });
  });
  if (code !== 0)
    throw new Error(`test/cluster/build.sh failed with exit code ${code}${haveAll ? '' : ' (binaries missing)'}`);
}

/** Path of the helm client built by the harness (building it first when needed). */
export async function helmBinary(): Promise<string> {
  await ensureBinaries();
  return binPath('helm');
}

/** The kubectl built with the control plane (bench/status measures it as the baseline). */
export async function kubectlBinary(): Promise<string> {
  await ensureBinaries();
  return binPath('kubectl');
}

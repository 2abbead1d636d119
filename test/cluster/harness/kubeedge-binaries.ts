// Real KubeEdge v1.23.1 binaries (cloudcore, hollow-edgecore) and CRDs from the shared
// upstream folder: each .xz checked against a pinned sha256, decompressed once into the cache.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MissingPrerequisiteError } from './binaries.ts';
import { cacheDir } from './paths.ts';

const run = promisify(execFile);

export const KUBEEDGE_VERSION = 'v1.23.1';

/** sha256 of the compressed artifacts in <upstream>/kubeedge/v1.23.1 (sha256sum, Nov 2026). */
export const KUBEEDGE_SHA256 = {
  'cloudcore.xz': 'c2ea5cd2e02d76dffe9121dc5d287f4d25f28d653154c15b995d8822f41b1751',
  'hollow-edgecore.xz': '514c5930ef7de23fc75c7e5cd8a1ea1e2bfe991e23b7bef5fe1ad3b0db67f20f',
} as const;

export type KubeEdgeArtifact = keyof typeof KUBEEDGE_SHA256;

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Large upstream artifacts: KEC_UPSTREAM_DIR, default <repo>/../shared/upstream. */
export function upstreamDir(): string {
  return process.env['KEC_UPSTREAM_DIR'] ?? resolve(REPO, '..', 'shared', 'upstream');
}

export function kubeedgeSourceDir(): string {
  return join(upstreamDir(), 'kubeedge', KUBEEDGE_VERSION);
}

export function kubeedgeCrdDir(): string {
  return join(kubeedgeSourceDir(), 'crds');
}

export function kubeedgeBinDir(): string {
  return join(cacheDir(), `kubeedge-${KUBEEDGE_VERSION}`);
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Decompresses one artifact into the cache (once per pinned hash) and returns the binary's path. */
async function ensureArtifact(name: KubeEdgeArtifact): Promise<string> {
  const src = join(kubeedgeSourceDir(), name);
  if (!existsSync(src))
    throw new MissingPrerequisiteError(`${src} (KubeEdge ${KUBEEDGE_VERSION} ${name}; set KEC_UPSTREAM_DIR)`);
  const want = KUBEEDGE_SHA256[name];
  const got = await sha256(src);
  if (got !== want)
    throw new Error(
      `${src}: sha256 ${got} does not match the pinned ${want} (test/cluster/harness/kubeedge-binaries.ts)`,
    );
  const bin = join(kubeedgeBinDir(), name.replace(/\.xz$/, ''));
  const stamp = `${bin}.sha256`;
  if (existsSync(bin) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return bin;
  await mkdir(kubeedgeBinDir(), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  try {
    // xz -dc writes to stdout; keep the argument array and redirect through Node.
    const { stdout } = await run('xz', ['-dc', src], { encoding: 'buffer', maxBuffer: 512 << 20 });
    await writeFile(tmp, stdout);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT')
      throw new MissingPrerequisiteError('xz (Debian package xz-utils) to unpack the KubeEdge binaries');
    throw e;
  }
  await chmod(tmp, 0o755);
  await rename(tmp, bin);
  await writeFile(stamp, `${want}\n`);
  return bin;
}

export interface KubeEdgeBinaries {
  cloudcore: string;
  hollowEdgecore: string;
  crdDir: string;
}

/** Checks and unpacks the KubeEdge artifacts; MissingPrerequisiteError names what is missing. */
export async function ensureKubeEdgeBinaries(): Promise<KubeEdgeBinaries> {
  const crdDir = kubeedgeCrdDir();
  if (!existsSync(crdDir))
    throw new MissingPrerequisiteError(`${crdDir} (KubeEdge ${KUBEEDGE_VERSION} CRDs; set KEC_UPSTREAM_DIR)`);
  const cloudcore = await ensureArtifact('cloudcore.xz');
  const hollowEdgecore = await ensureArtifact('hollow-edgecore.xz');
  return { cloudcore, hollowEdgecore, crdDir };
}

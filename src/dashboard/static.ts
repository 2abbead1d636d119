// The built web UI (dist/dashboard/, made by scripts/build.mjs): where it is, and files from it.
import { existsSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The UI's directory, found from kec's main script: dist/dashboard beside dist/kec.mjs (the npm
 * package, also through the bin symlink), or, when kec runs from its sources
 * (src/cli/launcher.ts), the built one in dist/. undefined when there is none.
 */
export function findAssets(
  mainScript: string | undefined,
  candidates = ['dashboard', '../../dist/dashboard'],
): string | undefined {
  if (mainScript === undefined) return undefined;
  let here: string;
  try {
    here = dirname(realpathSync(mainScript));
  } catch {
    return undefined;
  }
  return candidates.map((c) => resolve(here, c)).find((d) => existsSync(join(d, 'index.html')));
}

/** A file under root for a URL path; undefined outside root or missing. The SPA's routes get index.html. */
export async function assetFile(root: string, urlPath: string): Promise<{ body: Buffer; type: string } | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const path = normalize(join(root, rel === '/' ? 'index.html' : rel));
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const read = async (p: string): Promise<Buffer | undefined> => readFile(p).catch(() => undefined);
  const body = await read(path);
  if (body) return { body, type: TYPES[extname(path)] ?? 'application/octet-stream' };
  return undefined;
}

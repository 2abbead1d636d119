// Bundles the CLI into dist/kec.mjs. Code splitting keeps start-up fast: commands that
// talk to a cluster load @kubernetes/client-node with a dynamic import() from
// dist/chunks/ only when they run. Then Vite builds the dashboard's web UI
// (src/dashboard/web) into dist/dashboard/, which `kec dashboard` serves (no CDN).
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { kec: 'src/cli/launcher.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Source maps only when asked for (KEC_SOURCEMAP=1): they would triple the package.
  sourcemap: process.env.KEC_SOURCEMAP === '1' ? 'linked' : false,
  legalComments: 'none',
  define: { KEC_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __kecCreateRequire } from 'node:module';",
      'const require = __kecCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
await chmod('dist/kec.mjs', 0o755);

if (process.env.KEC_SKIP_UI !== '1') {
  const { build: viteBuild } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await viteBuild({
    configFile: false,
    root: 'src/dashboard/web',
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir: '../../../dist/dashboard', emptyOutDir: true, chunkSizeWarningLimit: 2048, sourcemap: false },
  });
}

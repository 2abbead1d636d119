// The main script of the standalone `kec` binaries (scripts/sea/build.mjs). Node 24's single
// executable applications run one CommonJS script, so esbuild bundles this file into
// dist/sea/kec.cjs with every command group inlined: the groups' `import()` calls become lazy
// module initialisers, and a command still evaluates only the modules it needs.
// Unlike src/cli/launcher.ts there is no Node version check (the embedded Node is the one
// the binary was built with) and no on-disk compile cache (the SEA code cache replaces it).
import { main } from '../../src/cli/main.ts';

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});

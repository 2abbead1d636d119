// The `kec` executable. It turns on Node's on-disk compile cache before loading the rest,
// so that from the second run on V8 reuses compiled code instead of parsing the bundle
// again (start-up time matters for kec node preflight on small boards).
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('./main.ts');
await main();

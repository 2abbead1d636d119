// The `kec` executable. It checks the Node.js version (package.json engines: >=22), then
// turns on Node's on-disk compile cache before loading the rest, so that from the second
// run on V8 reuses compiled code instead of parsing the bundle again.
import module from 'node:module';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `error: kec needs Node.js 22 or newer; this is Node.js ${process.versions.node} (${process.execPath})\n`,
  );
  process.exit(2);
}
module.enableCompileCache?.();
const { main } = await import('./main.ts');
await main();

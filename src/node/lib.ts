// Everything `kec node` runs, behind one module so that the CLI loads it only when a
// node command runs (src/cli/commands/node.ts imports it dynamically).
export { FsRoot } from './fsroot.ts';
export { preflight } from './preflight.ts';
export { prepare } from './prepare.ts';
export { configure } from './configure.ts';
export { rollback } from './rollback.ts';
export { listTransactions } from './journal.ts';
export { journalDir, requireRoot } from './changes.ts';
export { renderChanges, renderPreflight, renderRollback, renderTransactions } from './render.ts';

// Every command group registers itself here: one line each. A group's module is loaded
// only when its command runs (or for help), so `kec node preflight` does not parse the
// policy engine, the Kubernetes client or the plan renderer.
import type { Command } from 'commander';
import type { Io } from '../io.ts';

export type SetExit = (code: number) => void;
export type Registrar = (program: Command, io: Io, setExit: SetExit) => void;

interface Group {
  commands: string[];
  load: () => Promise<Registrar>;
}

const GROUPS: Group[] = [
  // edge node commands
  { commands: ['node'], load: async () => (await import('./node.ts')).registerNode },
  // policy engine
  { commands: ['policy'], load: async () => (await import('./policy.ts')).registerPolicy },
  // observability
  { commands: ['flows', 'monitoring'], load: async () => (await import('./flows.ts')).registerObserve },
  // cluster operations
  { commands: ['install', 'uninstall'], load: async () => (await import('./install.ts')).registerInstall },
  { commands: ['upgrade'], load: async () => (await import('./upgrade.ts')).registerUpgrade },
  { commands: ['status'], load: async () => (await import('./status.ts')).registerStatus },
  { commands: ['diagnose'], load: async () => (await import('./diagnose.ts')).registerDiagnose },
  { commands: ['sysdump'], load: async () => (await import('./sysdump.ts')).registerSysdump },
  { commands: ['connectivity'], load: async () => (await import('./connectivity.ts')).registerConnectivity },
];

/** Commands main.ts registers itself. */
export const BUILTIN_COMMANDS = ['plan', 'validate', 'spec', 'version'];

/** The registrars argv needs: its command's group; none for a built-in; all for help or anything else. */
export async function registrarsFor(argv: readonly string[]): Promise<Registrar[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  if (name !== undefined && BUILTIN_COMMANDS.includes(name)) return [];
  const group = GROUPS.find((g) => name !== undefined && g.commands.includes(name));
  return Promise.all((group ? [group] : GROUPS).map((g) => g.load()));
}

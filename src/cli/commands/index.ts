// Every command registers here: one line each. A command's module is loaded only when it
// runs (or for help), so `kec node preflight` does not parse the policy engine, the
// Kubernetes client or the plan renderer.
import type { Command } from 'commander';
import type { Io } from '../../output/io.ts';

export type SetExit = (code: number) => void;
export type Registrar = (program: Command, io: Io, setExit: SetExit) => void;

interface Group {
  commands: string[];
  load: () => Promise<Registrar>;
}

export const GROUPS: Group[] = [
  // the EdgeNetwork spec and its plan
  { commands: ['plan'], load: async () => (await import('./plan.ts')).registerPlan },
  { commands: ['validate'], load: async () => (await import('./validate.ts')).registerValidate },
  { commands: ['spec'], load: async () => (await import('./spec.ts')).registerSpec },
  { commands: ['version'], load: async () => (await import('./version.ts')).registerVersion },
  { commands: ['completion'], load: async () => (await import('./completion.ts')).registerCompletion },
  // edge node commands
  { commands: ['node'], load: async () => (await import('./node.ts')).registerNode },
  // policy engine
  { commands: ['policy'], load: async () => (await import('./policy.ts')).registerPolicy },
  // observability
  { commands: ['flows'], load: async () => (await import('./flows.ts')).registerFlows },
  { commands: ['monitoring'], load: async () => (await import('./monitoring.ts')).registerMonitoring },
  { commands: ['dashboard'], load: async () => (await import('./dashboard.ts')).registerDashboard },
  // cluster operations
  { commands: ['install', 'uninstall'], load: async () => (await import('./install.ts')).registerInstall },
  { commands: ['upgrade'], load: async () => (await import('./upgrade.ts')).registerUpgrade },
  { commands: ['status'], load: async () => (await import('./status.ts')).registerStatus },
  { commands: ['diagnose'], load: async () => (await import('./diagnose.ts')).registerDiagnose },
  { commands: ['sysdump'], load: async () => (await import('./sysdump.ts')).registerSysdump },
  { commands: ['connectivity'], load: async () => (await import('./connectivity.ts')).registerConnectivity },
  { commands: ['encryption'], load: async () => (await import('./encryption.ts')).registerEncryption },
];

/** The registrars argv needs: its command's group; all for help or anything else. */
export async function registrarsFor(argv: readonly string[]): Promise<Registrar[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  const group = GROUPS.find((g) => name !== undefined && g.commands.includes(name));
  return Promise.all((group ? [group] : GROUPS).map((g) => g.load()));
}

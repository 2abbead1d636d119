// Every command group registers itself here: one import and one line each.
import type { Command } from 'commander';
import type { Io } from '../io.ts';
import { registerPolicy } from './policy.ts';
import { registerNode } from './node.ts';
import { registerObserve } from './flows.ts';
import { registerInstall } from './install.ts';
import { registerUpgrade } from './upgrade.ts';
import { registerStatus } from './status.ts';
import { registerDiagnose } from './diagnose.ts';
import { registerSysdump } from './sysdump.ts';
import { registerConnectivity } from './connectivity.ts';

export type SetExit = (code: number) => void;
export type Registrar = (program: Command, io: Io, setExit: SetExit) => void;

export const registrars: Registrar[] = [
  // node (issue: edge node commands)
  registerNode,
  // policy (issue: policy engine)
  registerPolicy,
  // flows, monitoring (issue: observability)
  registerObserve,
  // install, uninstall, status, diagnose, sysdump (issue: cluster operations)
  registerInstall,
  registerUpgrade,
  registerStatus,
  registerDiagnose,
  registerSysdump,
  registerConnectivity,
];

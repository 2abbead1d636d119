// Every command group registers itself here: one import and one line each.
import type { Command } from 'commander';
import type { Io } from '../io.ts';

export type SetExit = (code: number) => void;
export type Registrar = (program: Command, io: Io, setExit: SetExit) => void;

export const registrars: Registrar[] = [
  // node (issue: edge node commands)
  // policy (issue: policy engine)
  // flows, monitoring (issue: observability)
  // install, uninstall, status, diagnose, sysdump (issue: cluster operations)
];

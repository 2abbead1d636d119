// Small named errors; the CLI entry point maps them to exit codes (0 ok, 1 problems
// found / operation failed, 2 usage or input error). Domain code throws these and
// never calls process.exit.

export abstract class KecError extends Error {
  abstract readonly exitCode: 1 | 2;
  /** Extra lines printed under the message (e.g. one per validation error). */
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends KecError {
  readonly exitCode = 2;
}

/** A file or document the user gave is missing, unreadable or invalid. */
export class InputError extends KecError {
  readonly exitCode = 2;
}

/** The operation ran and found problems (a check failed, a budget was exceeded). */
export class CheckFailedError extends KecError {
  readonly exitCode = 1;
}

/** The cluster could not be reached or did not answer: nothing was read or changed. */
export class UnreachableError extends KecError {
  readonly exitCode: 1 | 2;
  constructor(message: string, opts: { exitCode?: 1 | 2 } = {}) {
    super(message);
    this.exitCode = opts.exitCode ?? 1;
  }
}

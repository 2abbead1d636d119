// ANSI colour, off when NO_COLOR is set (https://no-color.org), when the stream is not a
// terminal, or with --no-color; FORCE_COLOR turns it on.

export interface Palette {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const wrap =
  (code: number, close: number) =>
  (s: string): string =>
    `\u001b[${code}m${s}\u001b[${close}m`;

const ON: Palette = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};
const id = (s: string): string => s;
const OFF: Palette = { red: id, green: id, yellow: id, bold: id, dim: id };

export function colorEnabled(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  flag?: boolean,
): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

export function palette(enabled: boolean): Palette {
  return enabled ? ON : OFF;
}

// kec run in process with captured output, for tests of commands outside src/cli (the node
// commands' sandbox tests): test files may import this; production code never imports src/cli.
import { run } from './main.ts';
import type { Io } from '../output/io.ts';
import { palette } from '../output/color.ts';
import { ROOT } from '../../test/paths.ts';

export async function kec(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t.endsWith('\n') ? t : `${t}\n`;
    },
    err: (t) => {
      err += t.endsWith('\n') ? t : `${t}\n`;
    },
    color: palette(false),
    cwd: ROOT,
  };
  const code = await run(argv, io);
  return { code, out, err };
}

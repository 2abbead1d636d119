// The generated scripts loaded by the real shells: bash and zsh (bashcompinit) complete from
// the table, fish from its `complete` lines. Shells come from scripts/ci-deps.sh.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../main.ts';
import { palette } from '../../output/color.ts';

async function script(shell: string): Promise<string> {
  let out = '';
  const code = await run(['completion', shell], {
    out: (t) => void (out += t),
    err: () => undefined,
    color: palette(false),
    cwd: process.cwd(),
  });
  expect(code).toBe(0);
  const file = join(mkdtempSync(join(tmpdir(), 'kec-completion-')), `kec.${shell}`);
  writeFileSync(file, out);
  return file;
}

/** What bash completes for the words typed so far (the last one being completed). */
function bashComplete(file: string, words: string[]): string[] {
  const line = ['kec', ...words].map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    ['-c', `source ${file}; COMP_WORDS=(${line}); COMP_CWORD=${words.length}; _kec; printf '%s\\n' "\${COMPREPLY[@]}"`],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((l) => l !== '');
}

describe('kec completion', () => {
  it('bash completes commands, subcommands and the flags of the command typed', async () => {
    const file = await script('bash');
    expect(bashComplete(file, ['pol'])).toEqual(['policy']);
    expect(bashComplete(file, ['node', 'pre'])).toEqual(['preflight', 'prepare']);
    expect(bashComplete(file, ['node', 'preflight', '--kernel-'])).toEqual(['--kernel-config', '--kernel-release']);
    expect(bashComplete(file, ['install', '-f', 'x.yaml', '--dry'])).toEqual(['--dry-run']);
  });

  it('zsh loads the script through bashcompinit', async () => {
    const file = await script('zsh');
    const out = execFileSync(
      'zsh',
      ['-c', `autoload -U compinit && compinit -u; source ${file}; echo loaded; whence -w _kec`],
      { encoding: 'utf8' },
    );
    expect(out).toContain('loaded');
    expect(out).toContain('_kec: function');
  });

  it('fish completes subcommands with descriptions', async () => {
    const file = await script('fish');
    const out = execFileSync('fish', ['-c', `source ${file}; complete -C 'kec node pre'`], { encoding: 'utf8' });
    expect(out).toMatch(/^preflight\t/m);
    expect(out).toMatch(/^prepare\t/m);
  });

  it('refuses other shells (exit 2)', async () => {
    let err = '';
    const code = await run(['completion', 'powershell'], {
      out: () => undefined,
      err: (t) => void (err += t),
      color: palette(false),
      cwd: process.cwd(),
    });
    expect(code).toBe(2);
    expect(err).toContain("'powershell' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});

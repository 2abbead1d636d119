import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KEC_BIN } from '../../test/paths.ts';
import { terminalSafe } from './terminal.ts';

describe('terminal safety', () => {
  it("keeps kec's colours and line breaks, escapes every other control character", () => {
    expect(terminalSafe('\u001b[31mred\u001b[0m\tok\n')).toBe('\u001b[31mred\u001b[0m\tok\n');
    expect(terminalSafe('pod\u001b]0;owned\u0007x')).toBe('pod\\x1b]0;owned\\x07x');
    expect(terminalSafe('a\u001b[2Kb\rc\u009bd')).toBe('a\\x1b[2Kb\\x0dc\\x9bd');
    expect(terminalSafe('\u001b[H\u001b[2J')).toBe('\u001b[H\u001b[2J');
    expect(terminalSafe('name\u001b[H\u001b[2J')).toBe('name\\x1b[H\\x1b[2J');
  });

  it('no ESC or BEL from a flow reaches the terminal (real process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kec-term-'));
    const flows = join(dir, 'flows.json');
    const evil = 'x\u001b]0;pwned\u0007\u001b[2J';
    const flow = {
      flow: {
        time: '2026-11-27T10:00:00Z',
        verdict: 'DROPPED',
        drop_reason_desc: `POLICY_DENIED${evil}`,
        source: { namespace: `ns${evil}`, pod_name: `pod${evil}`, labels: [] },
        destination: { namespace: 'default', pod_name: 'db', labels: [] },
        node_name: `node${evil}`,
        l4: { TCP: { destination_port: 5432 } },
        Type: 'L3_L4',
      },
    };
    writeFileSync(flows, `${JSON.stringify(flow)}\n`);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [KEC_BIN, 'flows', 'summarize', flows], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(stdout).toContain('\\x1b]0;pwned\\x07');
    expect(stdout + stderr).not.toContain('\u0007');
    expect(stdout + stderr).not.toContain('\u001b');
  });
});

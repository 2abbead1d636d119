// Terminal safety: text from input (pod names, flow fields, file excerpts) may carry control
// characters; printed raw, ESC and BEL sequences would retitle, clear or rewrite the user's
// terminal. Every line kec prints passes through here: kec's own colours (SGR) and the screen
// refresh of --follow stay, every other control character is shown escaped (\x1b, \x07 …).

/** SGR colour sequences (ESC [ … m): harmless, and how kec colours its output. */
// eslint-disable-next-line no-control-regex
const SGR = /^\u001b\[[0-9;]*m/;
/** What `flows summarize --follow` writes, alone, before each refresh. */
const CLEAR_SCREEN = '\u001b[H\u001b[2J';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const escape = (ch: string): string => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;

export function terminalSafe(text: string): string {
  if (!CONTROL.test(text) || text === CLEAR_SCREEN || text === `${CLEAR_SCREEN}\n`) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    const sgr = text[i] === '\u001b' ? SGR.exec(text.slice(i, i + 32)) : null;
    if (sgr) {
      out += sgr[0];
      i += sgr[0].length;
      continue;
    }
    const ch = text[i]!;
    out += CONTROL.test(ch) ? escape(ch) : ch;
    i++;
  }
  return out;
}

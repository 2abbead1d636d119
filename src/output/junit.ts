// JUnit XML as CI systems read it (Jenkins/GitLab/GitHub "JUnit" reports, the layout
// cilium-cli's `connectivity test --junit-file` writes): <testsuites> with totals, one
// <testsuite> per suite, <testcase> with an optional <skipped message> or <failure>.
// Counts are derived from the cases, never passed in, so they cannot disagree.

export interface JUnitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time: number;
  skipped?: string;
  failure?: { message: string; type?: string; details?: string };
}

export interface JUnitSuite {
  name: string;
  /** Shown as `package` (cilium-cli puts the test namespace there). */
  package?: string;
  /** ISO 8601 start time. */
  timestamp?: string;
  properties?: Record<string, string>;
  cases: JUnitCase[];
}

/** XML 1.0 forbids most control characters even as references: drop them. */
const INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an attribute value or element content (quotes too; newlines kept in content). */
export function xmlEscape(s: string, attribute = false): string {
  const out = s
    .replace(INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  // Attribute values are normalised by parsers (newline -> space) unless written as references.
  return attribute ? out.replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : out;
}

const attr = (name: string, value: string | number): string => ` ${name}="${xmlEscape(String(value), true)}"`;
const secs = (t: number): string => (Number.isFinite(t) && t > 0 ? t : 0).toFixed(3);

function counts(cases: readonly JUnitCase[]): { tests: number; failures: number; skipped: number; time: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure !== undefined).length,
    skipped: cases.filter((c) => c.failure === undefined && c.skipped !== undefined).length,
    time: cases.reduce((a, c) => a + (Number.isFinite(c.time) && c.time > 0 ? c.time : 0), 0),
  };
}

function testcase(c: JUnitCase): string {
  const head = `    <testcase${attr('name', c.name)}${attr('classname', c.classname)}${attr('time', secs(c.time))}`;
  if (c.failure) {
    const f = c.failure;
    return `${head}>\n      <failure${attr('message', f.message)}${attr('type', f.type ?? 'failure')}>${xmlEscape(f.details ?? f.message)}</failure>\n    </testcase>`;
  }
  if (c.skipped !== undefined) return `${head}>\n      <skipped${attr('message', c.skipped)}/>\n    </testcase>`;
  return `${head}/>`;
}

export function toJUnitXml(suites: readonly JUnitSuite[], name = 'kec'): string {
  const all = counts(suites.flatMap((s) => s.cases));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attr('name', name)}${attr('tests', all.tests)}${attr('failures', all.failures)}${attr('errors', 0)}${attr('skipped', all.skipped)}${attr('time', secs(all.time))}>`,
  ];
  suites.forEach((s, i) => {
    const n = counts(s.cases);
    lines.push(
      `  <testsuite${attr('name', s.name)}${attr('id', i)}${s.package !== undefined ? attr('package', s.package) : ''}${attr('tests', n.tests)}${attr('failures', n.failures)}${attr('errors', 0)}${attr('skipped', n.skipped)}${attr('time', secs(n.time))}${s.timestamp !== undefined ? attr('timestamp', s.timestamp) : ''}>`,
    );
    const props = Object.entries(s.properties ?? {});
    if (props.length) {
      lines.push('    <properties>');
      for (const [k, v] of props) lines.push(`      <property${attr('name', k)}${attr('value', v)}/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) lines.push(testcase(c));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

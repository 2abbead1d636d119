import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { JUnitSuite } from './junit.ts';
import { toJUnitXml, xmlEscape } from './junit.ts';

const nasty = 'a<b>&"c"\'d\u0001\u001b[31m\nline2';

const suites: JUnitSuite[] = [
  {
    name: 'connectivity test',
    package: 'cilium-test-1',
    timestamp: '2026-11-27T10:00:00.000Z',
    properties: { namespace: 'cilium-test-1', 'skip <reason>': 'x&y' },
    cases: [
      { name: 'pod-to-pod/cloud→site-a', classname: 'connectivity test', time: 0.25 },
      {
        name: 'pod-to-pod/cloud→site-b',
        classname: 'connectivity test',
        time: 0,
        skipped: 'edge group site-b offline: 2 of 2 nodes "offline (autonomous)"',
      },
      {
        name: 'dns/site-a',
        classname: 'connectivity test',
        time: 1.5,
        failure: { message: nasty, details: `${nasty}\n</failure>]]>` },
      },
    ],
  },
];

/** Independent parser: Python's xml.etree, checking the JUnit layout and that counts match the cases. */
const PY = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
assert root.tag == 'testsuites', root.tag
out = {'totals': {k: root.get(k) for k in ('tests','failures','errors','skipped')}, 'suites': []}
for s in root:
    assert s.tag == 'testsuite', s.tag
    cases = []
    for c in s:
        if c.tag == 'properties':
            assert all(p.tag == 'property' for p in c)
            continue
        assert c.tag == 'testcase', c.tag
        kids = [k.tag for k in c]
        assert set(kids) <= {'skipped', 'failure'} and len(kids) <= 1, kids
        f = c.find('failure'); sk = c.find('skipped')
        cases.append({'name': c.get('name'), 'time': c.get('time'),
          'failure': None if f is None else {'message': f.get('message'), 'text': f.text},
          'skipped': None if sk is None else sk.get('message')})
    props = {p.get('name'): p.get('value') for p in s.iter('property')}
    out['suites'].append({'attrs': {k: s.get(k) for k in ('name','package','tests','failures','errors','skipped')}, 'props': props, 'cases': cases})
print(json.dumps(out))
`;
const python = spawnSync('python3', ['-c', 'import xml.etree.ElementTree'], { stdio: 'ignore' }).status === 0;

describe('toJUnitXml', () => {
  const xml = toJUnitXml(suites, 'kec connectivity test');

  it('derives totals from the cases and writes one element per case', () => {
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="kec connectivity test" tests="3" failures="1" errors="0" skipped="1" time="1.750">/,
    );
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toContain(
      '<skipped message="edge group site-b offline: 2 of 2 nodes &quot;offline (autonomous)&quot;"/>',
    );
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('\u001b');
  });

  it.skipIf(!python)('parses back with an independent XML parser to the same names, messages and counts', () => {
    const parsed = JSON.parse(execFileSync('python3', ['-c', PY], { input: xml, encoding: 'utf8' })) as {
      totals: Record<string, string>;
      suites: Array<{
        attrs: Record<string, string>;
        props: Record<string, string>;
        cases: Array<{
          name: string;
          time: string;
          failure: { message: string; text: string } | null;
          skipped: string | null;
        }>;
      }>;
    };
    expect(parsed.totals).toEqual({ tests: '3', failures: '1', errors: '0', skipped: '1' });
    expect(parsed.suites[0]?.attrs).toEqual({
      name: 'connectivity test',
      package: 'cilium-test-1',
      tests: '3',
      failures: '1',
      errors: '0',
      skipped: '1',
    });
    expect(parsed.suites[0]?.props).toEqual({ namespace: 'cilium-test-1', 'skip <reason>': 'x&y' });
    const cases = parsed.suites[0]?.cases ?? [];
    expect(cases.map((c) => c.name)).toEqual(['pod-to-pod/cloud→site-a', 'pod-to-pod/cloud→site-b', 'dns/site-a']);
    expect(cases[1]?.skipped).toBe('edge group site-b offline: 2 of 2 nodes "offline (autonomous)"');
    const clean = 'a<b>&"c"\'d[31m\nline2';
    // Newlines in attributes survive as character references; control characters are dropped.
    expect(cases[2]?.failure).toEqual({ message: clean, text: `${clean}\n</failure>]]>` });
    expect(cases.map((c) => c.time)).toEqual(['0.250', '0.000', '1.500']);
  });

  it('escapes all five XML specials and keeps astral characters whole', () => {
    expect(xmlEscape(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
    expect(xmlEscape('a\nb\tc', true)).toBe('a&#10;b&#9;c');
    expect(xmlEscape('🚀 \uD800x')).toBe('🚀 x');
  });

  it('writes an empty but valid document for no suites', () => {
    expect(toJUnitXml([])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kec" tests="0" failures="0" errors="0" skipped="0" time="0.000">\n</testsuites>\n',
    );
  });
});

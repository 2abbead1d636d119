// Human explanation of a traced flow.
import type { Palette } from '../output/color.ts';
import type { Endpoint } from './endpoints.ts';
import type { DirectionVerdict, Query, Verdict } from './evaluate.ts';

export function traceText(src: Endpoint, dst: Endpoint, q: Query, v: Verdict, c: Palette): string {
  const flow = `${src.id} -> ${dst.id} ${q.protocol === 'ICMP' ? `ICMP type ${q.port}` : `${q.port}/${q.protocol}`}${q.http ? ` HTTP ${q.http.method} ${q.http.path}${q.http.host ? ` host ${q.http.host}` : ''}` : ''}`;
  const word = (x: 'allowed' | 'denied'): string => (x === 'allowed' ? c.green('ALLOWED') : c.red('DENIED'));
  const dir = (name: string, who: string, d: DirectionVerdict): string[] => [
    `  ${name} (${who}): ${word(d.verdict)}`,
    ...d.reasons.map((r) => `    - ${r.text}`),
  ];
  return [
    `${c.bold(flow)}: ${word(v.verdict)}`,
    ...dir('egress', `policies of ${src.id}`, v.egress),
    ...dir('ingress', `policies of ${dst.id}`, v.ingress),
    ...(v.verdict === 'allowed' && (v.egress.l7 || v.ingress.l7)
      ? ['  note: allowed at L4; L7 HTTP rules filter requests (give --http-method/--http-path to check one)']
      : []),
  ].join('\n');
}

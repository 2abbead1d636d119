// Harness daemon run inside one hollow edge node's network namespace: answers the kubelet's
// HTTP probes that a real container would answer, since the fake CRI runs no container.
//   127.0.0.1:9879 /healthz  the Cilium agent's startup/liveness/readiness probes: 200, or 503
//                            while the file <unhealthyFlag> exists (setAgentHealth withdraws it)
//   127.0.0.1:9234 /healthz  cilium-operator's probes: 200. The chart's operator has no node
//                            affinity and can land on an edge node in a rolling update (kwok
//                            played it Running there before); the harness keeps it healthy
//   <podIp>:<port> any path   probes of other pods (the fake runtime gives every pod <podIp>):
//                            200, so e.g. the connectivity test's echo pods become Ready
//   node probe-responder.ts <unhealthyFlag> <podIp> <port>[,<port>...]
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';

const [flag = '', podIp = '', ports = ''] = process.argv.slice(2);

const agent = createServer((req, res) => {
  const ok = !existsSync(flag);
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
  res.end(ok ? 'ok\n' : 'withdrawn by the kec harness\n');
});
agent.listen(9879, '127.0.0.1');

createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\n');
}).listen(9234, '127.0.0.1');

for (const p of ports.split(',').filter((x) => x !== '')) {
  createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
  }).listen(Number(p), podIp);
}

process.on('SIGTERM', () => process.exit(0));

// A FAKE workload container, run by the kubelet inside the pod's network namespace with plain `node`
// (type stripping: this file imports nothing but node: modules). It answers HTTP 200 with a short body
// on each --tcp PORT, for any request, and echoes datagrams on each --udp PORT. Prints `ready` once all
// listen (the kubelet marks the container running then); SIGTERM/SIGKILL end it.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';

const ports = (flag: string): number[] =>
  process.argv.flatMap((a, i) => (a === flag ? [Number(process.argv[i + 1])] : []));

const pending: Promise<void>[] = [];
for (const port of ports('--tcp')) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`FAKE workload: ok on ${port}\n`);
  });
  pending.push(
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '0.0.0.0', resolve);
    }),
  );
}
for (const port of ports('--udp')) {
  const udp = createSocket('udp4');
  udp.on('message', (msg, from) => {
    udp.send(msg, from.port, from.address);
  });
  pending.push(new Promise((resolve) => udp.bind(port, '0.0.0.0', resolve)));
}
await Promise.all(pending);
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));

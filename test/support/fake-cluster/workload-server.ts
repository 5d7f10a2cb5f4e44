// A FAKE workload container, run by the kubelet inside the pod's network namespace with plain `node`
// (type stripping: this file imports nothing but node: modules). It answers HTTP 200 with a short body
// on each --tcp PORT, for any request, and echoes datagrams on each --udp PORT. Prints `ready` once all
// listen (the kubelet marks the container running then); SIGTERM/SIGKILL end it. It listens on `::`, a
// dual-stack socket (IPv4 too: bindv6only is 0), so a dual-stack pod answers on both of its addresses;
// where the kernel has no IPv6 it falls back to 0.0.0.0.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';

const ports = (flag: string): number[] =>
  process.argv.flatMap((a, i) => (a === flag ? [Number(process.argv[i + 1])] : []));

const pending: Promise<void>[] = [];
for (const port of ports('--tcp')) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`FAKE workload: ok on ${port}\n`);
  });
  const listen = (host: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  pending.push(listen('::').catch(() => listen('0.0.0.0')));
}
for (const port of ports('--udp')) {
  const bind = (type: 'udp6' | 'udp4', host: string) =>
    new Promise<void>((resolve, reject) => {
      const udp = createSocket(type);
      udp.on('message', (msg, from) => {
        udp.send(msg, from.port, from.address);
      });
      udp.once('error', reject);
      udp.bind(port, host, resolve);
    });
  pending.push(bind('udp6', '::').catch(() => bind('udp4', '0.0.0.0')));
}
await Promise.all(pending);
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));

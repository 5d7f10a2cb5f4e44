// The test servers of the network lab, run inside the server namespace (`ip netns exec NS node ...`):
//   HTTP on each --http PORT, answering with the status named by the path (/404 -> 404; else 200) and
//   printing `request PORT METHOD TARGET` with the request target exactly as it arrived (req.url is the
//   raw target of the request line: Node neither decodes nor normalises it);
//   TCP on each --silent PORT, accepting and never answering; UDP on each --udp PORT, echoing;
//   a DNS server on each --servfail-once PORT that answers a question's first copy SERVFAIL and its resends
//   nothing (busybox nslookup resends at once after SERVFAIL, then times out), and on each --wrong-id PORT
//   one that answers every question under another ID (nslookup ignores it, then times out).
// Prints `ready` once all listen and `accept PORT` per TCP connection (tests wait on these lines).
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

const ports = (flag: string): number[] =>
  process.argv.flatMap((a, i) => (a === flag ? [Number(process.argv[i + 1])] : []));

const sockets = new Set<Socket>();
function track(port: number, socket: Socket): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  process.stdout.write(`accept ${port}\n`);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // `::` takes IPv4 too (a dual-stack socket: Linux's default bindv6only=0), so one listener serves
    // both families of the lab.
    server.listen(port, '::', resolve);
  });
}

const pending: Promise<void>[] = [];
for (const port of ports('--http')) {
  const server = createHttpServer((req, res) => {
    process.stdout.write(`request ${port} ${req.method ?? '-'} ${req.url ?? '-'}\n`);
    const status = Number(/^\/([1-5][0-9][0-9])\b/.exec(req.url ?? '')?.[1] ?? 200);
    res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status}\n`);
  });
  server.on('connection', (s: Socket) => {
    track(port, s);
  });
  pending.push(listen(server, port));
}
for (const port of ports('--silent')) {
  pending.push(
    listen(
      createTcpServer((s) => {
        track(port, s);
      }),
      port,
    ),
  );
}
for (const port of ports('--udp')) {
  const udp = createSocket('udp6');
  udp.on('message', (msg, from) => {
    udp.send(msg, from.port, from.address);
  });
  pending.push(new Promise((resolve) => udp.bind(port, '::', resolve)));
}
// Bound to one address: a socket on 0.0.0.0 would answer from the namespace's primary address, and
// nslookup's connected socket takes only replies from the address it asked.
const dnsAddress = process.argv[process.argv.indexOf('--dns-address') + 1] ?? '0.0.0.0';

/** The question as a reply header: QR set, RA set, rcode `rcode`, no records (RFC 1035 4.1.1). */
function reply(question: Buffer, rcode: number): Buffer {
  const out = Buffer.from(question);
  out[2] = (question[2]! & 0x79) | 0x80;
  out[3] = 0x80 | rcode;
  return out;
}
for (const port of ports('--servfail-once')) {
  const seen = new Set<string>();
  const udp = createSocket('udp4');
  udp.on('message', (msg, from) => {
    const key = `${from.address}:${from.port}:${msg.readUInt16BE(0)}`;
    if (msg.length < 12 || seen.has(key)) return;
    seen.add(key);
    udp.send(reply(msg, 2), from.port, from.address);
  });
  pending.push(new Promise((resolve) => udp.bind(port, dnsAddress, resolve)));
}
for (const port of ports('--wrong-id')) {
  const udp = createSocket('udp4');
  udp.on('message', (msg, from) => {
    if (msg.length < 12) return;
    const out = reply(msg, 0);
    out.writeUInt16BE((msg.readUInt16BE(0) + 1) % 65536, 0);
    udp.send(out, from.port, from.address);
  });
  pending.push(new Promise((resolve) => udp.bind(port, dnsAddress, resolve)));
}
await Promise.all(pending);
process.stdout.write('ready\n');
// The lab kills this process; SIGTERM ends it without waiting for silent connections.
process.on('SIGTERM', () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});

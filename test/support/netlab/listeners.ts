// The test servers of the network lab, run inside the server namespace (`ip netns exec NS node ...`):
//   HTTP on each --http PORT, answering with the status named by the path (/404 -> 404; else 200) and
//   printing `request PORT METHOD TARGET` with the request target exactly as it arrived (req.url is the
//   raw target of the request line: Node neither decodes nor normalises it);
//   TCP on each --silent PORT, accepting and never answering; UDP on each --udp PORT, echoing.
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
await Promise.all(pending);
process.stdout.write('ready\n');
// The lab kills this process; SIGTERM ends it without waiting for silent connections.
process.on('SIGTERM', () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});

// The ceiling: a bare node:http server that answers every request the way the tracker does (302, Location,
// Cache-Control: no-store), and nothing else. Run by run.ts as a child process so it gets its own core.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
// As long as the tracker's: the destination with a click id and sub1 filled in.
const location = 'https://shop.example/landing?cid=clk_0000000000000000000000&s1=bench';

const server = createServer((_request, response) => {
  response.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' });
  response.end();
});
server.keepAliveTimeout = 72_000;
server.listen(port, host, () => {
  process.stdout.write(`ceiling listening on http://${host}:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

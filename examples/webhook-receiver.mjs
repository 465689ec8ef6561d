// A CloakRadar webhook receiver in plain Node (no dependencies): verifies each delivery's signature
// and prints the event as one JSON line.
//
//   WEBHOOK_SECRET=whsec_… PORT=4000 node examples/webhook-receiver.mjs
//
// Then point a webhook at http://<this host>:4000/ (POST /api/v1/webhooks {"url": …}).
import { createServer } from 'node:http';
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.WEBHOOK_SECRET;
const port = Number(process.env.PORT ?? 4000);
/** Refuse signatures older (or newer) than this: a captured request cannot be replayed later. */
const TOLERANCE_SECONDS = 300;
if (!secret) {
  console.error('Set WEBHOOK_SECRET to the secret shown when the webhook was created');
  process.exit(1);
}

/** X-CloakRadar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">. */
function isSignedByCloakRadar(header, rawBody) {
  if (typeof header !== 'string') return false;
  const pairs = header.split(',').map((part) => part.trim().split('='));
  const t = Number(pairs.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > TOLERANCE_SECONDS) return false;
  // Sign the raw bytes as received: re-serialising parsed JSON would not give the same text.
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return (
    pairs
      .filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
      // Constant-time comparison: the time taken reveals nothing about how much of a guess matched.
      .some(([, value]) => timingSafeEqual(Buffer.from(value, 'hex'), expected))
  );
}

// Delivery is at least once: the same event id may arrive again (a retry after a lost answer).
// A real receiver keeps these ids in its database; order is not guaranteed either.
const seen = new Set();

createServer((req, res) => {
  if (req.method !== 'POST') return res.writeHead(405).end();
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const rawBody = Buffer.concat(chunks).toString('utf8');
    if (!isSignedByCloakRadar(req.headers['x-cloakradar-signature'], rawBody)) {
      return res.writeHead(400, { 'content-type': 'text/plain' }).end('bad signature');
    }
    const event = JSON.parse(rawBody);
    // Answer 2xx quickly; do slow work after answering (a delivery times out after 5 seconds).
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (seen.has(event.id)) return;
    seen.add(event.id);
    console.log(JSON.stringify({ id: event.id, type: event.type, created_at: event.created_at, data: event.data }));
  });
}).listen(port, () => console.error(`webhook receiver listening on port ${port}`));

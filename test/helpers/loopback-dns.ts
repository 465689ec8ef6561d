// A DNS server on 127.0.0.1 for tests: it answers PTR, A and AAAA questions from a table, as a real
// authoritative server would (NXDOMAIN for names it does not know), or never answers a name it is told
// to hang on. No test looks anything up outside the machine.
import { createSocket, type Socket } from 'node:dgram';
import { decode, encode, type Answer, type Packet } from 'dns-packet';

export interface LoopbackDns {
  /** `127.0.0.1:<port>`, for CRAWLER_DNS_SERVERS. */
  readonly server: string;
  /** PTR names of an address (as `in-addr.arpa` / `ip6.arpa` names are asked). */
  ptr(ip: string, ...names: string[]): void;
  /** A or AAAA addresses of a name. */
  address(name: string, ...addresses: string[]): void;
  /** Questions about this address (its PTR) get no answer at all. */
  hang(ip: string): void;
  /** Questions about this address (its PTR) are answered after `ms`. */
  slow(ip: string, ms: number): void;
  /** Questions received, as `TYPE name`. */
  readonly asked: string[];
  close(): Promise<void>;
}

/** The name a PTR question about `ip` asks for. */
export function reverseName(ip: string): string {
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const nibbles = groups.map((group) => group.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}

export async function startLoopbackDns(): Promise<LoopbackDns> {
  const records = new Map<string, Answer[]>();
  const hanging = new Set<string>();
  const delays = new Map<string, number>();
  const asked: string[] = [];
  const socket: Socket = createSocket('udp4');
  socket.on('message', (message, remote) => {
    let query: Packet;
    try {
      query = decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    asked.push(`${question.type} ${name}`);
    if (hanging.has(name)) return;
    const answers = (records.get(name) ?? []).filter((answer) => answer.type === question.type);
    const known = records.has(name);
    const response = encode({
      id: query.id,
      type: 'response',
      // Authoritative answer; RCODE 3 (NXDOMAIN) for a name it has never heard of.
      flags: (1 << 10) | (1 << 8) | (known ? 0 : 3),
      questions: [question],
      answers,
    });
    const send = () => socket.send(response, remote.port, remote.address);
    const delay = delays.get(name);
    if (delay === undefined) send();
    else setTimeout(send, delay).unref();
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const add = (name: string, answer: Answer) => {
    const key = name.toLowerCase();
    records.set(key, [...(records.get(key) ?? []), answer]);
  };
  return {
    server: `127.0.0.1:${socket.address().port}`,
    asked,
    ptr(ip, ...names) {
      for (const data of names) add(reverseName(ip), { type: 'PTR', name: reverseName(ip), ttl: 300, data });
    },
    address(name, ...addresses) {
      for (const data of addresses) add(name, { type: data.includes(':') ? 'AAAA' : 'A', name, ttl: 300, data });
    },
    hang(ip) {
      hanging.add(reverseName(ip));
    },
    slow(ip, ms) {
      delays.set(reverseName(ip), ms);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

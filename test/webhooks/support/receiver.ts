/**
 * A webhook endpoint on loopback, as a merchant's server would run one: it verifies every
 * delivery with the `standardwebhooks` package against the secrets it was told, and answers
 * what the test says: a status (with headers and a body), no answer at all (the sender times
 * out), or a dropped connection. It notes which webhook-ids are in flight at once.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type Answer =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string; readonly delayMs?: number }
  | 'hang'
  | 'close';

export interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the envelope is checked field by field
  readonly event: any;
  /** Which of the receiver's secrets verified it (by index in `secrets`); empty when none did. */
  readonly verifiedBy: number[];
  readonly path: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Deliveries of one webhook-id that arrived while another of the same id was still being answered. */
  readonly overlaps: string[];
  /** The secrets a delivery is verified with; set after subscribing. */
  secrets: string[];
  /** How to answer the next request (default 200). */
  answer: (r: Received) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const inFlight = new Map<string, number>();
  const sockets = new Set<Socket>();
  const receiver: Receiver = {
    url: '',
    received: [],
    overlaps: [],
    secrets: [],
    answer: () => ({ status: 200, body: 'ok' }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(req.headers[name] ?? '');
      const headers = { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') };
      const verifiedBy = receiver.secrets.flatMap((secret, i) => {
        try {
          new Webhook(secret).verify(body, headers);
          return [i];
        } catch {
          return [];
        }
      });
      let event: unknown;
      try {
        event = JSON.parse(body);
      } catch {
        event = undefined;
      }
      const r: Received = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, event, verifiedBy, path: req.url ?? '' };
      receiver.received.push(r);
      const n = inFlight.get(r.id) ?? 0;
      if (n > 0) receiver.overlaps.push(r.id);
      inFlight.set(r.id, n + 1);
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        inFlight.set(r.id, (inFlight.get(r.id) ?? 1) - 1);
      };
      res.on('close', finished);
      const a = receiver.answer(r);
      if (a === 'hang') return;
      if (a === 'close') {
        finished();
        return void req.socket.destroy();
      }
      const send = () => res.writeHead(a.status, a.headers ?? {}).end(a.body ?? '');
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (receiver as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

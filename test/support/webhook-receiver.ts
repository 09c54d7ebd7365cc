/**
 * A webhook receiver as a vendor's system runs one: a real HTTP server on a
 * free loopback port that verifies each delivery with the `standardwebhooks`
 * reference implementation (not the desk's code) and keeps what it verified.
 * `answer` decides the status of each verified delivery (default 204), so a
 * test can make it fail; `stop` and `start` take it away and bring it back.
 */
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { freePort } from '../../embedded/net.js';

export interface ReceivedEvent {
  id: string;
  type: string;
  at: string;
  case?: string;
  data: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  /** Verified deliveries answered 2xx, in arrival order (a retried event can be there twice). */
  received: ReceivedEvent[];
  /** Deliveries whose signature or `webhook-id` did not verify. */
  forged: string[];
  /** The secret `webhook add` printed; deliveries are verified with it. */
  secret: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function webhookReceiver(
  answer: (event: ReceivedEvent, nth: number) => number = () => 204,
): Promise<WebhookReceiver> {
  const port = await freePort();
  let server: Server | undefined;
  let nth = 0;
  const r: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/hooks`,
    received: [],
    forged: [],
    secret: '',
    start() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          try {
            const body = Buffer.concat(chunks).toString('utf8');
            const event = new Webhook(r.secret).verify(body, req.headers as Record<string, string>) as ReceivedEvent;
            if (event.id !== req.headers['webhook-id'])
              throw new Error(`webhook-id ${String(req.headers['webhook-id'])} is not the event's ${event.id}`);
            const status = answer(event, ++nth);
            if (status >= 200 && status < 300) r.received.push(event);
            res.writeHead(status).end();
          } catch (e) {
            r.forged.push(String(e));
            res.writeHead(400).end();
          }
        });
      });
      return new Promise((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
    },
    async stop() {
      const s = server;
      server = undefined;
      s?.closeAllConnections();
      await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
    },
  };
  return r;
}

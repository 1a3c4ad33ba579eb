/**
 * One attempt: POST the body to the endpoint, with a hard limit on the whole exchange, and keep
 * only the status, the Retry-After and the first kilobyte of the answer. A longer answer is not
 * read: the connection is dropped. Connections are kept alive between attempts (a socket was
 * checked by the address rule when it connected); a target given as an address is checked here.
 */
import http from 'node:http';
import https from 'node:https';
import { addressLiteral, isPublicAddress } from '../../domain/webhooks/target.js';
import { guardedLookup } from './target-check.js';

export interface SendOutcome {
  /** null when no answer came. */
  readonly status: number | null;
  readonly retryAfter?: string;
  readonly durationMs: number;
  readonly error: string | null;
  /** The answer's first bytes, as text. */
  readonly response: string | null;
}

export const EXCERPT_BYTES = 1024;

export interface Sender {
  send(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<SendOutcome>;
  /** Closes idle kept-alive connections. */
  close(): void;
}

export function httpSender(opts: { readonly timeoutMs: number; readonly allowPrivate: boolean; readonly maxSockets: number }): Sender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets }),
  };
  const lookup = guardedLookup(opts.allowPrivate);
  return {
    close: () => Object.values(agents).forEach((a) => a.destroy()),
    send: (raw, headers, body) => new Promise<SendOutcome>((resolve) => {
      const started = performance.now();
      let settled = false;
      let timer: NodeJS.Timeout | undefined = undefined;
      const finish = (o: Omit<SendOutcome, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...o, durationMs: Math.round(performance.now() - started) });
      };
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return finish({ status: null, error: 'the URL is not valid', response: null });
      }
      const literal = addressLiteral(url.hostname);
      if (literal && !opts.allowPrivate && !isPublicAddress(literal)) return finish({ status: null, error: `refused: ${literal} is not a public address`, response: null });
      const agent = url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : undefined;
      if (!agent) return finish({ status: null, error: `refused: ${url.protocol} is not http or https`, response: null });
      const request = (url.protocol === 'https:' ? https : http).request({
        protocol: url.protocol,
        hostname: literal ?? url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: `${url.pathname}${url.search}`,
        ...(url.username ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
        method: 'POST',
        agent,
        lookup,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Ordo-Webhooks/1' },
      });
      timer = setTimeout(() => request.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
      request.on('error', (err) => finish({ status: null, error: err.message, response: null }));
      request.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const retryAfter = res.headers['retry-after'];
        const answered = (error: string | null) => finish({
          status: res.statusCode ?? null,
          ...(retryAfter !== undefined ? { retryAfter } : {}),
          error,
          response: excerpt(Buffer.concat(chunks)),
        });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= EXCERPT_BYTES) {
            // Enough: the rest is not read, and the connection goes rather than back to the pool.
            answered(null);
            res.destroy();
          }
        });
        res.on('end', () => answered(null));
        res.on('error', (err) => answered(`the answer broke off: ${err.message}`));
        res.on('close', () => answered(res.complete ? null : 'the answer broke off'));
      });
      request.end(body);
    }),
  };
}

/** The first bytes as text PostgreSQL can keep (no U+0000), or null when the body was empty. */
function excerpt(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  // eslint-disable-next-line no-control-regex -- U+0000 cannot be stored in jsonb
  return bytes.subarray(0, EXCERPT_BYTES).toString('utf8').replace(/\u0000/g, '');
}

/**
 * The address rule (domain/webhooks/target.ts) applied to real names: once when a subscription
 * is written (every address its host resolves to must be public), and on every connection a
 * delivery makes, through the socket's own lookup, so a name that resolves elsewhere by the time
 * of sending (DNS rebinding) still cannot reach inside.
 */
import dns from 'node:dns';
import type net from 'node:net';
import { addressLiteral, isPublicAddress } from '../../domain/webhooks/target.js';

/** Refused by the address rule; the attempt fails like an unreachable endpoint. */
export class RefusedTarget extends Error {
  constructor(host: string, address: string) {
    super(`refused: ${host === address ? address : `${host} resolves to ${address}, which`} is not a public address`);
  }
}

const RESOLVE_TIMEOUT_MS = 5000;

/** Why the URL's host may not be called, or undefined when it may. */
export async function refusedTarget(url: URL, allowPrivate: boolean): Promise<string | undefined> {
  if (allowPrivate) return undefined;
  const literal = addressLiteral(url.hostname);
  if (literal) return isPublicAddress(literal) ? undefined : `${literal} is not a public address`;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await Promise.race([
      dns.promises.lookup(url.hostname, { all: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), RESOLVE_TIMEOUT_MS).unref()),
    ]);
  } catch (err) {
    return `the host ${url.hostname} does not resolve (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const inside = addresses.find((a) => !isPublicAddress(a.address));
  return inside ? `${url.hostname} resolves to ${inside.address}, which is not a public address` : undefined;
}

/** A socket lookup that refuses every name resolving to an address the rule refuses. */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const inside = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (inside) return callback(Object.assign(new RefusedTarget(hostname, inside.address), { code: 'ERR_WEBHOOK_TARGET' }), '', 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

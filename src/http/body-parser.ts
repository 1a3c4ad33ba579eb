/**
 * The JSON body parser. It reads the raw bytes, so that invalid UTF-8 is refused rather than
 * silently turned into U+FFFD and stored; it refuses nesting deeper than any Ordo body needs
 * before parsing, so nothing downstream (validation, fingerprints, JSONB) meets a runaway depth;
 * and it refuses `__proto__` and `constructor.prototype` keys, as Fastify's own parser does.
 */
import type { FastifyInstance } from 'fastify';

/** The deepest nesting of arrays and objects a body may have; Ordo's own bodies need under ten. */
export const MAX_DEPTH = 64;

/** A body refused as bad input: answered 400 invalid_request with this message. */
export class BodyRefused extends Error {
  readonly statusCode = 400;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BodyRefused('the body is not valid UTF-8');
  }
}

/** How deep the JSON text nests, counted on the text itself (brackets inside strings do not count). */
export function nestingOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** A key that would reach an object's prototype if the value were merged somewhere carelessly. */
function hasPrototypeKey(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (!Array.isArray(v)) {
      if (own(v, '__proto__')) return true;
      const ctor = (v as Record<string, unknown>).constructor;
      if (own(v, 'constructor') && ctor !== null && typeof ctor === 'object' && own(ctor, 'prototype')) return true;
    }
    for (const item of Object.values(v)) pending.push(item);
  }
  return false;
}

export function parseJsonBody(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text.trim() === '') throw new BodyRefused('the body is empty; send a JSON value or no content type');
  if (nestingOf(text) > MAX_DEPTH) throw new BodyRefused(`the body nests deeper than ${MAX_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BodyRefused(`the body is not valid JSON: ${err instanceof Error ? err.message : 'it does not parse'}`);
  }
  if (hasPrototypeKey(value)) throw new BodyRefused('the body has a __proto__ or constructor.prototype key');
  return value;
}

/** Replaces Fastify's JSON parser in this scope (and the scopes under it). */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

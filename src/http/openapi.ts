/**
 * What the OpenAPI document says about errors, added to every route's own schema: each error
 * is RFC 9457 problem+json, with the statuses any route can answer (bad input, a path or
 * headers too long, a database away) next to the ones its own schema lists, and the `code`
 * values each can carry. Only the document changes; the route schemas that run stay as they are.
 */
import type { Access } from './context.js';
import { CALLBACK_EXAMPLE, EXAMPLES, PARAM_EXAMPLES } from './examples.js';
import { problem } from './problems.js';
import { Problem } from './schemas.js';

interface RouteFacts {
  readonly method: string | readonly string[];
  readonly url: string;
  readonly config?: { readonly access?: Access; readonly idempotent?: boolean };
}

export type RouteSchema = Record<string, unknown> & {
  hide?: boolean; response?: Record<string, unknown>; headers?: { properties?: Record<string, unknown> }; body?: unknown; params?: { properties?: Record<string, object> };
};

/** The codes only the HTTP layer sends, per status: these lists are complete. */
const GENERIC: Readonly<Record<number, readonly string[]>> = {
  413: ['payload_too_large'], 414: ['uri_too_long'], 415: ['unsupported_media_type'], 429: ['rate_limited'],
  431: ['headers_too_large'], 500: ['internal_error'], 503: ['database_unavailable'],
};

const WHY: Readonly<Record<number, string>> = {
  400: 'The request is malformed: a path parameter, query, header or body that does not match the schema, invalid JSON or UTF-8, nesting deeper than 64 levels, or text PostgreSQL cannot store.',
  401: 'No API key, or one that is not valid.',
  403: 'The key may not do this.',
  404: 'What the path names does not exist, or this key may not see it.',
  409: 'The order is not in a state that allows this now.',
  412: 'If-Match names a version the order has moved on from.',
  413: 'The body is over the size limit (1 MiB).',
  414: 'A path parameter is over 100 characters.',
  415: 'The body is not application/json.',
  422: 'The request is well-formed but the engine refuses it.',
  429: 'Too many requests; retry after the time in Retry-After.',
  431: 'The request line and headers are over 16 KiB (a long query string counts).',
  500: 'A fault on our side; the request may be retried.',
  503: 'The database is unavailable for now; retry after the seconds in Retry-After.',
};

/** Codes the engine's rejections carry, where a route's own path says which. */
function notFoundCodes(url: string): string[] {
  if (url.startsWith('/v1/gateways')) return ['gateway_not_found', 'payment_not_found'];
  if (url.startsWith('/v1/payments')) return ['payment_not_found'];
  if (url.startsWith('/v1/fulfillments')) return ['fulfillment_not_found'];
  if (url.startsWith('/v1/returns')) return ['return_not_found'];
  if (url.startsWith('/v1/workflows')) return ['unknown_workflow', 'status_not_found'];
  if (url.startsWith('/v1/inventory')) return ['sku_not_tracked'];
  if (url.startsWith('/v1/orders/:id/timers')) return ['order_not_found', 'timer_not_found'];
  if (url.startsWith('/v1/orders/:id')) return ['order_not_found', 'payment_not_found', 'refund_not_found', 'fulfillment_not_found', 'return_not_found'];
  return [];
}

const problemContent = (status: number, codes: readonly string[], complete: boolean) => ({
  description: `${WHY[status] ?? 'Refused.'} ${complete ? 'code' : 'code, among others'}: ${codes.join(', ')}.`,
  content: {
    'application/problem+json': {
      schema: {
        ...Problem,
        properties: { ...Problem.properties, status: { type: 'integer', const: status }, code: complete ? { type: 'string', enum: [...codes] } : { type: 'string', examples: [...codes] } },
        examples: [problem(status, codes[0]!, WHY[status] ?? 'Refused.')],
      },
    },
  },
});

export function documentRoute(schema: RouteSchema | undefined, route: RouteFacts, opts: { readonly rateLimited: boolean }): RouteSchema | undefined {
  if (!schema || schema.hide) return schema;
  const access = route.config?.access ?? 'public';
  const methods = [route.method].flat();
  const write = methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH');
  const hasBody = write || methods.includes('DELETE');
  const guarded = access !== 'public';
  const idempotent = write && guarded && route.config?.idempotent !== false;
  const gateway = route.url.startsWith('/v1/gateways');
  const codes = new Map<number, { list: string[]; complete: boolean }>();
  const add = (status: number, list: readonly string[], complete = true) => {
    const known = codes.get(status) ?? { list: [], complete: true };
    codes.set(status, { list: [...new Set([...known.list, ...list])], complete: known.complete && complete });
  };
  add(400, gateway ? ['invalid_request', 'invalid_callback'] : ['invalid_request']);
  if (guarded || gateway) add(401, ['unauthorized']);
  if (access === 'admin') add(403, ['forbidden']);
  if (route.url.includes(':')) add(414, GENERIC[414]!);
  if (hasBody) for (const s of [413, 415]) add(s, GENERIC[s]!);
  // The limits count the routes a customer token may call (cors-and-limits.ts).
  if (opts.rateLimited && access === 'authenticated') add(429, GENERIC[429]!);
  for (const s of [431, 500]) add(s, GENERIC[s]!);
  if (guarded || gateway) add(503, GENERIC[503]!);
  if (schema.headers?.properties?.['if-match']) add(412, ['version_mismatch']);
  if (idempotent) {
    add(409, ['idempotency_key_in_progress'], false);
    add(422, ['idempotency_key_reused'], false);
  }
  // Statuses the route's own schema lists as problems: the engine's rejections, whose codes are many.
  const own = schema.response ?? {};
  for (const [key, value] of Object.entries(own)) {
    const status = Number(key);
    if (value !== Problem || (codes.get(status)?.complete && status !== 409 && status !== 422)) continue;
    if (status === 404) add(404, notFoundCodes(route.url), false);
    else if (status === 403) add(403, [route.url.includes('payments') ? 'payment_method_not_allowed' : 'forbidden'], false);
    else add(status, [], false);
  }
  const response: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(own)) if (value !== Problem) response[key] = withExample(value);
  for (const [status, { list, complete }] of [...codes].sort(([a], [b]) => a - b)) {
    response[String(status)] = problemContent(status, list.length > 0 ? list : ['see `code`'], complete && list.length > 0);
  }
  return {
    ...schema,
    response,
    ...(schema.params?.properties ? { params: withParamExamples(schema.params) } : {}),
    ...(schema.body ? { body: withExample(schema.body) } : gateway ? { body: { type: 'object', description: 'signed JSON, read as sent', examples: [CALLBACK_EXAMPLE] } } : {}),
    ...(guarded || schema.security ? {} : { security: [] }),
  };
}

/** The schema with its example attached; a union shows its first member's. */
function withExample(value: unknown): unknown {
  const content = (value as { content?: Record<string, { schema: unknown }> }).content;
  if (content) return { ...(value as object), content: Object.fromEntries(Object.entries(content).map(([type, media]) => [type, { ...media, schema: withExample(media.schema) }])) };
  const first = (value as { anyOf?: unknown[] }).anyOf?.[0];
  const example = EXAMPLES.get(value) ?? EXAMPLES.get(first);
  return example === undefined ? value : { ...(value as object), examples: [example] };
}

function withParamExamples(params: { properties?: Record<string, object> }) {
  const properties = Object.fromEntries(Object.entries(params.properties ?? {}).map(([name, p]) => [name, PARAM_EXAMPLES[name] ? { ...p, examples: [PARAM_EXAMPLES[name]] } : p]));
  return { ...params, properties };
}

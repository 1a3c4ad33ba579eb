/**
 * Issue 11: the OpenAPI document says the truth. Requests are generated from the document
 * itself (parameters, headers and bodies from their schemas, now and then something else
 * entirely), sent through the whole stack, and every answer is checked against the document:
 * its status is listed for the operation, its content type is the one listed, and its body
 * validates against the listed schema. No answer is a 5xx. The examples validate too.
 */
import fc from 'fast-check';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBody, startTestApp, type TestApp } from '../support/app.js';
import { arbitraryOf } from './contract/arbitrary.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read field by field
type Json = any;

// ajv ships CommonJS: its default export is the module object under Node's ESM.
const Ajv2020 = ((Ajv2020Module as Json).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const addFormats = ((addFormatsModule as Json).default ?? addFormatsModule) as typeof addFormatsModule.default;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);

let t: TestApp;
let doc: Json;
let storefront: string;
/** Ids that exist, so that generated requests reach past "not found" now and then. */
const known: Record<string, string[]> = { id: [], sku: ['TSHIRT-M'], name: ['standard', 'xcart'], gateway: ['simulated'], track: ['order', 'payment'], status: ['placed', 'my_status'] };

beforeAll(async () => {
  t = await startTestApp();
  storefront = await t.storefrontKey('contract-customer');
  doc = (await t.call('GET', '/openapi.json', undefined, { key: null })).body;
  const order = await t.call('POST', '/v1/orders', orderBody({ payment: { method: 'card', capture: false } }));
  expect(order.status, order.text).toBe(201);
  known.id!.push(order.body.id, order.body.payments[0].id);
  await t.call('PUT', '/v1/inventory/TSHIRT-M', { onHand: 50 });
});
afterAll(() => t.close());

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly op: Json;
}

const operations = (): Operation[] =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, methods]) =>
    Object.entries(methods).filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map(([method, op]) => ({ method, path, op })));

const validators = new Map<Json, ReturnType<typeof ajv.compile>>();
const validatorOf = (schema: Json) => {
  let v = validators.get(schema);
  if (!v) validators.set(schema, (v = ajv.compile(schema)));
  return v;
};

/** A request for this operation, from its documented parameters and body. */
function requestOf({ path, op }: Operation): fc.Arbitrary<{ url: string; headers: Record<string, string>; payload?: string }> {
  const params: Json[] = op.parameters ?? [];
  const pathArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(known[p.name] ?? ['x'])) },
    { weight: 1, arbitrary: arbitraryOf(p.schema) },
  )])));
  const queryArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, arbitraryOf(p.schema)])), { requiredKeys: [] });
  // Fresh idempotency keys, mostly: a key reused with another body is a 422 that hides everything past it.
  const headerValue = (p: Json) => (p.name === 'idempotency-key' ? fc.uuid() : p.name === 'if-match' ? fc.constantFrom('*', '"1"', '2', 'W/"3"', 'junk') : arbitraryOf(p.schema));
  const headerArb = fc.record(Object.fromEntries(params.filter((p) => p.in === 'header').map((p) => [p.name, headerValue(p)])), { requiredKeys: [] });
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const bodyArb = bodySchema
    ? fc.oneof({ weight: 4, arbitrary: arbitraryOf(bodySchema).map((b) => JSON.stringify(b)) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((b) => JSON.stringify(b)) })
    : fc.constant(undefined);
  const keyArb = fc.constantFrom<'admin' | 'storefront' | 'none'>('admin', 'admin', 'admin', 'storefront', 'none');
  return fc.record({ path: pathArb, query: queryArb, headers: headerArb, body: bodyArb, key: keyArb }).map(({ path: values, query, headers, body, key }: Json) => {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeSegment(String(values[name])));
    const qs = new URLSearchParams(Object.entries(query as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const h: Record<string, string> = Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([k, v]) => [k, String(v).replace(/[^\x20-\x7e]/g, '')]));
    if (key !== 'none') h.authorization = `Bearer ${key === 'admin' ? t.adminKey : storefront}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    return { url: qs ? `${url}?${qs}` : url, headers: h, ...(body !== undefined ? { payload: body } : {}) };
  });
}

/** A lone surrogate has no UTF-8: it goes out as the bytes of one (invalid UTF-8), which the server must refuse politely. */
const encodeSegment = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
};

const mediaType = (header: unknown) => String(header ?? '').split(';')[0]!.trim();

describe('every answer is what the document says', () => {
  it('the document lists the operations', () => {
    expect(operations().length).toBeGreaterThan(30);
  });

  // One property per operation: 25 requests each keeps the run well under 30 s.
  it('for every operation, generated requests get documented answers', async () => {
    const seen = new Map<string, Set<number>>();
    for (const operation of operations()) {
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      await fc.assert(
        fc.asyncProperty(requestOf(operation), async (req) => {
          const res = await t.app.inject({ method: operation.method.toUpperCase() as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
          const where = `${label} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          const documented = operation.op.responses[String(res.statusCode)] ?? operation.op.responses.default;
          expect(documented, `${where}: status not documented`).toBeDefined();
          seen.set(label, (seen.get(label) ?? new Set()).add(res.statusCode));
          if (!documented.content || res.body === '') return;
          const type = mediaType(res.headers['content-type']);
          expect(Object.keys(documented.content), `${where}: content type ${type}`).toContain(type);
          const schema = documented.content[type].schema;
          const validate = validatorOf(schema);
          const body: unknown = /json$/.test(type) ? JSON.parse(res.body) : res.body;
          expect(validate(body), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }),
        { numRuns: 25, seed: Number(process.env.CONTRACT_SEED ?? 11) },
      );
    }
    if (process.env.CONTRACT_VERBOSE) console.log([...seen].map(([k, v]) => `${k}: ${[...v].sort().join(",")}`).join("\n"));
    // The generator reached past refusals: some operations answered with success.
    expect([...seen.values()].filter((s) => [...s].some((c) => c < 300)).length).toBeGreaterThan(5);
  }, 120_000);

  it('every example validates against the schema it illustrates', () => {
    for (const { method, path, op } of operations()) {
      const medias = [
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => [`request ${type}`, media] as const),
        ...Object.entries(op.responses).flatMap(([status, r]: [string, Json]) => Object.entries(r.content ?? {}).map(([type, media]) => [`${status} ${type}`, media] as const)),
      ];
      for (const [where, media] of medias as [string, Json][]) {
        const examples = [media.example, ...Object.values(media.examples ?? {}).map((e: Json) => e.value), ...(media.schema?.examples ?? [])].filter((e) => e !== undefined);
        for (const example of examples) {
          const validate = validatorOf(media.schema);
          expect(validate(example), `${method.toUpperCase()} ${path} ${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
      }
    }
  });
});

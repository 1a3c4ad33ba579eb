/**
 * The HTTP API: Fastify with JSON-schema validation, Bearer auth, idempotency keys, RFC 9457
 * errors, and an OpenAPI document generated from the route schemas.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifySchema } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { isDatabaseUnavailable, type Ordo } from '../engine/ordo.js';
import { registerAuth } from './auth.js';
import { registerCors, registerRateLimits } from './cors-and-limits.js';
import { customerTokenRoutes } from './routes/customer-tokens.js';
import { priceRoutes } from './routes/prices.js';
import { registerIdempotency } from './idempotency.js';
import { databaseUnavailableProblem, httpProblem, INTERNAL_ERROR, sendProblem } from './problems.js';
import { hasUnstorableText } from './text.js';
import { registerJsonParser } from './body-parser.js';
import { answerClientError, frameworkProblem, MAX_HEADER_SIZE } from './transport-errors.js';
import { registerMethodNotAllowed } from './method-not-allowed.js';
import { documentRoute, type RouteSchema } from './openapi.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { clockRoutes } from './routes/clock.js';
import { inventoryRoutes } from './routes/inventory.js';
import { gatewayEventRoutes } from './routes/gateway-events.js';
import { paymentRoutes } from './routes/payments.js';
import { fulfillmentRoutes } from './routes/fulfillments.js';
import { cancellationRoutes } from './routes/cancellations.js';
import { modificationRoutes } from './routes/modifications.js';
import { returnRoutes } from './routes/returns.js';
import { approvalRoutes } from './routes/approvals.js';
import { notificationRoutes } from './routes/notifications.js';
import { healthRoutes } from './routes/health.js';
import { orderRoutes } from './routes/orders.js';
import { workflowRoutes } from './routes/workflows.js';
import { orderSearchRoutes } from './routes/order-search.js';
import { demoRoutes } from './routes/demo.js';
import { adminUiRoutes } from './admin-ui.js';
import { eventRoutes } from './routes/events.js';
import { registerMetrics } from './metrics.js';
import { eventWebhooks } from './event-webhooks.js';
import { webhookRoutes } from './routes/webhooks.js';
import { precompiledSchemas, type SchemaCompilers } from './compiled-schemas.js';

export interface ServerOptions {
  readonly logger?: boolean;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** How route schemas become validators and serializers; by default from the build's compiled file (compiled-schemas.ts). */
  readonly schemaCompilers?: SchemaCompilers;
}

export async function buildServer(ordo: Ordo, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // Wrong types are errors, not values to guess at; unknown fields are refused by the schemas.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: true } },
    schemaController: { compilersFactory: opts.schemaCompilers ?? precompiledSchemas() },
    http: { maxHeaderSize: MAX_HEADER_SIZE },
    // What the router and Node's HTTP parser refuse is answered as problem+json too.
    frameworkErrors: frameworkProblem,
    clientErrorHandler: answerClientError,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Ordo', version: '1', description: 'Headless order processing: workflows, payments, stock, fulfillment, timers. Money is always integer minor units.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'an Ordo API key' } } },
      security: [{ bearer: [] }],
      // What Ordo sends: one entry per event type (docs/events.md).
      webhooks: eventWebhooks() as never, // path items, as @fastify/swagger passes them through
    },
    // The errors, their content type and codes, and public routes' lack of a key, per operation.
    transform: ({ schema, url, route }) => ({ schema: documentRoute(schema as RouteSchema, route, { rateLimited: app.hasPlugin('@fastify/rate-limit') }) as FastifySchema, url }),
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      return httpProblem(reply, 400, 'invalid_request', `${err.validationContext ?? 'request'} ${err.validation[0]?.instancePath || ''} ${err.validation[0]?.message ?? 'is invalid'}`.replace(/\s+/g, ' ').trim(), {
        errors: err.validation.map((v) => ({ in: err.validationContext, path: v.instancePath, message: v.message, params: v.params })),
      });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return httpProblem(reply, 413, 'payload_too_large', 'the request body is too large');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return httpProblem(reply, 415, 'unsupported_media_type', 'send the body as application/json');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return httpProblem(reply, err.statusCode, 'invalid_request', err.message);
    // Down, restarting or unreachable: not a fault of this request, and over once the database is back.
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable');
      return databaseUnavailableProblem(reply);
    }
    request.log.error(err);
    return sendProblem(reply, INTERNAL_ERROR);
  });
  app.setNotFoundHandler((request, reply) => httpProblem(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));

  // JSON only: a text/plain body is refused (415) rather than parsed as a string.
  app.removeContentTypeParser('text/plain');
  registerJsonParser(app);
  registerMethodNotAllowed(app);
  // PostgreSQL cannot store U+0000 or a lone UTF-16 surrogate: refuse them up front as bad input.
  app.addHook('preValidation', async (request, reply) => {
    for (const [where, value] of [['body', request.body], ['query', request.query], ['params', request.params]] as const) {
      if (hasUnstorableText(value)) return httpProblem(reply, 400, 'invalid_request', `${where} contains a NUL character or a lone surrogate, which cannot be stored`);
    }
  });
  await registerCors(app, ordo);
  await registerRateLimits(app, ordo);
  registerAuth(app, ordo);
  registerIdempotency(app, ordo);
  healthRoutes(app, ordo);
  orderRoutes(app, ordo);
  workflowRoutes(app, ordo);
  (await import('./routes/counts.js')).countRoutes(app, ordo);
  apiKeyRoutes(app, ordo);
  customerTokenRoutes(app, ordo);
  priceRoutes(app, ordo);
  inventoryRoutes(app, ordo);
  paymentRoutes(app, ordo);
  fulfillmentRoutes(app, ordo);
  cancellationRoutes(app, ordo);
  returnRoutes(app, ordo);
  modificationRoutes(app, ordo);
  approvalRoutes(app, ordo);
  notificationRoutes(app, ordo);
  await gatewayEventRoutes(app, ordo);
  clockRoutes(app, ordo);
  orderSearchRoutes(app, ordo);
  demoRoutes(app, ordo);
  await adminUiRoutes(app);
  eventRoutes(app, ordo);
  registerMetrics(app, ordo);
  webhookRoutes(app, ordo);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.ready();
  return app;
}

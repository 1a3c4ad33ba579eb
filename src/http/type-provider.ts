import type { FastifyTypeProvider } from 'fastify';
import type { Static, TSchema } from 'typebox';

/**
 * Requests are typed from their TypeBox schemas. Responses are left untyped here: the
 * domain's views are deeply readonly, which TypeBox's static types are not; the response
 * schemas still shape what is sent, through Fastify's serializer.
 */
export interface RequestTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: unknown;
}

/**
 * The typed API client: openapi-fetch over the generated paths, with the admin key from
 * sessionStorage, and openapi-react-query hooks on top. Failures throw the server's problem body
 * (or the network error), which components show with describeError.
 */
import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryHooks from 'openapi-react-query';
import type { paths } from './schema';
import { readKey } from '../lib/session';

const auth: Middleware = {
  onRequest({ request }) {
    const key = readKey();
    if (key && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
};

export const client = createFetchClient<paths>({ baseUrl: window.location.origin });
client.use(auth);
export const $api = createQueryHooks(client);

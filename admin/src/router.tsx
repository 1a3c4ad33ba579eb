/**
 * The pages and their URLs. Every filter, tab and page lives in the URL (typed search params); the
 * workflow diagrams load only when their page is opened (a lazy route).
 */
import { QueryClient } from '@tanstack/react-query';
import { createRootRoute, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { readKey } from './lib/session';
import { parseOrdersSearch } from './lib/search';
import { Layout, NotFound, RouteError } from './routes/layout';
import { SignInPage } from './routes/sign-in';
import { OrdersPage } from './routes/orders/page';
import { OrderPage } from './routes/order/page';
import { InventoryPage } from './routes/inventory';
import { ApiKeysPage } from './routes/api-keys';

export const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: (count, err) => count < 2 && !(err && typeof err === 'object' && 'status' in err), staleTime: 2000 } },
});

const signedIn = ({ location }: { location: { href: string } }) => {
  if (!readKey()) throw redirect({ to: '/sign-in', search: { next: location.href } });
};

const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFound, errorComponent: RouteError });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute, path: '/sign-in', component: SignInPage,
  validateSearch: (raw: Record<string, unknown>): { next?: string } => (typeof raw.next === 'string' && raw.next.startsWith('/') ? { next: raw.next } : {}),
});
const indexRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', beforeLoad: () => { throw redirect({ to: '/orders', search: {} }); } });
const ordersRoute = createRoute({ getParentRoute: () => rootRoute, path: '/orders', beforeLoad: signedIn, validateSearch: parseOrdersSearch, component: OrdersPage });
const orderRoute = createRoute({ getParentRoute: () => rootRoute, path: '/orders/$orderId', beforeLoad: signedIn, component: OrderPage });
const workflowsRoute = createRoute({
  getParentRoute: () => rootRoute, path: '/workflows', beforeLoad: signedIn,
  validateSearch: (raw: Record<string, unknown>): { name?: string } => (typeof raw.name === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(raw.name) ? { name: raw.name } : {}),
}).lazy(() => import('./routes/workflows/page').then((m) => m.Route));
const inventoryRoute = createRoute({
  getParentRoute: () => rootRoute, path: '/inventory', beforeLoad: signedIn, component: InventoryPage,
  validateSearch: (raw: Record<string, unknown>): { sku?: string; q?: string } => ({
    ...(typeof raw.sku === 'string' && raw.sku.length <= 100 ? { sku: raw.sku } : {}),
    ...(typeof raw.q === 'string' && raw.q.length <= 100 && raw.q ? { q: raw.q } : {}),
  }),
});
const apiKeysRoute = createRoute({ getParentRoute: () => rootRoute, path: '/api-keys', beforeLoad: signedIn, component: ApiKeysPage });

const routeTree = rootRoute.addChildren([signInRoute, indexRoute, ordersRoute, orderRoute, workflowsRoute, inventoryRoute, apiKeysRoute]);

export const router = createRouter({ routeTree, basepath: '/admin', defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

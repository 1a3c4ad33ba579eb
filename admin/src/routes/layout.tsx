/** The frame of every page: navigation, sign out, and what shows when a page fails or is missing. */
import { useState } from 'react';
import { Link, Outlet, useNavigate, useRouterState, type ErrorComponentProps } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { forgetKey, readKey } from '../lib/session';
import { cn } from '../lib/cn';
import { ErrorBox } from '../components/error-box';
import { Button } from '../components/ui/button';
import { IconBox, IconFlow, IconKey, IconLogout, IconMenu, IconOrders } from '../components/icons';

const NAV = [
  { to: '/orders', label: 'Orders', icon: IconOrders },
  { to: '/workflows', label: 'Workflows', icon: IconFlow },
  { to: '/inventory', label: 'Inventory', icon: IconBox },
  { to: '/api-keys', label: 'API keys', icon: IconKey },
] as const;

export function Layout() {
  const path = useRouterState({ select: (s) => s.location.pathname });
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [menu, setMenu] = useState(false);
  const signedIn = readKey() !== null && path !== '/sign-in';
  const signOut = () => {
    forgetKey();
    queries.clear();
    void navigate({ to: '/sign-in', search: {} });
  };
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">Skip to content</a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-screen-2xl items-center gap-4 px-3 sm:px-6">
          <Link to="/orders" search={{}} className="flex items-center gap-2 font-semibold">
            <span className="inline-block h-5 w-5 rounded-full bg-indigo-600" aria-hidden="true" />Ordo
          </Link>
          {signedIn ? (
            <>
              <Button variant="ghost" size="icon" className="sm:hidden" aria-label="Menu" aria-expanded={menu} onClick={() => setMenu(!menu)}><IconMenu /></Button>
              <nav aria-label="Main" className={cn('absolute left-0 right-0 top-14 flex-col gap-1 border-b border-slate-200 bg-white p-2 sm:static sm:flex sm:flex-row sm:border-0 sm:p-0', menu ? 'flex' : 'hidden')}>
                {NAV.map(({ to, label, icon: Icon }) => (
                  <Link key={to} to={to} onClick={() => setMenu(false)}
                    className={cn('flex items-center gap-1.5 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100', path.startsWith(to) && 'bg-indigo-50 text-indigo-700')}>
                    <Icon />{label}
                  </Link>
                ))}
              </nav>
              <div className="ml-auto"><Button variant="ghost" size="sm" onClick={signOut}><IconLogout />Sign out</Button></div>
            </>
          ) : null}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-screen-2xl px-3 py-4 sm:px-6 sm:py-6">
        <Outlet />
      </main>
    </div>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <div className="space-y-3">
      <ErrorBox error={error} action="This page failed" />
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}

export function NotFound() {
  return (
    <div className="space-y-2">
      <h1 className="text-xl font-semibold">No such page</h1>
      <p><Link to="/orders" search={{}} className="text-indigo-700 underline">Go to the orders</Link></p>
    </div>
  );
}

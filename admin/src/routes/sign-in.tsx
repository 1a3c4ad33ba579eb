/**
 * Sign in with an admin key. The key is checked against an admin-only endpoint (the key list):
 * 200 is an admin key; 403 is a storefront key or a customer token, refused here with words; 401
 * is no key at all. It is kept in sessionStorage only.
 */
import { useState } from 'react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useQueryClient } from '@tanstack/react-query';
import { client } from '../api/client';
import { saveKey } from '../lib/session';
import { describeError } from '../lib/problem';
import { Button } from '../components/ui/button';
import { Card, CardBody } from '../components/ui/card';
import { Input, Label } from '../components/ui/input';
import { ErrorBox } from '../components/error-box';

export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const queries = useQueryClient();
  const { next } = useSearch({ from: '/sign-in' });
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const { error, response: res } = await client.GET('/v1/api-keys', { headers: { authorization: `Bearer ${key.trim()}` } });
      if (res.status === 403) {
        setError({ code: 'not_an_admin_key', title: 'This is not an admin key', detail: 'It is a storefront key or a customer token: it may act for customers, not run the back office. Sign in with an admin key (ORDO_ADMIN_KEY, .ordo/admin.key, or one made with role admin).', status: 403 });
        return;
      }
      if (!res.ok) {
        setError(error ?? { code: 'http_error', detail: `the server answered ${res.status}`, status: res.status });
        return;
      }
      saveKey(key.trim());
      queries.clear();
      const target = next?.replace(/^\/admin/, '') || '/orders';
      await navigate({ to: target });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="mx-auto mt-10 max-w-md">
      <Card>
        <CardBody className="space-y-4">
          <h1 className="text-xl font-semibold">Sign in to Ordo</h1>
          <p className="text-sm text-slate-600">Paste an admin API key. It stays in this tab only (sessionStorage) and is gone when the tab closes.</p>
          <form onSubmit={(e) => (e.preventDefault(), void submit())} className="space-y-3">
            <div className="space-y-1">
              <Label htmlFor="admin-key">Admin key</Label>
              <Input id="admin-key" type="password" autoComplete="off" className="w-full font-mono" value={key} onChange={(e) => setKey(e.target.value)} required autoFocus />
            </div>
            {error ? <ErrorBox error={error} action="Sign in" /> : null}
            <Button type="submit" variant="primary" disabled={busy || !key.trim()} className="w-full">{busy ? 'Checking…' : 'Sign in'}</Button>
          </form>
          <p className="sr-only" aria-live="polite">{error ? describeError(error).title : ''}</p>
        </CardBody>
      </Card>
    </div>
  );
}

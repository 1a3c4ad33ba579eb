/** API keys: the live keys and customer tokens; make one (its secret shown once, here); revoke. */
import { useState } from 'react';
import { $api } from '../api/client';
import { dateTime } from '../lib/format';
import { ActionDialog } from '../components/action-dialog';
import { ErrorBox } from '../components/error-box';
import { Card, CardBody } from '../components/ui/card';
import { Input, Label, Select } from '../components/ui/input';
import { Table, Td, Th } from '../components/ui/table';
import { Button } from '../components/ui/button';

export function ApiKeysPage() {
  const keys = $api.useQuery('get', '/v1/api-keys');
  const [role, setRole] = useState<'storefront' | 'admin'>('storefront');
  const [name, setName] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h1 className="text-2xl font-semibold">API keys</h1>
        <ActionDialog label="Create key" title="Create an API key" variant="primary" ready={name.trim().length > 0} testId="create-key" confirm="Create"
          request={() => ({ method: 'POST', template: '/v1/api-keys', body: { role, name: name.trim(), ...(customerId.trim() ? { customerId: customerId.trim() } : {}) } })}
          onDone={(answer) => { const a = answer as { name: string; key: string }; setSecret({ name: a.name, key: a.key }); setName(''); setCustomerId(''); }}>
          <div className="space-y-1"><Label htmlFor="key-name">Name</Label><Input id="key-name" className="w-full" value={name} onChange={(e) => setName(e.target.value)} placeholder="web shop" /></div>
          <div className="space-y-1"><Label htmlFor="key-role">Role</Label>
            <Select id="key-role" value={role} onChange={(e) => setRole(e.target.value as 'storefront' | 'admin')}><option value="storefront">storefront</option><option value="admin">admin</option></Select>
          </div>
          {role === 'storefront' ? <div className="space-y-1"><Label htmlFor="key-customer">Bound to one customer (optional)</Label><Input id="key-customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)} placeholder="cus_42" /></div> : null}
        </ActionDialog>
      </div>
      {secret ? (
        <div role="status" className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm" data-testid="new-secret">
          <p className="font-semibold">The secret of “{secret.name}”: copy it now, it is never shown again.</p>
          <code className="block break-all rounded bg-white p-2 font-mono">{secret.key}</code>
          <div className="flex gap-2"><Button size="sm" onClick={() => void navigator.clipboard?.writeText(secret.key).catch(() => undefined)}>Copy</Button><Button size="sm" variant="ghost" onClick={() => setSecret(null)}>I have kept it</Button></div>
        </div>
      ) : null}
      {keys.error ? <ErrorBox error={keys.error} action="Loading the keys" /> : null}
      <Card>
        <Table>
          <thead><tr><Th>Name</Th><Th>Role</Th><Th>Customer</Th><Th>Prefix</Th><Th>Made</Th><Th>Last used</Th><Th>Expires</Th><Th /></tr></thead>
          <tbody>
            {keys.data?.items.map((k) => (
              <tr key={k.id} data-testid="key-row">
                <Td>{k.name}</Td><Td>{k.role}</Td><Td>{k.customerId ?? '—'}</Td><Td className="font-mono text-xs">{k.prefix}…</Td>
                <Td className="whitespace-nowrap">{dateTime(k.createdAt)}</Td><Td className="whitespace-nowrap">{k.lastUsedAt ? dateTime(k.lastUsedAt) : 'never'}</Td>
                <Td className="whitespace-nowrap">{k.expiresAt ? dateTime(k.expiresAt) : '—'}</Td>
                <Td><ActionDialog label="Revoke" variant="danger" title={`Revoke “${k.name}”`} description="It stops working at once, in every process." confirm="Revoke"
                  request={() => ({ method: 'DELETE', template: '/v1/api-keys/{id}', params: { id: k.id } })} /></Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {keys.data && keys.data.items.length === 0 ? <CardBody className="text-sm text-slate-600">No key.</CardBody> : null}
      </Card>
    </div>
  );
}

/** The workflow's settings and status names, changed through the workflow-changes API (PATCH settings, PUT status names). */
import { useState } from 'react';
import type { Workflow } from '../../api/types';
import { ActionDialog } from '../../components/action-dialog';
import { Card, CardBody, CardHeader } from '../../components/ui/card';
import { Input } from '../../components/ui/input';
import { Table, Td, Th } from '../../components/ui/table';

type Value = string | number | boolean;
const parse = (text: string, like: Value): Value => (typeof like === 'boolean' ? text === 'true' : typeof like === 'number' ? Number(text) : text);

function SettingRow({ workflow, name, value }: { workflow: Workflow; name: string; value: Value }) {
  const [text, setText] = useState(String(value));
  const next = parse(text, value);
  return (
    <tr>
      <Td className="font-mono text-xs">{name}</Td>
      <Td>
        {typeof value === 'boolean' ? (
          <select aria-label={name} className="h-8 rounded border border-slate-300 px-1" value={text} onChange={(e) => setText(e.target.value)}><option value="true">true</option><option value="false">false</option></select>
        ) : <Input aria-label={name} className="h-8 w-32" value={text} onChange={(e) => setText(e.target.value)} />}
      </Td>
      <Td className="text-xs text-slate-600">{workflow.settingNotes?.[name] ?? ''}</Td>
      <Td className="whitespace-nowrap">
        <ActionDialog label="Save" title={`Set ${name}`} ready={next !== value && !(typeof next === 'number' && Number.isNaN(next))}
          request={() => ({ method: 'PATCH', template: '/v1/workflows/{name}/settings', params: { name: workflow.name }, body: { [name]: next } })} />{' '}
        <ActionDialog label="Default" title={`Put ${name} back to its default`} variant="ghost"
          request={() => ({ method: 'PATCH', template: '/v1/workflows/{name}/settings', params: { name: workflow.name }, body: { [name]: null } })} />
      </Td>
    </tr>
  );
}

function LabelRow({ workflow, track, state, label }: { workflow: Workflow; track: string; state: string; label: string }) {
  const [text, setText] = useState(label);
  return (
    <li className="flex flex-wrap items-center gap-2 text-sm">
      <span className="w-44 font-mono text-xs">{track}:{state}</span>
      <Input aria-label={`Name of ${track} ${state}`} className="h-8 w-56" value={text} onChange={(e) => setText(e.target.value)} maxLength={64} />
      <ActionDialog label="Rename" title={`Rename ${state}`} ready={text.trim() !== label && text.trim().length > 0}
        request={() => ({ method: 'PUT', template: '/v1/workflows/{name}/statuses/{track}/{status}', params: { name: workflow.name, track, status: state }, body: { label: text.trim() } })} />
    </li>
  );
}

export function Settings({ workflow }: { workflow: Workflow }) {
  const settings = Object.entries(workflow.settings);
  return (
    <Card aria-labelledby="settings-title">
      <CardHeader id="settings-title" title={`Settings and names (revision ${workflow.revision})`} />
      {settings.length ? (
        <Table>
          <thead><tr><Th>Setting</Th><Th>Value</Th><Th>What it is for</Th><Th /></tr></thead>
          <tbody>{settings.map(([k, v]) => <SettingRow key={`${workflow.revision}-${k}`} workflow={workflow} name={k} value={v} />)}</tbody>
        </Table>
      ) : <CardBody className="text-sm text-slate-600">This workflow has no settings.</CardBody>}
      <CardBody>
        <details>
          <summary className="cursor-pointer text-sm font-semibold">Status names</summary>
          <ul className="mt-2 space-y-1">
            {workflow.tracks.flatMap((t) => t.states.map((s) => <LabelRow key={`${workflow.revision}-${t.id}-${s.id}`} workflow={workflow} track={t.id} state={s.id} label={s.label} />))}
          </ul>
        </details>
      </CardBody>
    </Card>
  );
}

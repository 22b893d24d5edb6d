// The audit log (rule SEC-3) for the privacy officer and administrators: newest first, filtered by
// kind of event, request, person and period, a page at a time; and the check of the tamper-evident
// chain. Reading the log is itself recorded.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { AUDIT_EVENT_TYPES } from '../../../shared/audit-events';
import { isRole, ROLE_LABELS } from '../../../shared/roles';
import { get } from '../../api/client';
import { type AuditFilters, useAuditEvents, useRequests, useUsers } from '../../api/hooks';
import type { AuditEventView } from '../../api/types';
import { useSession } from '../../app/session';
import { EmptyState, ErrorState, errorHint, Loading } from '../../components/States';
import { dateTime, eventLabel } from '../../lib/format';

const typeOptions = AUDIT_EVENT_TYPES.map((t) => ({ value: t, label: `${eventLabel(t)} (${t})` }));
const REQUEST_NUMBER = /^R-\d{4}-\d+$/i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A short, readable line of an event's details: its words and figures, without internal ids or
 * nested records (the server keeps no secrets in them; the full row is in the export).
 */
function details(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined || v === '' || /Ids?$/.test(k)) continue;
    if (typeof v === 'string' && UUID.test(v)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}: ${v}`);
    else if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) {
      if (v.length > 0) parts.push(`${k}: ${v.join(', ')}`);
    } else if (k === 'filters' && typeof v === 'object') parts.push(`${k}: ${JSON.stringify(v)}`);
  }
  const line = parts.join(' · ');
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

function EventRow({ e }: { e: AuditEventView }) {
  const role = e.actor?.role && isRole(e.actor.role) ? ROLE_LABELS[e.actor.role] : e.actor?.role;
  return (
    <Paper withBorder radius="md" p="sm" component="li" style={{ listStyle: 'none' }}>
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Group gap="xs" justify="space-between" align="baseline">
          <Group gap="xs">
            <Text fw={600} size="sm">
              {eventLabel(e.type)}
            </Text>
            <Badge size="xs" variant="outline" color="gray">
              {e.type}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {dateTime(e.at)} · #{e.seq}
            {e.ip ? ` · ${e.ip}` : ''}
          </Text>
        </Group>
        <Text size="sm">
          {e.actor?.name ? `${e.actor.name}${role ? ` (${role})` : ''}` : 'Release Desk'}
          {e.requestId && (
            <>
              {' · '}
              <Anchor underline="always" component={Link} to={`/requests/${e.requestId}`} size="sm">
                the request
              </Anchor>
            </>
          )}
        </Text>
        {Object.keys(e.data).length > 0 && (
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {details(e.data)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function ChainCheck() {
  const verify = useMutation({
    mutationFn: () => get<{ ok: boolean; message: string; rowsChecked?: number }>('/api/audit-events/verify'),
  });
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending}>
          Check that the log is untouched
        </Button>
      </Group>
      {verify.data && (
        <Alert
          color={verify.data.ok ? 'green' : 'red'}
          role="status"
          title={verify.data.ok ? 'The log is intact' : 'The log was changed'}
        >
          {verify.data.message}
        </Alert>
      )}
      {verify.error && (
        <Alert color="red" role="alert">
          {errorHint(verify.error)}
        </Alert>
      )}
    </Stack>
  );
}

export function AuditLogPage() {
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const [number, setNumber] = useState(params.get('request') ?? '');
  const [pages, setPages] = useState<number[]>([]);
  const canSeeRequests = me.abilities.includes('view_all_requests');
  const requestNumber = (params.get('request') ?? '').trim().toUpperCase();
  const found = useRequests({ q: requestNumber, limit: 5 }, canSeeRequests && requestNumber !== '');
  const requestId =
    canSeeRequests && REQUEST_NUMBER.test(requestNumber)
      ? found.data?.items.find((r) => r.number === requestNumber)?.id
      : undefined;
  const users = useUsers(me.abilities.includes('manage_users'));
  const filters: AuditFilters = {
    type: params.get('type') ?? undefined,
    actorId: params.get('actor') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    requestId,
    before: pages.at(-1),
    limit: 50,
  };
  const waitingForRequest = requestNumber !== '' && canSeeRequests && found.isPending;
  const log = useAuditEvents(filters);
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setPages([]);
  };
  const unknownRequest = requestNumber !== '' && !waitingForRequest && !requestId;

  if (!me.abilities.includes('read_audit_log')) {
    return (
      <EmptyState title="The audit log is for the privacy officer and administrators">
        Ask your privacy officer if you need to know who did what on a request.
      </EmptyState>
    );
  }
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Audit log
      </Title>
      <Text c="dimmed" size="sm">
        Every change, every sign-in and every read of health information, newest first. Your searches are
        recorded too.
      </Text>
      <Paper withBorder radius="md" p="sm">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <Select
            label="What happened"
            placeholder="Any event"
            data={typeOptions}
            value={params.get('type')}
            onChange={(v) => set('type', v)}
            searchable
            clearable
            nothingFoundMessage="No such event"
          />
          {canSeeRequests && (
            <TextInput
              label="Request number"
              placeholder="R-2026-0042"
              value={number}
              onChange={(e) => setNumber(e.currentTarget.value)}
              onBlur={() => set('request', number.trim() || null)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') set('request', number.trim() || null);
              }}
              error={unknownRequest ? 'No request with this number.' : undefined}
            />
          )}
          {users.data && (
            <Select
              label="Who"
              placeholder="Anyone"
              data={users.data.map((u) => ({ value: u.id, label: u.name }))}
              value={params.get('actor')}
              onChange={(v) => set('actor', v)}
              searchable
              clearable
            />
          )}
          <TextInput
            label="From"
            type="date"
            value={params.get('from') ?? ''}
            onChange={(e) => set('from', e.currentTarget.value || null)}
          />
          <TextInput
            label="To"
            type="date"
            value={params.get('to') ?? ''}
            onChange={(e) => set('to', e.currentTarget.value || null)}
          />
        </SimpleGrid>
      </Paper>
      <ChainCheck />
      {(log.isPending || waitingForRequest) && <Loading what="the audit log" />}
      {log.isError && <ErrorState error={log.error} onRetry={() => void log.refetch()} />}
      {log.data && !unknownRequest && log.data.events.length === 0 && (
        <EmptyState title="No event matches these filters">Widen the period or clear a filter.</EmptyState>
      )}
      {log.data && !unknownRequest && log.data.events.length > 0 && (
        <Stack gap="xs" component="ul" p={0} m={0} aria-label="Events">
          {log.data.events.map((e) => (
            <EventRow key={e.id} e={e} />
          ))}
        </Stack>
      )}
      <Group>
        {pages.length > 0 && (
          <Button variant="default" onClick={() => setPages([])}>
            Back to the newest
          </Button>
        )}
        {log.data?.nextBefore && (
          <Button
            variant="default"
            onClick={() => setPages((p) => [...p, log.data!.nextBefore!])}
            loading={log.isFetching}
          >
            Older events
          </Button>
        )}
      </Group>
    </Stack>
  );
}

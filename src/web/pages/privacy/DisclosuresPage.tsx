// The disclosure log (rule REL-3) of one client, newest first: every release and every
// impermissible disclosure, with whether it belongs in an accounting (REL-4); and the practice's
// requests for an accounting of disclosures, nearest 60-day deadline first (TIME-4). Support and
// the privacy officer read them; every read is recorded.
import { Anchor, Badge, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { get } from '../../api/client';
import { useAccountingRequests, useDisclosures } from '../../api/hooks';
import type { ClientView, DisclosureView } from '../../api/types';
import { useSession } from '../../app/session';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { dateTime, daysLeftText } from '../../lib/format';
import { ClientPicker } from '../new-request/ClientPicker';

function DisclosureRow({ d }: { d: DisclosureView }) {
  return (
    <Paper withBorder radius="md" p="sm" component="li" style={{ listStyle: 'none' }}>
      <Stack gap={4}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <Text fw={600} size="sm">
            To {d.recipientName}
          </Text>
          <Group gap={6}>
            {d.impermissible && (
              <Badge color="red" variant="filled" radius="sm">
                Impermissible
              </Badge>
            )}
            <Badge color={d.accounting.accountable ? 'desk' : 'gray'} variant="light" radius="sm">
              {d.accounting.accountable ? 'In an accounting' : 'Not in an accounting'}
            </Badge>
          </Group>
        </Group>
        <Text size="sm">{d.description}</Text>
        <Text size="sm" c="dimmed">
          {dateTime(d.disclosedAt)} · purpose: {d.purpose} · by {d.releasedBy.name}
          {d.requestId && (
            <>
              {' · '}
              <Anchor underline="always" component={Link} to={`/requests/${d.requestId}`} size="sm">
                the request
              </Anchor>
            </>
          )}
        </Text>
        <Text size="xs" c="dimmed">
          {d.accounting.basis}
        </Text>
      </Stack>
    </Paper>
  );
}

function ClientLog({ clientId }: { clientId: string }) {
  const log = useDisclosures(clientId);
  if (log.isPending) return <Loading what="the disclosure log" />;
  if (log.isError) return <ErrorState error={log.error} onRetry={() => void log.refetch()} />;
  if (log.data.length === 0)
    return (
      <EmptyState title="Nothing was disclosed">
        No record of this client has been released yet. Each release is logged here when it is recorded.
      </EmptyState>
    );
  return (
    <Stack gap="xs" component="ul" p={0} m={0} aria-label="Disclosures">
      {log.data.map((d) => (
        <DisclosureRow key={d.id} d={d} />
      ))}
    </Stack>
  );
}

function AccountingRequests() {
  const [params, setParams] = useSearchParams();
  const state = params.get('accounting') === 'all' ? 'all' : 'open';
  const list = useAccountingRequests(state);
  return (
    <Stack gap="xs" component="section" aria-labelledby="accounting-requests">
      <Group justify="space-between">
        <Title order={2} size="h4" id="accounting-requests">
          Requests for an accounting of disclosures
        </Title>
        <SegmentedControl
          size="xs"
          aria-label="Which accounting requests"
          value={state}
          onChange={(v) => {
            const next = new URLSearchParams(params);
            if (v === 'all') next.set('accounting', 'all');
            else next.delete('accounting');
            setParams(next, { replace: true });
          }}
          data={[
            { value: 'open', label: 'Not yet sent' },
            { value: 'all', label: 'All' },
          ]}
        />
      </Group>
      {list.isPending && <Loading what="accounting requests" />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {state === 'open'
            ? 'No accounting request is waiting to be sent.'
            : 'No accounting was ever asked for.'}
        </Text>
      )}
      {list.data?.map((a) => (
        <Paper key={a.id} withBorder radius="md" p="sm">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={2}>
              <Anchor component={Link} to={`/privacy/disclosures?client=${a.client.id}`} fw={600} size="sm">
                {a.client.name}
              </Anchor>
              <Text size="sm" c="dimmed">
                Asked by {a.requester.name} on {dateTime(a.receivedAt)} · covers {a.period.from} to{' '}
                {a.period.to}
              </Text>
              <Text size="sm">
                {a.fulfilment
                  ? `Sent ${dateTime(a.fulfilment.at)} by ${a.fulfilment.by.name}`
                  : `Fee: ${a.fee.free ? 'none (first in 12 months)' : `$${(a.fee.cents / 100).toFixed(2)}`}`}
              </Text>
            </Stack>
            {!a.fulfilment && (
              <Badge
                color={a.clock.overdue ? 'red' : a.clock.daysLeft <= 7 ? 'orange' : 'desk'}
                variant={a.clock.overdue ? 'filled' : 'light'}
                radius="sm"
              >
                {daysLeftText(a.clock.daysLeft)}
              </Badge>
            )}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

export function DisclosuresPage() {
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const clientId = params.get('client');
  const client = useQuery({
    queryKey: ['client', clientId],
    queryFn: async () =>
      (await get<{ client: ClientView }>(`/api/clients/${encodeURIComponent(clientId ?? '')}`)).client,
    enabled: !!clientId,
    retry: false,
  });
  const chosen = client.data ?? null;
  const allowed = me.user.roles.some((r) => r === 'support' || r === 'privacy_officer');
  if (!allowed) {
    return (
      <EmptyState title="The disclosure log is for the support team and the privacy officer">
        Ask your privacy officer if you need to know what was released.
      </EmptyState>
    );
  }
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={1} size="h2">
          Disclosure log
        </Title>
        <Text size="sm" c="dimmed">
          What was released about a client, to whom and why. Choose the client; opening their log is recorded.
        </Text>
      </Stack>
      <Paper withBorder radius="md" p="sm" maw={520}>
        <ClientPicker
          value={chosen}
          onChange={(c) => {
            const next = new URLSearchParams(params);
            if (c) next.set('client', c.id);
            else next.delete('client');
            setParams(next, { replace: true });
          }}
        />
      </Paper>
      {clientId && client.isError && <ErrorState error={client.error} />}
      {clientId && <ClientLog clientId={clientId} />}
      <AccountingRequests />
    </Stack>
  );
}

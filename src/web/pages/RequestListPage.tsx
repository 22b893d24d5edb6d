// The request list: filters (stage, kind, overdue), search by client name or request number, sorted
// by legal due date (the API's default). Filters live in the URL, so a reload or a shared link keeps them.
import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { KIND_LABELS, REQUEST_KINDS } from '../../shared/request-kinds';
import { STAGE_LABELS, STAGES } from '../../shared/workflow';
import { useRequests } from '../api/hooks';
import type { RequestSummary } from '../api/types';
import { useSession } from '../app/session';
import { LegalBadge, StepLine } from '../components/Clocks';
import { EmptyState, ErrorState, Loading } from '../components/States';

const PAGE = 50;
/** The API's largest page. */
const MAX = 200;
const stageOptions = STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s] }));
const kindOptions = REQUEST_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));

function Row({ r }: { r: RequestSummary }) {
  return (
    <Paper withBorder p="sm" radius="md" className="rd-card" component="article">
      <Group justify="space-between" align="flex-start" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={8}>
            <Anchor
              component={Link}
              to={`/requests/${r.id}`}
              className="rd-card-link"
              c="inherit"
              underline="never"
            >
              <Text span fw={700}>
                {r.number}
              </Text>
              , {r.client.name}
            </Anchor>
            <Badge variant="light" color="gray" size="sm">
              {r.stageLabel}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {r.kindLabel} · from {r.requester.name}
            {r.requester.organization ? ` (${r.requester.organization})` : ''}
          </Text>
          <Text size="sm">{r.status}</Text>
          {r.clocks.step && <StepLine step={r.clocks.step} />}
        </Stack>
        <LegalBadge legal={r.clocks.legal} />
      </Group>
    </Paper>
  );
}

export function RequestListPage() {
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [limit, setLimit] = useState(PAGE);
  const stage = params.get('stage')?.split(',').filter(Boolean) ?? [];
  const kind = params.get('kind') ?? null;
  const overdue = params.get('overdue') === 'true';
  const list = useRequests({ stage, kind: kind ? [kind] : [], overdue, q, limit });

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setLimit(PAGE);
  };
  const filtered = stage.length > 0 || kind !== null || overdue || q !== '';

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1} size="h2">
          Requests
        </Title>
        {me.abilities.includes('create_request') && (
          <Button component={Link} to="/requests/new">
            New request
          </Button>
        )}
      </Group>
      <Paper withBorder p="sm" radius="md">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
          <TextInput
            label="Search"
            placeholder="Client name or request number"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            onBlur={() => setParam('q', search.trim() || null)}
            type="search"
          />
          <MultiSelect
            label="Stage"
            placeholder={stage.length ? undefined : 'Any stage'}
            data={stageOptions}
            value={stage}
            onChange={(v) => setParam('stage', v.join(',') || null)}
            clearable
          />
          <Select
            label="Kind"
            placeholder="Any kind"
            data={kindOptions}
            value={kind}
            onChange={(v) => setParam('kind', v)}
            clearable
          />
          <Checkbox
            label="Overdue only"
            checked={overdue}
            onChange={(e) => setParam('overdue', e.currentTarget.checked ? 'true' : null)}
            mt={{ base: 0, md: 30 }}
          />
        </SimpleGrid>
      </Paper>
      {list.isPending && <Loading what="requests" />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (
        <Text size="sm" c="dimmed" aria-live="polite">
          {list.data.total === 0
            ? 'No requests'
            : `${list.data.total} request${list.data.total === 1 ? '' : 's'}, soonest legal due date first`}
        </Text>
      )}
      {list.data?.items.length === 0 && (
        <EmptyState
          title={filtered ? 'No request matches these filters' : 'No requests yet'}
          action={
            filtered ? (
              <Button
                variant="light"
                onClick={() => {
                  setSearch('');
                  setParams(new URLSearchParams(), { replace: true });
                }}
              >
                Clear the filters
              </Button>
            ) : undefined
          }
        >
          {filtered
            ? 'Try another search, or clear the filters to see every request you may open.'
            : 'Requests you work on, or that your role may open, will be listed here.'}
        </EmptyState>
      )}
      <Stack gap="xs">
        {list.data?.items.map((r) => (
          <Row key={r.id} r={r} />
        ))}
      </Stack>
      {list.data && list.data.items.length < list.data.total && limit < MAX && (
        <Button
          variant="default"
          onClick={() => setLimit((l) => Math.min(MAX, l + PAGE))}
          loading={list.isFetching}
        >
          Show more
        </Button>
      )}
      {list.data && list.data.items.length < list.data.total && limit >= MAX && (
        <Text size="sm" c="dimmed">
          Showing the first {MAX}. Narrow the search or the filters to find the others.
        </Text>
      )}
    </Stack>
  );
}

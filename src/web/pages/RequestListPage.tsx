// The request list: filters (stage, kind, therapist, overdue, escalated, payment awaited), search by
// client name or request number, sorted by legal due date (the API's default) or by when received.
// Filters live in the URL, so a reload or a shared link keeps them.
import {
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
import { useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { KIND_LABELS, REQUEST_KINDS } from '../../shared/request-kinds';
import { STAGE_LABELS, STAGES } from '../../shared/workflow';
import { useRequests } from '../api/hooks';
import type { Person } from '../api/types';
import { useSession } from '../app/session';
import { RequestRow } from '../components/RequestRow';
import { EmptyState, ErrorState, Loading } from '../components/States';

const PAGE = 50;
/** The API's largest page. */
const MAX = 200;
const stageOptions = STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s] }));
const kindOptions = REQUEST_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));
const SORTS = [
  { value: 'legal_due', label: 'Legal due date' },
  { value: 'received', label: 'Received (newest)' },
  { value: 'number', label: 'Number (newest)' },
] as const;
type Sort = (typeof SORTS)[number]['value'];

/**
 * The therapists to filter by: those of the requests listed so far (the API has no staff directory
 * for non-administrators), kept while the filters change.
 */
function useTherapistOptions(seen: Person[], selected: string | null) {
  const known = useRef(new Map<string, string>());
  for (const p of seen) known.current.set(p.id, p.name);
  const options = [...known.current].map(([value, label]) => ({ value, label }));
  if (selected && !known.current.has(selected))
    options.push({ value: selected, label: 'The chosen therapist' });
  return options.sort((a, b) => a.label.localeCompare(b.label));
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
  const escalated = params.get('escalated') === 'true';
  const awaitingPayment = params.get('awaitingPayment') === 'true';
  const therapistId = params.get('therapist');
  const sortParam = params.get('sort');
  const sort: Sort = SORTS.some((x) => x.value === sortParam) ? (sortParam as Sort) : 'legal_due';
  const list = useRequests({
    stage,
    kind: kind ? [kind] : [],
    overdue,
    escalated,
    awaitingPayment,
    therapistId: therapistId ?? undefined,
    sort: sort === 'legal_due' ? undefined : sort,
    q,
    limit,
  });
  const therapists = useTherapistOptions(
    useMemo(() => (list.data?.items ?? []).flatMap((r) => (r.therapist ? [r.therapist] : [])), [list.data]),
    therapistId,
  );

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setLimit(PAGE);
  };
  const filtered =
    stage.length > 0 || kind !== null || overdue || escalated || awaitingPayment || !!therapistId || q !== '';
  const sortLabel =
    sort === 'legal_due'
      ? 'soonest legal due date first'
      : sort === 'received'
        ? 'newest received first'
        : 'newest number first';

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
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }} spacing="sm" verticalSpacing="xs">
          <TextInput
            label="Search"
            placeholder="Name or R-number"
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
          <Select
            label="Therapist"
            placeholder="Any therapist"
            data={therapists}
            value={therapistId}
            onChange={(v) => setParam('therapist', v)}
            clearable
            searchable
            nothingFoundMessage="No therapist among the requests listed"
          />
          <Select
            label="Sort by"
            data={SORTS.map((x) => ({ value: x.value, label: x.label }))}
            value={sort}
            onChange={(v) => setParam('sort', v === 'legal_due' ? null : v)}
            allowDeselect={false}
          />
        </SimpleGrid>
        <Group gap="lg" mt="sm">
          <Checkbox
            label="Overdue only"
            checked={overdue}
            onChange={(e) => setParam('overdue', e.currentTarget.checked ? 'true' : null)}
          />
          <Checkbox
            label="Escalated only"
            checked={escalated}
            onChange={(e) => setParam('escalated', e.currentTarget.checked ? 'true' : null)}
          />
          <Checkbox
            label="Payment awaited"
            checked={awaitingPayment}
            onChange={(e) => setParam('awaitingPayment', e.currentTarget.checked ? 'true' : null)}
          />
        </Group>
      </Paper>
      {list.isPending && <Loading what="requests" />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (
        <Text size="sm" c="dimmed" aria-live="polite">
          {list.data.total === 0
            ? 'No requests'
            : `${list.data.total} request${list.data.total === 1 ? '' : 's'}, ${sortLabel}`}
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
          <RequestRow key={r.id} r={r} />
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

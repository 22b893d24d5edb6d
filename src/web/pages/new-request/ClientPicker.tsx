// Choosing the client of a new request: a search over GET /api/clients (name, either order).
import { Loader, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useClients } from '../../api/hooks';
import type { ClientView } from '../../api/types';
import { localDate } from '../../lib/format';

export function clientLabel(c: ClientView): string {
  return `${c.firstName} ${c.lastName} (born ${localDate(c.dateOfBirth)})`;
}

export function ClientPicker({
  value,
  onChange,
  error,
}: {
  value: ClientView | null;
  onChange: (client: ClientView | null) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const clients = useClients(value && search === clientLabel(value) ? '' : q);
  const options = useMemo(() => {
    const found = clients.data?.clients ?? [];
    const all = value && !found.some((c) => c.id === value.id) ? [value, ...found] : found;
    return all.map((c) => ({ value: c.id, label: clientLabel(c), client: c }));
  }, [clients.data, value]);
  const nothing = clients.isError
    ? `Clients could not be loaded: ${clients.error.message}`
    : search.trim()
      ? 'No client by that name. Ask the privacy officer or support lead to add the client first.'
      : 'Type part of the client’s name';
  return (
    <Select
      label="Client"
      description="Search by first or last name."
      placeholder="Client’s name"
      searchable
      clearable
      required
      data={options.map(({ value: v, label }) => ({ value: v, label }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((o) => o.value === id)?.client ?? null)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: opts }) => opts}
      nothingFoundMessage={clients.isFetching ? 'Searching…' : nothing}
      rightSection={clients.isFetching ? <Loader size="xs" /> : undefined}
      error={error}
      maxDropdownHeight={280}
    />
  );
}

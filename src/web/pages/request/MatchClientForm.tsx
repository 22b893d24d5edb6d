// Issue 7: a request from the online form whose name and date of birth matched no client is held on a
// provisional client. Support matches it to the real client here (POST /api/requests/:id/client-match),
// or answers that we hold no records (REV-7, the "No records" action). Shown only when the request's
// abilities include `match_client` (the server decides from the same policy the route uses).
import { Alert, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { useRequestAction, useStaff } from '../../api/hooks';
import type { ClientView, RequestDetails } from '../../api/types';
import { ActionError } from '../../components/States';
import { localDate } from '../../lib/format';
import { ClientPicker, clientLabel } from '../new-request/ClientPicker';

/** The therapists a client may be given: the practice's active therapists (GET /api/staff). */
function useTherapistOptions(enabled: boolean) {
  const staff = useStaff('therapist', enabled);
  return useMemo(() => (staff.data?.staff ?? []).map((s) => ({ value: s.id, label: s.name })), [staff.data]);
}

export function MatchClientForm({ request }: { request: RequestDetails }) {
  const [client, setClient] = useState<ClientView | null>(null);
  const [therapistId, setTherapistId] = useState<string | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const action = useRequestAction(request.id, 'client-match');
  const needsTherapist = client !== null && client.therapist === null;
  const therapists = useTherapistOptions(needsTherapist);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!client) return setMissing('Choose the client this request is about.');
    if (needsTherapist && !therapistId)
      return setMissing('Choose the therapist: this client has none assigned.');
    setMissing(null);
    action.mutate({ clientId: client.id, therapistId: needsTherapist ? therapistId : null });
  };

  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={submit} noValidate aria-label="Match to a client">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Match to a client
          </Title>
          <Text size="sm">
            This request came from the online form and matched no client. Match it to the right client, or
            answer that we hold no records (“Answer that no records are held”, below).
          </Text>
          <Text size="sm" c="dimmed">
            The form said: {request.client.name}, born {localDate(request.client.dateOfBirth)}.
          </Text>
          <ClientPicker
            value={client}
            onChange={(c) => {
              setClient(c);
              setTherapistId(null);
              setMissing(null);
            }}
            error={missing && !client ? missing : undefined}
          />
          {client && !needsTherapist && (
            <Text size="sm">The request goes to {client.therapist?.name}, this client’s therapist.</Text>
          )}
          {needsTherapist && (
            <Select
              label="Therapist for this request"
              description="This client has no therapist assigned. Choose who discusses the request with them."
              required
              searchable
              data={therapists}
              value={therapistId}
              onChange={setTherapistId}
              nothingFoundMessage="No active therapist by that name"
              error={missing && !therapistId ? missing : undefined}
            />
          )}
          {client && (
            <Alert color="desk" variant="light" p="xs">
              <Text size="sm">
                The request will be about {clientLabel(client)}. Check the name and date of birth before you
                confirm.
              </Text>
            </Alert>
          )}
          <ActionError error={action.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={action.isPending}>
              {client ? `Match to ${client.firstName} ${client.lastName}` : 'Match to this client'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

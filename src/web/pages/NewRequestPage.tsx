// Recording a new request (support, privacy officer): the kind first (it decides the deadline and
// what else is needed), the client, the requester, what is asked, and when and how it arrived.
// Checked against the same schema the API uses; a refusal keeps everything typed.
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  CHANNEL_LABELS,
  CHANNELS,
  DELIVERABLE_LABELS,
  DELIVERABLES,
  DELIVERY_FORMAT_LABELS,
  DELIVERY_FORMATS,
  DOCUMENT_CLASS_LABELS,
  DOCUMENT_CLASSES,
  isAccessKind,
  KIND_LABELS,
  OTHER_LEGAL_SUBTYPE_LABELS,
  OTHER_LEGAL_SUBTYPES,
  REQUEST_KINDS,
  type RequestKind,
} from '../../shared/request-kinds';
import { createRequestSchema } from '../../shared/schemas/requests';
import { ApiError } from '../api/client';
import { useCreateRequest } from '../api/hooks';
import { useSession } from '../app/session';
import { ActionError, EmptyState } from '../components/States';
import { apiFieldErrors, zodErrors } from '../lib/form-errors';
import { ClientPicker } from './new-request/ClientPicker';
import { formKey, initialValues, isLegalProcess, type NewRequestValues, toBody } from './new-request/values';

const options = <K extends string>(values: readonly K[], labels: Readonly<Record<K, string>>) =>
  values.map((v) => ({ value: v, label: labels[v] }));

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

function keyed(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [formKey(k), v]));
}

export function NewRequestPage() {
  const me = useSession();
  const navigate = useNavigate();
  const create = useCreateRequest();
  const form = useForm<NewRequestValues>({
    mode: 'controlled',
    initialValues: initialValues(),
    validate: (values) => keyed(zodErrors(createRequestSchema, toBody(values))),
  });
  const v = form.values;
  const kind = v.kind as RequestKind | '';

  if (!me.abilities.includes('create_request')) {
    return (
      <EmptyState title="Recording requests is for the support team">
        Requests are recorded by support or the privacy officer. Your tasks are under “My tasks”.
      </EmptyState>
    );
  }

  const submit = form.onSubmit(
    (values) => {
      create.mutate(toBody(values), {
        onSuccess: (details) => navigate(`/requests/${details.id}`, { state: { created: details.number } }),
        onError: (err) => {
          if (err instanceof ApiError) form.setErrors(keyed(apiFieldErrors(err)));
        },
      });
    },
    () => {
      create.reset();
    },
  );

  const fillFromClient = () => {
    if (!v.client) return;
    form.setFieldValue('requester.name', `${v.client.firstName} ${v.client.lastName}`);
    form.setFieldValue('requester.email', v.client.email ?? '');
    form.setFieldValue('requester.phone', v.client.phone ?? '');
    form.setFieldValue('requester.address', v.client.address ?? '');
    form.setFieldValue('requester.relationship', 'The client');
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" maw={860}>
        <Title order={1} size="h2">
          New request
        </Title>
        <Section title="The request">
          <Select
            label="Kind of request"
            description="This sets the deadline, the fee rules and the steps."
            placeholder="Choose the kind"
            data={options(REQUEST_KINDS, KIND_LABELS)}
            required
            {...form.getInputProps('kind')}
          />
          {kind === 'other_legal' && (
            <Select
              label="Legal basis"
              data={options(OTHER_LEGAL_SUBTYPES, OTHER_LEGAL_SUBTYPE_LABELS)}
              required
              {...form.getInputProps('kindSubtype')}
            />
          )}
          <ClientPicker
            value={v.client}
            onChange={(c) => form.setFieldValue('client', c)}
            error={form.errors.client as string | undefined}
          />
        </Section>

        <Section title="Who is asking">
          {kind && isAccessKind(kind) && v.client && (
            <Group>
              <Button variant="light" size="xs" onClick={fillFromClient}>
                The client is asking: use their details
              </Button>
            </Group>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="Requester’s name" required {...form.getInputProps('requester.name')} />
            <TextInput
              label={kind === 'provider_continuity' ? 'Practice or provider' : 'Organization'}
              description="Optional"
              {...form.getInputProps('requester.organization')}
            />
            <TextInput
              label="Relationship to the client"
              description={kind === 'representative' ? 'Parent, guardian, power of attorney…' : 'Optional'}
              {...form.getInputProps('requester.relationship')}
            />
            <TextInput
              label="Email"
              type="email"
              description="Optional"
              {...form.getInputProps('requester.email')}
            />
            <TextInput
              label="Phone"
              type="tel"
              description="Optional"
              {...form.getInputProps('requester.phone')}
            />
          </SimpleGrid>
          <Textarea
            label="Postal address"
            description="Optional"
            autosize
            minRows={2}
            {...form.getInputProps('requester.address')}
          />
        </Section>

        <Section title="What is asked">
          <Checkbox.Group label="Records asked for" required {...form.getInputProps('documentClasses')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt={6}>
              {DOCUMENT_CLASSES.map((c) => (
                <Checkbox key={c} value={c} label={DOCUMENT_CLASS_LABELS[c]} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="From (date of service)"
              type="date"
              description="Optional"
              {...form.getInputProps('dateFrom')}
            />
            <TextInput
              label="To (date of service)"
              type="date"
              description="Optional"
              {...form.getInputProps('dateTo')}
            />
            <Select
              label="What to provide"
              data={options(DELIVERABLES, DELIVERABLE_LABELS)}
              {...form.getInputProps('deliverable')}
            />
            <Select
              label="How to deliver"
              data={options(DELIVERY_FORMATS, DELIVERY_FORMAT_LABELS)}
              {...form.getInputProps('deliveryFormat')}
            />
          </SimpleGrid>
          <TextInput
            label="Purpose"
            description="Optional. A client asking for their own records need not give one."
            {...form.getInputProps('purpose')}
          />
        </Section>

        <Section title="When and how it arrived">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Received at"
              description="When it first reached the practice, on any channel (your local time). The legal clock starts here."
              type="datetime-local"
              required
              {...form.getInputProps('receivedAt')}
            />
            <Select
              label="Channel"
              data={options(CHANNELS, CHANNEL_LABELS)}
              {...form.getInputProps('channel')}
            />
            {isLegalProcess(kind) && (
              <TextInput
                label="Return or compliance date on the document"
                description="The deadline printed on the subpoena or order."
                type="date"
                required
                {...form.getInputProps('documentDueDate')}
              />
            )}
            <TextInput
              label="Needed by"
              description="Optional: the date the requester asked for."
              type="date"
              {...form.getInputProps('neededBy')}
            />
          </SimpleGrid>
          <Textarea
            label="Notes for the team"
            description="Optional"
            autosize
            minRows={2}
            {...form.getInputProps('notes')}
          />
        </Section>

        {Object.keys(form.errors).length > 0 && !create.error && (
          <Alert color="red" role="alert">
            Some fields need attention: they are marked in red above.
          </Alert>
        )}
        <ActionError error={create.error} />
        <Group justify="flex-end">
          <Button variant="default" component={Link} to="/requests">
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Record the request
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          The intake check then waits in the support queue; the client’s therapist is assigned from the
          client’s record.
        </Text>
      </Stack>
    </form>
  );
}

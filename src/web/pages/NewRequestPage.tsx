// Recording a new request (support, privacy officer): the kind first (it decides the deadline and
// what else is needed), the client, the requester, what is asked, and when and how it arrived.
// Checked against the same schema the API uses; a refusal keeps everything typed.
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  FileInput,
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
import { type ReactNode, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { FILE_TOO_LARGE_TEXT, MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/files';
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
import { ApiError, upload } from '../api/client';
import { useCreateRequest } from '../api/hooks';
import { useSession } from '../app/session';
import { ActionError, EmptyState, errorHint } from '../components/States';
import { apiFieldErrors, zodErrors } from '../lib/form-errors';
import { ClientPicker } from './new-request/ClientPicker';
import { RecipientFields } from './new-request/RecipientFields';
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

/** What the files route takes (checked again there, by content). */
const FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

function fileProblem(file: File | null): string | undefined {
  if (!file) return undefined;
  if (!FILE_TYPES.includes(file.type)) return 'Choose a PDF, JPEG or PNG file.';
  if (file.size > MAX_FILE_BYTES) return FILE_TOO_LARGE_TEXT;
  return undefined;
}

interface Attachment {
  purpose: 'request' | 'legal_document' | 'authorization';
  file: File;
  label: string;
}

/** The request's own files, added once it exists (POST /api/requests/:id/files); what failed, in words. */
async function attach(requestId: string, files: Attachment[]): Promise<string[]> {
  const problems: string[] = [];
  for (const a of files) {
    const form = new FormData();
    // The fields go before the file: the server reads the form as a stream.
    form.append('purpose', a.purpose);
    form.append('file', a.file);
    try {
      await upload(`/api/requests/${encodeURIComponent(requestId)}/files`, form);
    } catch (err) {
      problems.push(`${a.label} (${a.file.name}): ${errorHint(err)}`);
    }
  }
  return problems;
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
  const [requestFile, setRequestFile] = useState<File | null>(null);
  const [authorizationFile, setAuthorizationFile] = useState<File | null>(null);
  const [attaching, setAttaching] = useState(false);
  const [partly, setPartly] = useState<{ id: string; number: string; problems: string[] } | null>(null);

  if (!me.abilities.includes('create_request')) {
    return (
      <EmptyState title="Recording requests is for the support team">
        Requests are recorded by support or the privacy officer. Your tasks are under “My tasks”.
      </EmptyState>
    );
  }

  const submit = form.onSubmit(
    (values) => {
      if (fileProblem(requestFile) || fileProblem(authorizationFile)) return;
      create.mutate(toBody(values), {
        onSuccess: async (details) => {
          const files: Attachment[] = [];
          if (requestFile)
            files.push({
              purpose: isLegalProcess(kind) ? 'legal_document' : 'request',
              file: requestFile,
              label: 'The request as received',
            });
          if (authorizationFile)
            files.push({ purpose: 'authorization', file: authorizationFile, label: 'The authorization' });
          setAttaching(files.length > 0);
          const problems = await attach(details.id, files);
          setAttaching(false);
          // The request exists either way: a file that failed is said here, never silently dropped.
          if (problems.length > 0) setPartly({ id: details.id, number: details.number, problems });
          else navigate(`/requests/${details.id}`, { state: { created: details.number } });
        },
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
          <Select
            label="Language for the requester"
            description="Their letters, emails and status page. Spanish letters also say an English copy is available."
            data={[
              { value: 'en', label: 'English' },
              { value: 'es', label: 'Español (Spanish)' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('language')}
          />
        </Section>
        {kind === 'client_directed' && <RecipientFields form={form} />}

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

        <Section title="Files">
          <Text size="sm" c="dimmed">
            Optional. PDF, JPEG or PNG, up to {MAX_FILE_MB} MB each. They are added once the request is
            recorded; more can be added later from the request&rsquo;s Files tab.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <FileInput
              label={isLegalProcess(kind) ? 'The subpoena or order' : 'The request as received'}
              description="A letter, a form or a scan of it."
              placeholder="Choose a file"
              accept={FILE_TYPES.join(',')}
              clearable
              clearButtonProps={{ 'aria-label': 'Remove the request file' }}
              value={requestFile}
              onChange={setRequestFile}
              error={fileProblem(requestFile)}
            />
            <FileInput
              label="Signed authorization"
              description="When the client signed one for this request."
              placeholder="Choose a file"
              accept={FILE_TYPES.join(',')}
              clearable
              clearButtonProps={{ 'aria-label': 'Remove the authorization file' }}
              value={authorizationFile}
              onChange={setAuthorizationFile}
              error={fileProblem(authorizationFile)}
            />
          </SimpleGrid>
        </Section>

        {partly && (
          <Alert color="orange" role="alert" title={`Recorded ${partly.number}, but a file was not added`}>
            <Stack gap={4}>
              {partly.problems.map((p) => (
                <Text size="sm" key={p}>
                  {p}
                </Text>
              ))}
              <Text size="sm">
                Add it from the request&rsquo;s Files tab:{' '}
                <Anchor
                  underline="always"
                  component={Link}
                  to={`/requests/${partly.id}`}
                  state={{ created: partly.number }}
                >
                  open {partly.number}
                </Anchor>
                .
              </Text>
            </Stack>
          </Alert>
        )}
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
          <Button type="submit" loading={create.isPending || attaching} disabled={partly !== null}>
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

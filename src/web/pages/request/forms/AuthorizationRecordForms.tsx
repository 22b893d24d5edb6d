// The smaller records around an authorization: its revocation (AUTH-5), the signer's copy of the
// practice's form (AUTH-7), preparing that form (AUTH-7), and the privacy officer's approval of a
// psychotherapy-notes exception (AUTH-4).
import { Alert, Anchor, Checkbox, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import {
  PSYCHOTHERAPY_NOTE_EXCEPTION_LABELS,
  PSYCHOTHERAPY_NOTE_EXCEPTIONS,
  prepareAuthorizationFormSchema,
  recordExceptionSchema,
  recordRevocationSchema,
  recordSignerCopySchema,
  SIGNER_COPY_METHODS,
  type SignerCopyMethod,
} from '../../../../shared/schemas/authorizations';
import { useComplianceWrite, usePrepareAuthorizationForm } from '../../../api/compliance';
import type { AuthorizationFormView, AuthorizationView } from '../../../api/compliance-types';
import { blankToNull } from '../../../lib/form-errors';
import { nowForInput } from '../../../lib/format';
import { SubmitRow } from './common';
import { useRecordForm } from './useRecordForm';

const toIso = (local: string) => {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
};

/** rule AUTH-5: a written revocation, effective from when it was received. */
export function RevocationForm({
  requestId,
  authorization,
}: {
  requestId: string;
  authorization: AuthorizationView;
}) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useComplianceWrite(requestId, `authorizations/${authorization.id}/revocation`),
    schema: recordRevocationSchema,
    initialValues: { receivedAt: nowForInput(), note: '' },
    toBody: (v) => ({ receivedAt: toIso(v.receivedAt), note: v.note }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Record the revocation">
      <Stack gap="sm">
        <Text size="sm">
          From the moment it was received, nothing more may be released on this authorization, on this request
          or any other, and unused secure links that rely on it stop working.
        </Text>
        <TextInput
          type="datetime-local"
          label="When the written revocation was received"
          required
          {...form.getInputProps('receivedAt')}
        />
        <Textarea
          label="How it arrived and what it says"
          required
          autosize
          minRows={2}
          {...form.getInputProps('note')}
        />
        <SubmitRow label="Record the revocation" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

const COPY_LABELS: Record<SignerCopyMethod, string> = {
  email: 'By email',
  mail: 'By mail',
  in_person: 'In person',
  portal: 'Through the portal',
};

/** rule AUTH-7: the signer of the practice's form gets a copy; until that is recorded, release waits. */
export function SignerCopyForm({
  requestId,
  authorization,
}: {
  requestId: string;
  authorization: AuthorizationView;
}) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useComplianceWrite(requestId, `authorizations/${authorization.id}/signer-copy`),
    schema: recordSignerCopySchema,
    initialValues: { method: null as string | null, givenOn: nowForInput().slice(0, 10) },
    toBody: (v) => ({ method: v.method, givenOn: v.givenOn }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Record the signer’s copy">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select
          label="How the signer got their copy"
          required
          data={SIGNER_COPY_METHODS.map((m) => ({ value: m, label: COPY_LABELS[m] }))}
          {...form.getInputProps('method')}
        />
        <TextInput type="date" label="On" required {...form.getInputProps('givenOn')} />
      </SimpleGrid>
      <SubmitRow label="Record the copy" pending={mutation.isPending} error={mutation.error} />
    </form>
  );
}

/** rule AUTH-7: the practice's plain-language form, pre-filled from the request, as a PDF to print or send. */
export function PrepareFormForm({
  requestId,
  onPrepared,
}: {
  requestId: string;
  onPrepared: (view: AuthorizationFormView) => void;
}) {
  const mutation = usePrepareAuthorizationForm(requestId);
  const { form, submit } = useRecordForm({
    mutation,
    schema: prepareAuthorizationFormSchema,
    initialValues: { expiresOn: '', expiryEvent: '', purpose: '', psychotherapyNotesOnly: false },
    toBody: (v) => ({
      expiresOn: blankToNull(v.expiresOn),
      expiryEvent: blankToNull(v.expiryEvent),
      purpose: blankToNull(v.purpose),
      psychotherapyNotesOnly: v.psychotherapyNotesOnly,
    }),
    onSaved: (view) => onPrepared(view as AuthorizationFormView),
  });
  const made = mutation.data as AuthorizationFormView | undefined;
  return (
    <form onSubmit={submit} noValidate aria-label="Prepare the practice’s authorization form">
      <Stack gap="sm">
        <Text size="sm">
          A one-page form in plain words, filled in from the request, for the client to sign. Leave the end
          date empty and it ends a year after signing.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput type="date" label="Permission ends on (optional)" {...form.getInputProps('expiresOn')} />
          <TextInput label="…or ends when (optional)" {...form.getInputProps('expiryEvent')} />
        </SimpleGrid>
        <TextInput
          label="Purpose in plain words (optional)"
          description="The request’s purpose when empty."
          {...form.getInputProps('purpose')}
        />
        <Checkbox
          label="A separate form for psychotherapy notes only"
          {...form.getInputProps('psychotherapyNotesOnly', { type: 'checkbox' })}
        />
        {made && (
          <Alert color="green" title="The form is ready">
            <Anchor href={made.downloadUrl} target="_blank" rel="noopener">
              Download {made.file.name}
            </Anchor>
            <Text size="sm" mt={4}>
              Once the client signs it, upload the signed copy under Files and record it below: the fields are
              filled in from this form.
            </Text>
          </Alert>
        )}
        <SubmitRow label="Prepare the form" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

/** rule AUTH-4: psychotherapy notes without the client's authorization, only in the narrow cases, by the privacy officer. */
export function ExceptionForm({ requestId }: { requestId: string }) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useComplianceWrite(requestId, 'exceptions'),
    schema: recordExceptionSchema,
    initialValues: { exception: null as string | null, note: '' },
    toBody: (v) => ({ kind: 'psychotherapy_notes', exception: v.exception, note: v.note }),
    onSaved: () => form.reset(),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Approve a psychotherapy-notes exception">
      <Stack gap="sm">
        <Text size="sm">
          Psychotherapy notes normally need their own authorization. Approve an exception only when one of
          these cases applies, and say what shows it.
        </Text>
        <Select
          label="Which case"
          required
          data={PSYCHOTHERAPY_NOTE_EXCEPTIONS.map((e) => ({
            value: e,
            label: PSYCHOTHERAPY_NOTE_EXCEPTION_LABELS[e],
          }))}
          {...form.getInputProps('exception')}
        />
        <Textarea
          label="What shows it applies"
          required
          autosize
          minRows={2}
          {...form.getInputProps('note')}
        />
        <SubmitRow label="Approve the exception" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

// Recording the client's authorization as received (AUTH-1…AUTH-4, AUTH-7): every element of the
// form as a field. Missing elements are allowed (the record then says what is missing, in words);
// only impossible dates are refused at once.
import {
  Button,
  Checkbox,
  Divider,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { DOCUMENT_CLASS_LABELS, type DocumentClass } from '../../../../shared/request-kinds';
import { recordAuthorizationSchema } from '../../../../shared/schemas/authorizations';
import { useComplianceWrite } from '../../../api/compliance';
import type { AuthorizationFormView, AuthorizationView, FullRequest } from '../../../api/compliance-types';
import { useRequestFiles } from '../../../api/hooks';
import { blankToNull } from '../../../lib/form-errors';
import { ScopeFields, SubmitRow } from './common';
import { useRecordForm } from './useRecordForm';

interface Values extends Record<string, unknown> {
  signerName: string;
  signedOn: string;
  signedByRepresentative: boolean;
  representativeAuthority: string;
  description: string;
  discloser: string;
  recipient: string;
  purpose: string;
  expiresOn: string;
  expiryEvent: string;
  statementRevocation: boolean;
  statementConditioning: boolean;
  statementRedisclosure: boolean;
  improperCompound: boolean;
  conditionsTreatment: boolean;
  knownFalse: boolean;
  psychotherapyNotesOnly: boolean;
  part2Consent: boolean;
  scopeClasses: string[];
  scopeFrom: string;
  scopeTo: string;
  fileId: string | null;
  preparedByPractice: boolean;
  formFileId: string | null;
}

function blank(prefill: AuthorizationFormView['prefill'] | null): Values {
  return {
    signerName: '',
    signedOn: '',
    signedByRepresentative: false,
    representativeAuthority: '',
    description: prefill?.description ?? '',
    discloser: prefill?.discloser ?? '',
    recipient: prefill?.recipient ?? '',
    purpose: prefill?.purpose ?? '',
    expiresOn: prefill?.expiresOn ?? '',
    expiryEvent: prefill?.expiryEvent ?? '',
    statementRevocation: prefill?.statementRevocation ?? false,
    statementConditioning: prefill?.statementConditioning ?? false,
    statementRedisclosure: prefill?.statementRedisclosure ?? false,
    improperCompound: false,
    conditionsTreatment: false,
    knownFalse: false,
    psychotherapyNotesOnly: prefill?.psychotherapyNotesOnly ?? false,
    part2Consent: false,
    scopeClasses: prefill?.documentClasses ?? [],
    scopeFrom: prefill?.dateFrom ?? '',
    scopeTo: prefill?.dateTo ?? '',
    fileId: null,
    preparedByPractice: !!prefill,
    formFileId: prefill?.formFileId ?? null,
  };
}

const FIELD: Record<string, string> = {
  documentClasses: 'scopeClasses',
  dateFrom: 'scopeFrom',
  dateTo: 'scopeTo',
};

export function AuthorizationForm({
  request,
  prefill,
  onSaved,
}: {
  request: FullRequest;
  prefill: AuthorizationFormView['prefill'] | null;
  onSaved: (a: AuthorizationView) => void;
}) {
  const files = useRequestFiles(request.id);
  const authFiles = (files.data?.files ?? [])
    .filter((f) => f.purpose === 'authorization')
    .map((f) => ({ value: f.id, label: f.name }));
  const { form, submit, mutation } = useRecordForm<Values, AuthorizationView>({
    mutation: useComplianceWrite<AuthorizationView>(request.id, 'authorizations'),
    schema: recordAuthorizationSchema,
    initialValues: blank(prefill),
    fieldFor: (k) => FIELD[k] ?? k,
    toBody: (v) => ({
      signerName: blankToNull(v.signerName),
      signedOn: blankToNull(v.signedOn),
      signedByRepresentative: v.signedByRepresentative,
      representativeAuthority: v.signedByRepresentative ? blankToNull(v.representativeAuthority) : null,
      description: blankToNull(v.description),
      discloser: blankToNull(v.discloser),
      recipient: blankToNull(v.recipient),
      purpose: blankToNull(v.purpose),
      expiresOn: blankToNull(v.expiresOn),
      expiryEvent: blankToNull(v.expiryEvent),
      statementRevocation: v.statementRevocation,
      statementConditioning: v.statementConditioning,
      statementRedisclosure: v.statementRedisclosure,
      improperCompound: v.improperCompound,
      conditionsTreatment: v.conditionsTreatment,
      knownFalse: v.knownFalse,
      psychotherapyNotesOnly: v.psychotherapyNotesOnly,
      part2Consent: v.part2Consent,
      documentClasses: v.scopeClasses,
      dateFrom: blankToNull(v.scopeFrom),
      dateTo: blankToNull(v.scopeTo),
      fileId: v.fileId,
      preparedByPractice: v.preparedByPractice,
      formFileId: v.preparedByPractice ? v.formFileId : null,
    }),
    onSaved: (a) => onSaved(a),
  });
  const copyAsked = () => {
    const a = request.asked;
    form.setValues({
      description:
        form.values.description ||
        a.documentClasses.map((c) => DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c).join(', '),
      recipient:
        form.values.recipient ||
        [request.requester.name, request.requester.organization].filter(Boolean).join(', '),
      purpose: form.values.purpose || (a.purpose ?? ''),
      scopeClasses: form.values.scopeClasses.length ? form.values.scopeClasses : a.documentClasses,
      scopeFrom: form.values.scopeFrom || (a.dateFrom ?? ''),
      scopeTo: form.values.scopeTo || (a.dateTo ?? ''),
    });
  };
  const check = (name: string & keyof Values, label: string, description?: string) => (
    <Checkbox label={label} description={description} {...form.getInputProps(name, { type: 'checkbox' })} />
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Record an authorization">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Text size="sm" style={{ flex: 1 }}>
            Copy what the signed form says. Leave a field empty if the form does not have it: the record will
            then say what is missing.
          </Text>
          <Button variant="light" size="xs" onClick={copyAsked}>
            Fill in from the request
          </Button>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Signed by" {...form.getInputProps('signerName')} />
          <TextInput type="date" label="Date of the signature" {...form.getInputProps('signedOn')} />
        </SimpleGrid>
        {check('signedByRepresentative', 'Signed by a representative (parent, guardian, attorney)')}
        {form.values.signedByRepresentative && (
          <Textarea
            label="The representative’s authority, as the form describes it"
            autosize
            minRows={2}
            {...form.getInputProps('representativeAuthority')}
          />
        )}
        <Textarea
          label="What information may be shared"
          description="As the form describes it, for example “progress notes from 2026”."
          autosize
          minRows={2}
          {...form.getInputProps('description')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Who may share it" {...form.getInputProps('discloser')} />
          <TextInput label="Who receives it" {...form.getInputProps('recipient')} />
        </SimpleGrid>
        <TextInput
          label="Why (purpose)"
          description="“At the request of the client” is enough when the client asks."
          {...form.getInputProps('purpose')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput type="date" label="Permission ends on" {...form.getInputProps('expiresOn')} />
          <TextInput
            label="…or ends when (an event)"
            placeholder="e.g. the end of the court case"
            {...form.getInputProps('expiryEvent')}
          />
        </SimpleGrid>
        <ScopeFields label="Records it covers" inputProps={form.getInputProps} />
        <Divider label="The form tells the signer" labelPosition="left" />
        {check('statementRevocation', 'They may take back (revoke) the permission in writing, and how')}
        {check('statementConditioning', 'Whether treatment depends on signing')}
        {check(
          'statementRedisclosure',
          'The recipient may share it again, and the privacy protection may end',
        )}
        <Divider label="Problems with the form" labelPosition="left" />
        {check('improperCompound', 'It is combined with another document in a way that is not allowed')}
        {check('conditionsTreatment', 'It makes treatment depend on signing')}
        {check('knownFalse', 'We know something on it is materially false')}
        <Divider label="Special cases" labelPosition="left" />
        {check('psychotherapyNotesOnly', 'It is only for psychotherapy notes (a separate form)')}
        {check(
          'part2Consent',
          'It is the client’s written consent for substance-use treatment records (Part 2)',
        )}
        <Select
          label="The signed copy we hold (optional)"
          placeholder={authFiles.length ? 'Choose an uploaded file' : 'Upload it under Files first'}
          data={authFiles}
          clearable
          {...form.getInputProps('fileId')}
        />
        {check(
          'preparedByPractice',
          'Signed on the form the practice prepared',
          'The signer’s copy must then be recorded.',
        )}
        {form.values.preparedByPractice && (
          <Select
            label="Which prepared form"
            data={authFiles}
            clearable
            {...form.getInputProps('formFileId')}
          />
        )}
        <SubmitRow label="Record the authorization" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

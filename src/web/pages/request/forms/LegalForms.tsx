// A subpoena's LEGAL-2 records: the satisfactory-assurance checklist (support or the privacy officer)
// and how psychotherapist-patient privilege was addressed (the privacy officer).
import { Radio, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import {
  ASSURANCE_BASES,
  ASSURANCE_BASIS_LABELS,
  PRIVILEGE_BASES,
  PRIVILEGE_BASIS_LABELS,
  recordAssuranceSchema,
  recordPrivilegeSchema,
} from '../../../../shared/schemas/legal';
import { useComplianceWrite } from '../../../api/compliance';
import type { FullRequest } from '../../../api/compliance-types';
import { useRequestFiles } from '../../../api/hooks';
import { SubmitRow } from './common';
import { useRecordForm } from './useRecordForm';

export function AssuranceForm({ request, onSaved }: { request: FullRequest; onSaved: () => void }) {
  const files = useRequestFiles(request.id);
  const legalFiles = (files.data?.files ?? [])
    .filter((f) => f.purpose === 'legal_document')
    .map((f) => ({ value: f.id, label: f.name }));
  const { form, submit, mutation } = useRecordForm({
    mutation: useComplianceWrite(request.id, 'satisfactory-assurance'),
    onSaved,
    schema: recordAssuranceSchema,
    initialValues: {
      basis: 'notice_to_client' as string,
      noticeSentOn: '',
      objectionDeadline: '',
      objections: 'none_filed',
      orderDate: '',
      fileId: null as string | null,
      note: '',
    },
    toBody: (v) =>
      v.basis === 'qualified_protective_order'
        ? { basis: v.basis, orderDate: v.orderDate, note: v.note, fileId: v.fileId }
        : {
            basis: v.basis,
            noticeSentOn: v.noticeSentOn,
            objectionDeadline: v.objectionDeadline,
            objections: v.objections,
            note: v.note,
          },
  });
  const notice = form.values.basis === 'notice_to_client';
  return (
    <form onSubmit={submit} noValidate aria-label="Record the satisfactory assurance">
      <Stack gap="sm">
        <Radio.Group label="What the requesting party gave us" required {...form.getInputProps('basis')}>
          <Stack gap={6} mt={6}>
            {ASSURANCE_BASES.map((b) => (
              <Radio key={b} value={b} label={ASSURANCE_BASIS_LABELS[b]} />
            ))}
          </Stack>
        </Radio.Group>
        {notice ? (
          <>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                type="date"
                label="Notice sent to the client on"
                required
                {...form.getInputProps('noticeSentOn')}
              />
              <TextInput
                type="date"
                label="Last day for the client to object"
                description="It must have passed."
                required
                {...form.getInputProps('objectionDeadline')}
              />
            </SimpleGrid>
            <Radio.Group label="Objections" required {...form.getInputProps('objections')}>
              <Stack gap={6} mt={6}>
                <Radio value="none_filed" label="None was filed" />
                <Radio value="resolved" label="Every objection was resolved by the court" />
              </Stack>
            </Radio.Group>
          </>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput type="date" label="Date of the order" required {...form.getInputProps('orderDate')} />
            <Select
              label="The order (optional)"
              placeholder={legalFiles.length ? 'Choose an uploaded file' : 'Upload it under Files first'}
              data={legalFiles}
              clearable
              {...form.getInputProps('fileId')}
            />
          </SimpleGrid>
        )}
        <Textarea
          label="The documents received"
          description="For example: counsel’s written statement with a copy of the notice; how any objection was resolved."
          required
          autosize
          minRows={2}
          {...form.getInputProps('note')}
        />
        <SubmitRow label="Record the assurance" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

export function PrivilegeForm({ request, onSaved }: { request: FullRequest; onSaved: () => void }) {
  const usable = request.authorizations
    .filter((a) => a.valid && !a.revocation)
    .map((a) => ({
      value: a.id,
      label: `Signed by ${a.signerName ?? 'unknown'}${a.signedOn ? `, ${a.signedOn}` : ''}`,
    }));
  const { form, submit, mutation } = useRecordForm({
    mutation: useComplianceWrite(request.id, 'privilege'),
    onSaved,
    schema: recordPrivilegeSchema,
    initialValues: { addressedBy: 'court_order' as string, authorizationId: null as string | null, note: '' },
    toBody: (v) =>
      v.addressedBy === 'client_authorization'
        ? { addressedBy: v.addressedBy, authorizationId: v.authorizationId, note: v.note }
        : { addressedBy: v.addressedBy, note: v.note },
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Record how privilege was addressed">
      <Stack gap="sm">
        <Text size="sm">
          Therapy records are privileged under state law: a subpoena alone does not override that. Say what
          addresses it here.
        </Text>
        <Radio.Group label="Privilege was addressed by" required {...form.getInputProps('addressedBy')}>
          <Stack gap={6} mt={6}>
            {PRIVILEGE_BASES.map((b) => (
              <Radio key={b} value={b} label={PRIVILEGE_BASIS_LABELS[b]} />
            ))}
          </Stack>
        </Radio.Group>
        {form.values.addressedBy === 'client_authorization' && (
          <Select
            label="Which authorization"
            required
            placeholder={usable.length ? 'Choose' : 'No valid authorization on this request yet'}
            data={usable}
            {...form.getInputProps('authorizationId')}
          />
        )}
        <Textarea label="Details" required autosize minRows={2} {...form.getInputProps('note')} />
        <SubmitRow
          label="Record the privilege decision"
          pending={mutation.isPending}
          error={mutation.error}
        />
      </Stack>
    </form>
  );
}

// The forms of the other steps: the intake check (VER-1), the invoice (FEE-6), the preparation and
// its review, and the release (REL-3).
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  List,
  NumberInput,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import {
  DELIVERY_FORMAT_LABELS,
  type DeliveryFormat,
  DOCUMENT_CLASS_LABELS,
  type DocumentClass,
} from '../../../../shared/request-kinds';
import { defaultInvoiceMode, INVOICE_MODE_LABELS, INVOICE_MODES } from '../../../../shared/review-decisions';
import {
  approvePreparationSchema,
  completeIntakeSchema,
  recordInvoiceSchema,
  recordReleaseSchema,
  requestChangesSchema,
  submitPreparationSchema,
} from '../../../../shared/schemas/request-actions';
import type { RequestDetails } from '../../../api/types';
import { blankToNull, toCents } from '../../../lib/form-errors';
import { SubmitRow } from './common';
import { detailsFor, EMPTY_DETAILS, ReleaseDetailsFields } from './ReleaseDetailsFields';
import { useActionForm } from './useActionForm';

type Props = { request: RequestDetails };

export function IntakeForm({ request }: Props) {
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: 'intake',
    schema: completeIntakeSchema,
    initialValues: { method: '', verificationNotes: '', notes: '' },
    toBody: (v) => ({
      verification: { method: v.method, notes: blankToNull(v.verificationNotes) },
      notes: blankToNull(v.notes),
    }),
    fieldFor: (k) =>
      k === 'verification.method' || k === 'method'
        ? 'method'
        : k === 'verification.notes'
          ? 'verificationNotes'
          : k,
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Complete the intake check">
      <Stack gap="sm">
        <TextInput
          label="How the requester’s identity was checked"
          description="For example: called back at the phone number on file; photo ID seen at the front desk. Never require notarization or an in-person visit from a client."
          required
          {...form.getInputProps('method')}
        />
        <Textarea
          label="Verification notes (optional)"
          autosize
          minRows={2}
          {...form.getInputProps('verificationNotes')}
        />
        <Textarea label="Intake notes (optional)" autosize minRows={2} {...form.getInputProps('notes')} />
        <SubmitRow label="Complete the intake check" pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

interface Line {
  description: string;
  amount: string | number;
}

export function InvoiceForm({ request }: Props) {
  const { form, submit, action } = useActionForm<{ mode: string; lines: Line[] }>({
    requestId: request.id,
    path: 'invoice',
    schema: recordInvoiceSchema,
    initialValues: {
      mode: defaultInvoiceMode(request.kind),
      lines: [{ description: 'Copies of records', amount: '' }],
    },
    toBody: (v) => ({
      mode: v.mode,
      lines:
        v.mode === 'sent'
          ? v.lines.map((l) => ({ description: l.description, amountCents: toCents(l.amount) ?? undefined }))
          : [],
    }),
  });
  const lines = form.values.lines;
  return (
    <form onSubmit={submit} noValidate aria-label="Record the invoice">
      <Stack gap="sm">
        <Radio.Group label="Invoice" required {...form.getInputProps('mode')}>
          <Group gap="md" mt={6}>
            {INVOICE_MODES.map((m) => (
              <Radio key={m} value={m} label={INVOICE_MODE_LABELS[m]} />
            ))}
          </Group>
        </Radio.Group>
        {form.values.mode === 'sent' && (
          <Stack gap="xs">
            {lines.map((_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their place
              <Group key={i} align="flex-end" wrap="nowrap" gap="xs">
                <TextInput
                  label="Line"
                  style={{ flex: 1 }}
                  {...form.getInputProps(`lines.${i}.description`)}
                />
                <NumberInput
                  label="Amount ($)"
                  min={0}
                  decimalScale={2}
                  w={130}
                  {...form.getInputProps(`lines.${i}.amount`)}
                />
                {lines.length > 1 && (
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Remove line ${i + 1}`}
                    onClick={() => form.removeListItem('lines', i)}
                    mb={4}
                  >
                    ×
                  </ActionIcon>
                )}
              </Group>
            ))}
            <Group>
              <Button
                variant="subtle"
                size="xs"
                onClick={() => form.insertListItem('lines', { description: '', amount: '' })}
              >
                Add a line
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              Payment is tracked alongside: preparation starts now and does not wait for it.
            </Text>
          </Stack>
        )}
        <SubmitRow label="Record the invoice" pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

export function PreparationForm({ request }: Props) {
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: 'preparation',
    schema: submitPreparationSchema,
    initialValues: { notes: '' },
    toBody: (v) => ({ notes: blankToNull(v.notes) }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Send what was prepared for review">
      <Stack gap="sm">
        <Text size="sm">
          Prepare {request.asked.deliverableLabel.toLowerCase()} covering:{' '}
          {request.asked.documentClasses
            .map((c) => DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c)
            .join(', ')}
          .
        </Text>
        <Textarea
          label="Notes for the reviewer (optional)"
          autosize
          minRows={2}
          {...form.getInputProps('notes')}
        />
        <SubmitRow label="Send for review" pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

export function ApprovalForm({
  request,
  canApprove,
  canAskChanges,
}: Props & { canApprove: boolean; canAskChanges: boolean }) {
  const approve = useActionForm({
    requestId: request.id,
    path: 'preparation/approval',
    schema: approvePreparationSchema,
    initialValues: { notes: '' },
    toBody: (v) => ({ notes: blankToNull(v.notes) }),
  });
  const changes = useActionForm({
    requestId: request.id,
    path: 'preparation/changes',
    schema: requestChangesSchema,
    initialValues: { reason: '' },
    toBody: (v) => ({ reason: v.reason }),
  });
  return (
    <Stack gap="md">
      {canApprove && (
        <form onSubmit={approve.submit} noValidate aria-label="Approve what was prepared">
          <Stack gap="sm">
            <Textarea
              label="Notes (optional)"
              autosize
              minRows={2}
              {...approve.form.getInputProps('notes')}
            />
            <SubmitRow label="Approve" pending={approve.action.isPending} error={approve.action.error} />
          </Stack>
        </form>
      )}
      {canAskChanges && (
        <form onSubmit={changes.submit} noValidate aria-label="Ask for changes">
          <Stack gap="sm">
            <Textarea
              label="What should change?"
              required
              autosize
              minRows={2}
              {...changes.form.getInputProps('reason')}
            />
            <SubmitRow
              label="Ask for changes"
              pending={changes.action.isPending}
              error={changes.action.error}
            />
          </Stack>
        </form>
      )}
    </Stack>
  );
}

const RELEASE_METHODS = [
  'secure_download',
  'mail',
  'pickup',
  'inspection',
  'fax',
  'email',
  'verbal',
] as const;
const METHOD_LABELS: Record<(typeof RELEASE_METHODS)[number], string> = {
  ...(DELIVERY_FORMAT_LABELS as Record<DeliveryFormat, string>),
  verbal: 'Verbal discussion',
};

export function ReleaseForm({ request }: Props) {
  const r = request.requester;
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: 'release',
    schema: recordReleaseSchema,
    initialValues: {
      recipientName: r.name,
      recipientAddress: r.address ?? r.email ?? '',
      description: `${request.asked.deliverableLabel}: ${request.asked.documentClasses.map((c) => DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c).join(', ')}`,
      method: (RELEASE_METHODS as readonly string[]).includes(request.asked.deliveryFormat)
        ? request.asked.deliveryFormat
        : null,
      details: EMPTY_DETAILS,
    },
    toBody: (v) => ({
      recipientName: blankToNull(v.recipientName),
      recipientAddress: blankToNull(v.recipientAddress),
      description: blankToNull(v.description),
      method: v.method,
      // rule REL-1: the details the form of delivery records (the API checks them per form).
      details: detailsFor(v.method, v.details),
    }),
  });
  const blockers = request.releaseBlockers;
  return (
    <form onSubmit={submit} noValidate aria-label="Record the release">
      <Stack gap="sm">
        {blockers.length > 0 && (
          <Alert color="orange" title="Release is blocked">
            <List size="sm" spacing={2}>
              {blockers.map((b) => (
                <List.Item key={`${b.rule}-${b.message}`}>{b.message}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <TextInput label="Released to" {...form.getInputProps('recipientName')} />
        <Textarea
          label="Address, email or fax used"
          autosize
          minRows={2}
          {...form.getInputProps('recipientAddress')}
        />
        <Textarea label="What was released" autosize minRows={2} {...form.getInputProps('description')} />
        <Select
          label="How"
          data={RELEASE_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
          {...form.getInputProps('method')}
        />
        <ReleaseDetailsFields method={form.values.method} inputProps={form.getInputProps} />
        <Text size="xs" c="dimmed">
          Recording the release also writes the disclosure log entry.
        </Text>
        <SubmitRow
          label="Record the release"
          pending={action.isPending}
          error={action.error}
          disabled={blockers.length > 0}
        />
      </Stack>
    </form>
  );
}

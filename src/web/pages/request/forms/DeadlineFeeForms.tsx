// The one extension of an access request's deadline (TIME-2), and the fee quoted in advance with
// the client's agreement to it (FEE-1…FEE-5).
import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { FEE_BASES, FEE_CODE_LABELS, FEE_CODES, type FeeBasis } from '../../../../shared/rule-packs';
import {
  acceptFeeQuoteSchema,
  extensionSchema,
  feeQuoteSchema,
} from '../../../../shared/schemas/request-extras';
import { useComplianceWrite } from '../../../api/compliance';
import type { FeeQuoteView } from '../../../api/compliance-types';
import { blankToNull, toCents } from '../../../lib/form-errors';
import { localDate } from '../../../lib/format';
import { SubmitRow } from './common';
import { useActionForm } from './useActionForm';
import { useRecordForm } from './useRecordForm';

/** "2027-03-31" + 30 days, as a local date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** rule TIME-2: reason and new date (at most 30 days after the original date); the requester gets the notice. */
export function ExtensionForm({ requestId, dueDate }: { requestId: string; dueDate: string }) {
  const latest = addDays(dueDate, 30);
  const { form, submit, action } = useActionForm({
    requestId,
    path: 'extension',
    schema: extensionSchema.refine(
      (b) => !b.newDueDate || (b.newDueDate > dueDate && b.newDueDate <= latest),
      {
        path: ['newDueDate'],
        message: `Choose a day after ${localDate(dueDate)} and no later than ${localDate(latest)} (30 days).`,
      },
    ),
    initialValues: { reason: '', newDueDate: latest },
    toBody: (v) => ({ reason: v.reason, newDueDate: v.newDueDate }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Extend the deadline">
      <Stack gap="sm">
        <Text size="sm">
          Once only, before the deadline passes. The requester is sent a written notice with the reason and
          the new date.
        </Text>
        <Textarea
          label="Why more time is needed (the requester reads this)"
          required
          autosize
          minRows={2}
          {...form.getInputProps('reason')}
        />
        <TextInput
          type="date"
          label="New due date"
          description={`At most 30 days after ${localDate(dueDate)}.`}
          min={addDays(dueDate, 1)}
          max={latest}
          required
          {...form.getInputProps('newDueDate')}
        />
        <SubmitRow label="Extend and notify the requester" pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

const BASIS_LABELS: Record<FeeBasis, string> = {
  none: 'No fee',
  actual_cost: 'Actual cost of copying',
  average_schedule: 'An average-cost schedule',
  flat: 'A flat fee (electronic copies)',
  statutory_schedule: 'The state’s fee schedule (third parties)',
};

interface QuoteLine {
  code: string | null;
  description: string;
  amount: number | string;
}

export function FeeQuoteForm({ requestId }: { requestId: string }) {
  const { form, submit, mutation } = useRecordForm<{
    basis: string | null;
    pages: number | string;
    lines: QuoteLine[];
  }>({
    mutation: useComplianceWrite(requestId, 'fee-quote'),
    onSaved: () => form.reset(),
    schema: feeQuoteSchema,
    initialValues: { basis: 'none', pages: '', lines: [] },
    toBody: (v) => ({
      basis: v.basis,
      pages: v.pages === '' ? null : Number(v.pages),
      lines:
        v.basis === 'none'
          ? []
          : v.lines.map((l) => ({
              code: l.code ?? '',
              description: l.description,
              amountCents: toCents(l.amount) ?? undefined,
            })),
    }),
  });
  const noFee = form.values.basis === 'none';
  return (
    <form onSubmit={submit} noValidate aria-label="Quote the fee">
      <Stack gap="sm">
        <Select
          label="How the fee is worked out"
          data={FEE_BASES.map((b) => ({ value: b, label: BASIS_LABELS[b] }))}
          allowDeselect={false}
          {...form.getInputProps('basis')}
        />
        {!noFee && (
          <>
            <NumberInput
              label="Pages (when charged per page)"
              min={1}
              w={220}
              {...form.getInputProps('pages')}
            />
            {form.values.lines.map((_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity beyond their place
              <Group key={i} align="flex-end" gap="xs" wrap="wrap">
                <Select
                  label={`Line ${i + 1}: what for`}
                  data={FEE_CODES.map((c) => ({ value: c, label: FEE_CODE_LABELS[c] }))}
                  w={240}
                  {...form.getInputProps(`lines.${i}.code`)}
                />
                <TextInput
                  label="Description"
                  style={{ flex: 1, minWidth: 160 }}
                  {...form.getInputProps(`lines.${i}.description`)}
                />
                <NumberInput
                  label="Amount ($)"
                  min={0}
                  decimalScale={2}
                  w={120}
                  {...form.getInputProps(`lines.${i}.amount`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`Remove line ${i + 1}`}
                  onClick={() => form.removeListItem('lines', i)}
                  mb={4}
                >
                  ×
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="subtle"
                size="xs"
                onClick={() => form.insertListItem('lines', { code: null, description: '', amount: '' })}
              >
                Add a line
              </Button>
            </Group>
          </>
        )}
        <SubmitRow label="Record the quote" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

export function AcceptQuoteForm({ requestId, quote }: { requestId: string; quote: FeeQuoteView }) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useComplianceWrite(requestId, 'fee-quote/accept'),
    schema: acceptFeeQuoteSchema,
    initialValues: { note: '' },
    toBody: (v) => ({ quoteId: quote.id, note: blankToNull(v.note) }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Record the client’s agreement">
      <Stack gap="xs">
        <TextInput
          label="How the client agreed (optional)"
          placeholder="e.g. by phone with Sam, 3 Mar"
          {...form.getInputProps('note')}
        />
        <SubmitRow
          label="The client agreed to this fee"
          pending={mutation.isPending}
          error={mutation.error}
        />
      </Stack>
    </form>
  );
}

// Support records a payment the practice received directly (check, card by phone, cash): the
// invoice is then paid, and a release that waits on payment (FEE-6, where the rules allow it) goes on.
import { Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { recordPaymentSchema } from '../../../../shared/schemas/request-actions';
import type { RequestDetails } from '../../../api/types';
import { SubmitRow } from './common';
import { useActionForm } from './useActionForm';

const METHODS = [
  { value: 'check', label: 'Check' },
  { value: 'card_by_phone', label: 'Card, by phone' },
  { value: 'cash', label: 'Cash' },
  { value: 'online', label: 'Online' },
  { value: 'other', label: 'Other' },
];

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export function PaymentForm({ request }: { request: RequestDetails }) {
  const invoice = request.invoice;
  const { form, submit, action } = useActionForm<{ method: string; reference: string }>({
    requestId: request.id,
    path: 'payment',
    schema: recordPaymentSchema,
    initialValues: { method: 'check', reference: '' },
    toBody: (v) => ({ method: v.method, reference: v.reference }),
  });
  if (invoice?.mode !== 'sent' || invoice.paidAt) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Payment">
      <form onSubmit={submit} noValidate aria-label="Record the payment">
        <Stack gap="sm">
          <Title order={3} size="h4">
            Record the payment
          </Title>
          <Text size="sm" c="dimmed">
            Invoice of {money(invoice.amountCents)}
            {invoice.sentAt ? ` sent ${new Date(invoice.sentAt).toLocaleDateString('en-GB')}` : ''}, not paid
            yet.
          </Text>
          <Select
            label="How it was paid"
            data={METHODS}
            allowDeselect={false}
            required
            {...form.getInputProps('method')}
          />
          <TextInput
            label="Reference"
            description="The check number, the card authorization or the receipt number."
            required
            {...form.getInputProps('reference')}
          />
          <SubmitRow label="Record the payment" pending={action.isPending} error={action.error} />
        </Stack>
      </form>
    </Paper>
  );
}

// "Payment" on the Deadline and fee tab (issue 7): the invoice with each line, whether it is paid and
// how, refunds, a void, and the online payment page; support refunds (with a reason; a payment made
// directly needs how it was refunded), voids an unpaid invoice, opens the online payment page to send
// the requester, and downloads the receipt. Buttons come from the payment view's abilities.
import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Button,
  CopyButton,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { refundPaymentSchema, voidInvoiceSchema } from '../../../shared/schemas/payments';
import { type PaymentSummaryView, receiptUrl, usePayments, usePaymentWrite } from '../../api/payments';
import { ActionError, ErrorState, Loading } from '../../components/States';
import { blankToNull, toCents } from '../../lib/form-errors';
import { dateTime } from '../../lib/format';
import { SubmitRow } from './forms/common';
import { useRecordForm } from './forms/useRecordForm';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

const METHOD: Record<string, string> = {
  card_online: 'card, online',
  card_by_phone: 'card by phone',
  check: 'check',
  cash: 'cash',
  online: 'online',
  other: 'other',
};

function status(s: PaymentSummaryView): { label: string; color: string } {
  const inv = s.invoice!;
  if (inv.voided) return { label: 'Voided', color: 'gray' };
  if (!inv.paidAt) return { label: 'Not paid', color: 'yellow' };
  if (inv.refundedCents >= inv.amountCents) return { label: 'Refunded', color: 'gray' };
  if (inv.refundedCents > 0) return { label: 'Partly refunded', color: 'blue' };
  return { label: 'Paid', color: 'green' };
}

function RefundForm({ requestId, online, left }: { requestId: string; online: boolean; left: number }) {
  const mutation = usePaymentWrite(requestId, 'refund');
  const { form, submit } = useRecordForm({
    mutation,
    schema: refundPaymentSchema,
    initialValues: { amount: (left / 100).toFixed(2), reason: '', reference: '' },
    toBody: (v) => ({
      amountCents: toCents(v.amount),
      reason: v.reason,
      reference: blankToNull(v.reference),
    }),
    fieldFor: (k) => (k === 'amountCents' ? 'amount' : k),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Refund">
      <Stack gap="sm">
        <Text size="sm">
          {online
            ? 'The refund goes back to the card through Stripe.'
            : 'This payment was made directly: refund it outside (a check, cash) and record how here.'}
        </Text>
        <TextInput
          label="Amount (USD)"
          description={`At most ${money(left)}.`}
          required
          {...form.getInputProps('amount')}
        />
        <Textarea label="Reason" required autosize minRows={2} {...form.getInputProps('reason')} />
        {!online && (
          <TextInput
            label="How it was refunded (check number, receipt)"
            required
            {...form.getInputProps('reference')}
          />
        )}
        <SubmitRow label="Refund" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

function VoidForm({ requestId }: { requestId: string }) {
  const mutation = usePaymentWrite(requestId, 'void');
  const { form, submit } = useRecordForm({
    mutation,
    schema: voidInvoiceSchema,
    initialValues: { reason: '' },
    toBody: (v) => ({ reason: v.reason }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Void the invoice">
      <Stack gap="sm">
        <Text size="sm">The invoice stays on record as it was sent; nobody can pay it after this.</Text>
        <Textarea label="Reason" required autosize minRows={2} {...form.getInputProps('reason')} />
        <SubmitRow label="Void the invoice" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

function OnlinePage({ requestId, s }: { requestId: string; s: PaymentSummaryView }) {
  const mutation = usePaymentWrite<{ url: string | null }>(requestId, 'checkout');
  const open = s.sessions.find((x) => x.status === 'open' && new Date(x.expiresAt) > new Date());
  const url = mutation.data?.url ?? open?.url ?? null;
  return (
    <Stack gap="xs">
      {url ? (
        <Group gap="xs">
          <Text size="sm">Payment page for the requester:</Text>
          <CopyButton value={url}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? 'Link copied' : 'Copy the link'}
              </Button>
            )}
          </CopyButton>
        </Group>
      ) : (
        <Group>
          <Button size="xs" variant="light" loading={mutation.isPending} onClick={() => mutation.mutate({})}>
            Open a payment page to send the requester
          </Button>
        </Group>
      )}
      <ActionError error={mutation.error} />
    </Stack>
  );
}

export function PaymentPanel({ requestId }: { requestId: string }) {
  const q = usePayments(requestId);
  if (q.isPending) return <Loading what="the payment" />;
  if (q.error) return <ErrorState error={q.error} title="The payment could not be loaded" />;
  const s = q.data;
  if (s.invoice?.mode !== 'sent') return null;
  const inv = s.invoice;
  const badge = status(s);
  const can = (a: PaymentSummaryView['abilities'][number]) => s.abilities.includes(a);
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Payment">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Payment
          </Title>
          <Badge color={badge.color} variant="light" radius="sm">
            {badge.label}
          </Badge>
        </Group>
        <Table fz="sm" withRowBorders={false}>
          <Table.Tbody>
            {inv.lines.map((l, n) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: invoice lines are fixed
              <Table.Tr key={n}>
                <Table.Td>{l.label}</Table.Td>
                <Table.Td ta="right">{money(l.amountCents)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td fw={600}>Total</Table.Td>
              <Table.Td ta="right" fw={600}>
                {money(inv.amountCents)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        {inv.paidAt && (
          <Text size="sm">
            Paid {dateTime(inv.paidAt)} by {METHOD[inv.paymentMethod ?? ''] ?? 'a recorded method'}
            {inv.paymentReference ? ` (reference ${inv.paymentReference})` : ''}.
          </Text>
        )}
        {inv.voided && (
          <Text size="sm">
            Voided {dateTime(inv.voided.voidedAt)}: {inv.voided.reason}
          </Text>
        )}
        {s.refunds.map((r) => (
          <Text size="sm" key={r.id} c="dimmed">
            Refunded {money(r.amountCents)} {dateTime(r.createdAt)}: {r.reason}
            {r.reference ? ` (${r.reference})` : ''}
          </Text>
        ))}
        {s.sessions
          .filter((x) => x.problem)
          .map((x) => (
            <Alert key={x.id} color="red" title="A payment needs your attention">
              {x.problem}
            </Alert>
          ))}
        {s.payDirectly && !inv.paidAt && !inv.voided && (
          <Text size="sm" c="dimmed">
            Online payment is not set up. {s.payDirectly}
          </Text>
        )}
        {can('start_checkout') && <OnlinePage requestId={requestId} s={s} />}
        {can('download_receipt') && (
          <Anchor href={receiptUrl(requestId)} size="sm">
            Download the receipt (PDF)
          </Anchor>
        )}
        {(can('refund') || can('void')) && (
          <Accordion variant="contained" radius="md" chevronPosition="left">
            {can('refund') && (
              <Accordion.Item value="refund">
                <Accordion.Control>Refund</Accordion.Control>
                <Accordion.Panel>
                  <RefundForm
                    // A new form for each amount left, so the amount it offers is what is left now.
                    key={inv.amountCents - inv.refundedCents}
                    requestId={requestId}
                    online={inv.paymentMethod === 'card_online'}
                    left={inv.amountCents - inv.refundedCents}
                  />
                </Accordion.Panel>
              </Accordion.Item>
            )}
            {can('void') && (
              <Accordion.Item value="void">
                <Accordion.Control>Void the invoice</Accordion.Control>
                <Accordion.Panel>
                  <VoidForm requestId={requestId} />
                </Accordion.Panel>
              </Accordion.Item>
            )}
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}

// "Deadline and fee": the legal deadline and its one extension (TIME-2, support or the privacy
// officer, access requests only, before it passes), and the fee quoted in advance with the client's
// agreement (FEE-3, support, before the invoice). What the caller may not do is not offered; when
// the extension is no longer possible, the reason is said.
import { Accordion, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { isAccessKind } from '../../../shared/request-kinds';
import { FEE_CODE_LABELS, type FeeCode } from '../../../shared/rule-packs';
import { OPEN_STAGES } from '../../../shared/workflow-stages';
import { useRules } from '../../api/compliance';
import type { FullRequest } from '../../api/compliance-types';
import { useMe } from '../../api/hooks';
import { dateTime, localDate } from '../../lib/format';
import { AcceptQuoteForm, ExtensionForm, FeeQuoteForm } from './forms/DeadlineFeeForms';
import { PaymentPanel } from './PaymentPanel';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The legal due date as a local date in the practice's time zone. */
function localDueDate(iso: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

function Deadline({ request, timeZone }: { request: FullRequest; timeZone?: string }) {
  const legal = request.clocks.legal;
  const open = (OPEN_STAGES as readonly string[]).includes(request.stage);
  const access = isAccessKind(request.kind);
  // The server offers the extension only to whoever may send it, while it is still possible (TIME-2).
  const canExtend = request.abilities.includes('extend_deadline');
  const why = !access
    ? 'Only a request for the client’s own records (or a copy they direct) can be extended.'
    : legal.extended
      ? 'The deadline was already extended once: it cannot be extended again.'
      : legal.overdue
        ? 'The deadline has passed: an extension must be sent before it.'
        : !open
          ? 'The request has ended.'
          : null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Deadline">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5">
            Deadline
          </Title>
          <Badge color={legal.overdue ? 'red' : 'gray'} variant="light" radius="sm">
            {legal.due}
          </Badge>
        </Group>
        <Text size="sm">{legal.label}</Text>
        {legal.extended && (
          <Text size="sm" c="dimmed">
            Extended on {dateTime(legal.extended.at)} from {legal.extended.fromDue}: {legal.extended.reason}
          </Text>
        )}
        {!canExtend && access && why && (
          <Text size="sm" c="dimmed">
            {why}
          </Text>
        )}
        {canExtend && (
          <Accordion variant="contained" radius="md" chevronPosition="left">
            <Accordion.Item value="extend">
              <Accordion.Control>Extend the deadline (once, up to 30 days)</Accordion.Control>
              <Accordion.Panel>
                <ExtensionForm requestId={request.id} dueDate={localDueDate(legal.dueAt, timeZone)} />
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}

function Fees({ request, isSupport }: { request: FullRequest; isSupport: boolean }) {
  const rules = useRules(request.id);
  const quotes = rules.data?.feeQuotes ?? [];
  const latest = quotes[0];
  const invoiced = !!request.invoice;
  const open = (OPEN_STAGES as readonly string[]).includes(request.stage);
  const regime = rules.data?.rules.fees.regime;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Fee">
      <Stack gap="xs">
        <Title order={3} size="h5">
          Fee
        </Title>
        {regime === 'access' && (
          <Text size="sm" c="dimmed">
            The client’s own records: no fee by default, and only copying costs if any.
          </Text>
        )}
        {regime === 'none' && (
          <Text size="sm" c="dimmed">
            A disclosure required by law carries no fee.
          </Text>
        )}
        {quotes.length === 0 ? (
          <Text size="sm">No fee quoted yet.</Text>
        ) : (
          quotes.map((q, i) => (
            <div key={q.id}>
              <Text size="sm" fw={i === 0 ? 600 : 400} c={i === 0 ? undefined : 'dimmed'}>
                {money(q.totalCents)} quoted {dateTime(q.quotedAt)}
                {i > 0 ? ' (replaced)' : ''} ·{' '}
                {q.acceptedAt
                  ? `the client agreed ${dateTime(q.acceptedAt)}`
                  : 'waiting on the client’s agreement'}
              </Text>
              {i === 0 && q.lines.length > 0 && (
                <Table fz="sm" withRowBorders={false} mt={4}>
                  <Table.Tbody>
                    {q.lines.map((l, n) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: quote lines are fixed
                      <Table.Tr key={n}>
                        <Table.Td>{l.description}</Table.Td>
                        <Table.Td c="dimmed">{FEE_CODE_LABELS[l.code as FeeCode] ?? l.code}</Table.Td>
                        <Table.Td ta="right">{money(l.amountCents)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </div>
          ))
        )}
        {isSupport && open && !invoiced && (
          <Accordion variant="contained" radius="md" chevronPosition="left">
            {latest && !latest.acceptedAt && (
              <Accordion.Item value="accept">
                <Accordion.Control>
                  Record the client’s agreement to {money(latest.totalCents)}
                </Accordion.Control>
                <Accordion.Panel>
                  <AcceptQuoteForm requestId={request.id} quote={latest} />
                </Accordion.Panel>
              </Accordion.Item>
            )}
            <Accordion.Item value="quote">
              <Accordion.Control>{latest ? 'Quote a new fee' : 'Quote the fee in advance'}</Accordion.Control>
              <Accordion.Panel>
                <FeeQuoteForm requestId={request.id} />
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        )}
        {isSupport && invoiced && (
          <Text size="sm" c="dimmed">
            The invoice is recorded: a fee is quoted before it.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function DeadlineFeePanel({ request }: { request: FullRequest }) {
  const me = useMe();
  return (
    <Stack gap="sm">
      <Deadline request={request} timeZone={me.data?.practice.timeZone} />
      <Fees request={request} isSupport={request.abilities.includes('quote_fee')} />
      {/* Issue 7: support's side of the payment (refunds also after the request ended). */}
      {request.invoice?.mode === 'sent' && request.abilities.includes('post_requester_message') && (
        <PaymentPanel requestId={request.id} />
      )}
      {request.asked.neededBy && (
        <Text size="sm" c="dimmed">
          The client needs it by {localDate(request.asked.neededBy)}.
        </Text>
      )}
    </Stack>
  );
}

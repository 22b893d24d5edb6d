// The invoice with each line, and how to pay it: the online payment page (Stripe Checkout) when the
// practice set it up, else how to pay the practice directly; the receipt once paid.
import { Alert, Button, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalStatus } from '../../../shared/schemas/portal';
import { fetchFile, postJson, saveFile } from '../api';
import { money, WRAPPING, when } from './parts';

export function PaymentPanel({ status, returned }: { status: PortalStatus; returned: string | null }) {
  const { t, i18n } = useTranslation('status');
  const lng = i18n.language;
  const [busy, setBusy] = useState<'pay' | 'receipt' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const invoice = status.invoice;
  if (!invoice) return null;
  const base = `/api/portal/requests/${encodeURIComponent(status.requestNumber)}`;

  const pay = async () => {
    setBusy('pay');
    setError(null);
    try {
      const { url } = await postJson<{ url: string }>(`${base}/checkout`);
      window.location.assign(url);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(null);
    }
  };
  const receipt = async () => {
    setBusy('receipt');
    setError(null);
    try {
      saveFile(await fetchFile(`${base}/receipt`));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="invoice-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="invoice-heading">
          {t('invoice.heading')}
        </Title>
        {returned === 'done' && !invoice.paidAt && <Alert color="green">{t('invoice.returnedDone')}</Alert>}
        {returned === 'cancelled' && !invoice.paidAt && (
          <Alert color="yellow">{t('invoice.returnedCancelled')}</Alert>
        )}
        <Table>
          <Table.Tbody>
            {invoice.lines.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id and never reorder
              <Table.Tr key={i}>
                <Table.Td>{line.label}</Table.Td>
                <Table.Td ta="right">{money(line.amountCents, lng)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th scope="row">{t('invoice.total')}</Table.Th>
              <Table.Td ta="right" fw={700}>
                {money(invoice.amountCents, lng)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Text size="sm">{t('invoice.feeNote')}</Text>
        {invoice.voided && <Text>{t('invoice.voided')}</Text>}
        {invoice.paidAt && <Text fw={600}>{t('invoice.paid', { date: when(invoice.paidAt, lng) })}</Text>}
        {status.canPayOnline && (
          <Button size="md" onClick={() => void pay()} loading={busy === 'pay'} styles={WRAPPING}>
            {t('invoice.pay', { amount: money(invoice.amountCents, lng) })}
          </Button>
        )}
        {status.payDirectly && (
          <Text>
            {t('invoice.payDirectly', { name: status.practice.name, number: status.requestNumber })}
          </Text>
        )}
        {status.canDownloadReceipt && (
          <Button
            variant="light"
            onClick={() => void receipt()}
            loading={busy === 'receipt'}
            styles={WRAPPING}
          >
            {t('invoice.receipt')}
          </Button>
        )}
        {error && (
          <Text c="red.9" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

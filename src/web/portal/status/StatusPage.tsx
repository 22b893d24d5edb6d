// The requester's status page (/portal/requests/<number>, issue 7): where the request is and when
// we will answer, who to contact, the invoice and how to pay, the records when they are ready, and
// the messages. It needs the portal session the emailed code made; without it, a calm page asking
// to open the link again.
import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import type { PortalSessionView, PortalStatus } from '../../../shared/schemas/portal';
import { fetchFile, getJson, PortalError, postJson, saveFile, setPortalCsrf } from '../api';
import { adoptLanguage } from '../i18n';
import { PageTitle, usePracticeName } from '../Layout';
import { SignCard } from '../sign/SignCard';
import { MessagesPanel } from './MessagesPanel';
import { PaymentPanel } from './PaymentPanel';
import { WRAPPING } from './parts';
import { StagePanel } from './StagePanel';

function DownloadPanel({ status }: { status: PortalStatus }) {
  const { t } = useTranslation('status');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (status.download === 'none') return null;
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      saveFile(
        await fetchFile(`/api/portal/requests/${encodeURIComponent(status.requestNumber)}/download`, 'POST'),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="download-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="download-heading">
          {t('download.heading')}
        </Title>
        {status.download === 'portal' && (
          <>
            <Text>{t('download.ready')}</Text>
            <Button size="md" onClick={() => void download()} loading={busy} styles={WRAPPING}>
              {t('download.button')}
            </Button>
          </>
        )}
        {status.download === 'second_channel' && <Text>{t('download.secondChannel')}</Text>}
        {status.download === 'used_up' && <Text>{t('download.usedUp')}</Text>}
        {error && (
          <Text c="red.9" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export default function StatusPage() {
  const { t, i18n } = useTranslation('status');
  const { number = '' } = useParams();
  const [search] = useSearchParams();
  const queryClient = useQueryClient();
  const [closed, setClosed] = useState(false);
  const session = useQuery({
    queryKey: ['portal', 'session'],
    queryFn: () => getJson<PortalSessionView>('/api/portal/session'),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  useEffect(() => {
    if (!session.data) return;
    setPortalCsrf(session.data.csrfToken);
    adoptLanguage(i18n, session.data.language);
  }, [session.data, i18n]);
  const status = useQuery({
    queryKey: ['portal', 'status', number],
    queryFn: () => getJson<PortalStatus>(`/api/portal/requests/${encodeURIComponent(number)}`),
    enabled: Boolean(session.data),
    retry: false,
    // Each read is audited: fetched on arrival and when the requester comes back to the tab, not on a timer.
    refetchOnWindowFocus: true,
  });
  usePracticeName(status.data?.practice.name, status.data?.practice);
  const title = t('page.title', { number });

  const failure = session.error ?? status.error;
  if (closed || failure) {
    const message = closed
      ? t('page.closed')
      : failure instanceof PortalError
        ? failure.message
        : String(failure);
    return (
      <Stack>
        <PageTitle text={t('page.goneTitle')}>{t('page.goneTitle')}</PageTitle>
        <Text>{message}</Text>
      </Stack>
    );
  }
  if (!status.data) {
    return (
      <Stack>
        <PageTitle text={title}>{title}</PageTitle>
        <Group>
          <Loader size="sm" aria-hidden />
          <Text role="status">{t('page.loading')}</Text>
        </Group>
      </Stack>
    );
  }
  const s = status.data;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['portal', 'status', number] });
  const close = async () => {
    await postJson('/api/portal/session/end').catch(() => undefined);
    setPortalCsrf(null);
    queryClient.removeQueries({ queryKey: ['portal'] });
    setClosed(true);
  };
  return (
    <Stack gap="md">
      <PageTitle text={title}>{title}</PageTitle>
      <StagePanel status={s} />
      <SignCard number={s.requestNumber} />
      <DownloadPanel status={s} />
      <PaymentPanel status={s} returned={search.get('payment')} />
      <MessagesPanel status={s} onSent={refresh} />
      <Alert variant="light" color="gray" title={t('contact.heading')}>
        {/* The phone and email are in the footer on every screen (WCAG 3.2.6); here only what to quote. */}
        <Text size="sm">{t('contact.intro', { name: s.practice.name, number: s.requestNumber })}</Text>
      </Alert>
      <Group justify="flex-end">
        <Button variant="subtle" onClick={() => void close()}>
          {t('page.signOut')}
        </Button>
      </Group>
    </Stack>
  );
}

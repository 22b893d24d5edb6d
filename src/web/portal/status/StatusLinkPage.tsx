// The page a status link opens (/portal/links/<token>, issue 7): the practice's name, a 6-digit code
// emailed to the requester's address (sent as the page opens; a new one on request), then the status
// page. The token leaves the address bar as soon as the code is right (history is replaced).
import { Alert, Anchor, Button, Loader, Paper, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { PortalLinkView, PortalSessionView } from '../../../shared/schemas/portal';
import { getJson, PortalError, postJson, setPortalCsrf } from '../api';
import { adoptLanguage } from '../i18n';
import { PageTitle, usePracticeName } from '../Layout';
import { ContactLines } from './parts';

type State =
  | { name: 'opening' }
  | { name: 'gone'; message: string }
  | { name: 'code'; link: PortalLinkView; sentTo: string | null; sending: boolean; note: string | null };

export default function StatusLinkPage() {
  const { t, i18n } = useTranslation('status');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [state, setState] = useState<State>({ name: 'opening' });
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const base = `/api/portal/links/${encodeURIComponent(token)}`;
  usePracticeName(
    state.name === 'code' ? state.link.practiceName : null,
    state.name === 'code' ? { phone: state.link.practicePhone, email: state.link.practiceEmail } : {},
  );

  const sendCode = async (link: PortalLinkView, again: boolean) => {
    setState({ name: 'code', link, sentTo: null, sending: true, note: null });
    try {
      const sent = await postJson<{ sentTo: string }>(`${base}/code`);
      setState({
        name: 'code',
        link,
        sentTo: sent.sentTo,
        sending: false,
        note: again ? t('link.resent') : null,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setState({ name: 'code', link, sentTo: null, sending: false, note: message });
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: open the link once per token
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice: one code, not two
    started.current = true;
    getJson<PortalLinkView>(base)
      .then((link) => {
        adoptLanguage(i18n, link.language);
        return sendCode(link, false);
      })
      .catch((err: unknown) =>
        setState({ name: 'gone', message: err instanceof PortalError ? err.message : t('link.goneTitle') }),
      );
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const session = await postJson<PortalSessionView>(`${base}/confirm`, { code });
      setPortalCsrf(session.csrfToken);
      // The token goes from the address bar and the history.
      navigate(`/portal/requests/${encodeURIComponent(session.requestNumber)}`, { replace: true });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      if (err instanceof PortalError && err.status === 410) {
        setState({ name: 'gone', message: err.message });
      }
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (state.name === 'opening') {
    return (
      <Stack>
        <PageTitle text={t('link.title')}>{t('link.title')}</PageTitle>
        <Loader aria-label={t('link.sending')} />
      </Stack>
    );
  }
  if (state.name === 'gone') {
    return (
      <Stack>
        <PageTitle text={t('link.goneTitle')}>{t('link.goneTitle')}</PageTitle>
        <Text>{state.message}</Text>
      </Stack>
    );
  }
  const { link } = state;
  return (
    <Stack gap="md">
      <PageTitle text={t('link.title')}>{t('link.title')}</PageTitle>
      <Text>{t('link.intro')}</Text>
      {!link.mailDelivered && (
        <Alert color="yellow">
          <Text size="sm">{t('link.noMail')}</Text>
          <ContactLines
            practice={{ name: link.practiceName, phone: link.practicePhone, email: link.practiceEmail }}
          />
        </Alert>
      )}
      <Paper withBorder p="md" component="form" onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text role="status" aria-live="polite">
            {state.sending
              ? t('link.sending')
              : state.sentTo
                ? t('link.sentTo', { email: state.sentTo })
                : null}
          </Text>
          {state.note && (
            <Text size="sm" role="status">
              {state.note}
            </Text>
          )}
          <TextInput
            label={t('link.codeLabel')}
            description={t('link.codeHint')}
            value={code}
            // WCAG 3.3.8: a pasted or autofilled code is taken as the email shows it (spaces or a
            // dash kept out here, not by a maxLength that would cut "123 456" short).
            onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
            inputMode="numeric"
            autoComplete="one-time-code"
            size="lg"
            styles={{ input: { letterSpacing: '0.4em', fontVariantNumeric: 'tabular-nums' } }}
            error={error ?? undefined}
            data-autofocus
          />
          <Button type="submit" size="md" loading={busy} disabled={code.length !== 6}>
            {t('link.submit')}
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={() => void sendCode(link, true)}>
            {t('link.resend')}
          </Anchor>
        </Stack>
      </Paper>
    </Stack>
  );
}

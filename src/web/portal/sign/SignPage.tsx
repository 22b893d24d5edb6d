// Signing the authorization form (/portal/requests/<number>/authorization, issue 7; AUTH-1, AUTH-2,
// AUTH-7): the form's sections in plain words (the exact words of the PDF, in the request's language:
// a request made in Spanish signs a Spanish form; an English form read on a Spanish page has a summary
// above each section), the exact PDF, a typed or drawn signature, the two
// consents, then a clear confirmation and the signed copy to download. Needs the portal session.
import { Alert, Anchor, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { PortalSessionView } from '../../../shared/schemas/portal';
import type { PortalSigned, PortalSignView } from '../../../shared/schemas/portal-sign';
import { getJson, PortalError, setPortalCsrf } from '../api';
import { adoptLanguage } from '../i18n';
import { PageTitle } from '../Layout';
import { FormSections, SignedPanel } from './parts';
import { SignForm } from './SignForm';

export default function SignPage() {
  const { t, i18n } = useTranslation('sign');
  const { number = '' } = useParams();
  const queryClient = useQueryClient();
  const [signed, setSigned] = useState<PortalSigned | null>(null);
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
  const base = `/api/portal/requests/${encodeURIComponent(number)}/authorization`;
  const view = useQuery({
    queryKey: ['portal', 'authorization', number],
    queryFn: () => getJson<PortalSignView>(base),
    enabled: Boolean(session.data),
    retry: false,
  });
  const back = (
    <Anchor component={Link} to={`/portal/requests/${encodeURIComponent(number)}`}>
      {t('back')}
    </Anchor>
  );

  const failure = session.error ?? view.error;
  if (failure) {
    return (
      <Stack>
        <PageTitle text={t('title')}>{t('title')}</PageTitle>
        <Text role="alert">{failure instanceof PortalError ? failure.message : String(failure)}</Text>
      </Stack>
    );
  }
  if (!view.data) {
    return (
      <Stack>
        <PageTitle text={t('title')}>{t('title')}</PageTitle>
        <Group>
          <Loader size="sm" aria-hidden />
          <Text role="status">{t('loading')}</Text>
        </Group>
      </Stack>
    );
  }
  const v = view.data;
  // A form in another language than the page's says so (the form is in the request's language).
  const otherLanguage = v.formLanguage !== i18n.language ? t(`formIn.${v.formLanguage}`) : '';
  const done = signed ?? (v.signed ? { ...v.signed, signedSha256: '' } : null);
  if (done) {
    return (
      <Stack gap="md">
        <PageTitle text={t('doneTitle')}>{t('doneTitle')}</PageTitle>
        <SignedPanel signed={done} />
        {back}
      </Stack>
    );
  }
  if (v.state !== 'to_sign') {
    return (
      <Stack gap="md">
        <PageTitle text={t('title')}>{t('title')}</PageTitle>
        <Text>{t(`states.${v.state}` as 'states.not_needed')}</Text>
        {back}
      </Stack>
    );
  }
  return (
    <Stack gap="md">
      <PageTitle text={t('title')}>{t('title')}</PageTitle>
      <Text>{t('intro')}</Text>
      {otherLanguage && (
        <Alert variant="light" color="blue">
          {otherLanguage}
        </Alert>
      )}
      <FormSections view={v} />
      <SignForm
        url={`${base}/sign`}
        view={v}
        onSigned={(s) => {
          setSigned(s);
          void queryClient.invalidateQueries({ queryKey: ['portal'] });
        }}
      />
      {back}
    </Stack>
  );
}

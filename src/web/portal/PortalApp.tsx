// The requester portal (issue 7): its own lazily loaded chunk, mounted by main.tsx for /portal/**
// and /request**, outside the staff sign-in gate. The shell owns the languages, the layout and the
// router; each screen is its own lazy chunk listed in routes.tsx.
import { Center, Loader, Stack, Text } from '@mantine/core';
import { Suspense, useEffect, useMemo } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { setFallbackWords, setPortalLanguage } from './api';
import { createPortalI18n } from './i18n';
import { PageTitle, PortalLayout } from './Layout';
import { PORTAL_ROUTES } from './routes';

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack>
      <PageTitle text={t('notFoundTitle')}>{t('notFoundTitle')}</PageTitle>
      <Text>{t('notFoundBody')}</Text>
    </Stack>
  );
}

function Loading() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader aria-label={t('loading')} />
    </Center>
  );
}

/** Keeps the fetch client's own words (network, too many tries) in the chosen language. */
function FallbackWordsSync() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    setFallbackWords({
      network: t('errors.network'),
      tooMany: t('errors.tooMany'),
      server: t('errors.server'),
    });
    setPortalLanguage(i18n.language);
  }, [t, i18n.language]);
  return null;
}

export default function PortalApp() {
  const i18n = useMemo(() => createPortalI18n(), []);
  useEffect(() => {
    // The address may carry a status-link token: no page of the portal sends a Referer.
    const meta = document.createElement('meta');
    meta.name = 'referrer';
    meta.content = 'no-referrer';
    document.head.append(meta);
    return () => meta.remove();
  }, []);
  return (
    <I18nextProvider i18n={i18n}>
      <FallbackWordsSync />
      <PortalLayout>
        <Suspense fallback={<Loading />}>
          <Routes>
            {PORTAL_ROUTES.map(({ path, element: Screen }) => (
              <Route key={path} path={path} element={<Screen />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </PortalLayout>
    </I18nextProvider>
  );
}

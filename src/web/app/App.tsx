// The sign-in gate and the app's pages. Every page of a demo server carries the demo banner.
import { Center, Container } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { onSignedOut } from '../api/client';
import { keys, useInstance, useMe } from '../api/hooks';
import { SignInPage } from '../auth/SignInPage';
import { ErrorState, Loading } from '../components/States';
import { MyTasksPage } from '../pages/MyTasksPage';
import { NewRequestPage } from '../pages/NewRequestPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { RequestListPage } from '../pages/RequestListPage';
import { RequestPage } from '../pages/request/RequestPage';
import { SettingsPage } from '../pages/SettingsPage';
import { DemoBanner } from './DemoBanner';

// The administrator's and the privacy officer's screens load on first use (the bundle-size budget).
const StaffPage = lazy(() => import('../pages/admin/StaffPage').then((m) => ({ default: m.StaffPage })));
const RulePacksPage = lazy(() =>
  import('../pages/admin/RulePacksPage').then((m) => ({ default: m.RulePacksPage })),
);
const LetterTemplatesPage = lazy(() =>
  import('../pages/admin/LetterTemplatesPage').then((m) => ({ default: m.LetterTemplatesPage })),
);
const AuditLogPage = lazy(() =>
  import('../pages/privacy/AuditLogPage').then((m) => ({ default: m.AuditLogPage })),
);
const DisclosuresPage = lazy(() =>
  import('../pages/privacy/DisclosuresPage').then((m) => ({ default: m.DisclosuresPage })),
);
const OutboxPage = lazy(() => import('../pages/mail/OutboxPage').then((m) => ({ default: m.OutboxPage })));
const TriagePage = lazy(() => import('../pages/mail/TriagePage').then((m) => ({ default: m.TriagePage })));

import { IdleWarning } from './IdleWarning';
import { Shell } from './Shell';
import { MeContext, SignedOutContext } from './session';

export function App() {
  const [reason, setReason] = useState<string | null>(null);
  const signedOut = useMemo(() => ({ reason, setReason }), [reason]);
  const qc = useQueryClient();
  useEffect(
    () =>
      onSignedOut((message) => {
        setReason(message);
        qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.instance[0] });
        qc.setQueryData(keys.me, null);
      }),
    [qc],
  );
  const instance = useInstance();
  return (
    <SignedOutContext.Provider value={signedOut}>
      {instance.data?.banner && <DemoBanner banner={instance.data.banner} />}
      <Gate />
    </SignedOutContext.Provider>
  );
}

function Gate() {
  const me = useMe();
  const location = useLocation();
  const linkToken =
    location.pathname === '/sign-in' ? new URLSearchParams(location.search).get('token') : null;
  if (me.isPending) {
    return (
      <Center h="60vh">
        <Loading what="Release Desk" />
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Container size="xs" py="xl">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Release Desk could not start" />
      </Container>
    );
  }
  if (!me.data || linkToken) return <SignInPage linkToken={linkToken} />;
  return (
    <MeContext.Provider value={me.data}>
      <Shell>
        <Suspense fallback={<Loading what="the page" />}>
          <Routes>
            <Route path="/" element={<MyTasksPage />} />
            <Route path="/sign-in" element={<MyTasksPage />} />
            <Route path="/requests" element={<RequestListPage />} />
            <Route path="/requests/new" element={<NewRequestPage />} />
            <Route path="/requests/:requestId" element={<RequestPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="/admin/staff" element={<StaffPage />} />
            <Route path="/admin/rule-packs" element={<RulePacksPage />} />
            <Route path="/admin/letter-templates" element={<LetterTemplatesPage />} />
            <Route path="/privacy/audit" element={<AuditLogPage />} />
            <Route path="/privacy/disclosures" element={<DisclosuresPage />} />
            <Route path="/mail/outbox" element={<OutboxPage />} />
            <Route path="/mail/triage" element={<TriagePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </Shell>
      <IdleWarning />
    </MeContext.Provider>
  );
}

import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app/App';
import './app/global.css';
import { cssVariablesResolver, theme } from './app/theme';
import { LinkPage, tokenFromPath } from './links/LinkPage';

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: true, staleTime: 15_000 } },
});

// A secure link's recipient (/links/<token>) gets their own page, outside the staff sign-in gate.
const linkPath = window.location.pathname.startsWith('/links/') ? window.location.pathname : null;
// Issue 7: the requester portal (/portal/**, /request**) is its own lazily loaded chunk, so the staff
// app's initial JavaScript does not grow.
const PortalApp = lazy(() => import('./portal/PortalApp'));
const isPortalPath = /^\/(portal(\/|$)|request(\/|$|\?))/.test(window.location.pathname);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            {isPortalPath ? (
              <Suspense fallback={null}>
                <PortalApp />
              </Suspense>
            ) : linkPath ? (
              <LinkPage token={tokenFromPath(linkPath)} />
            ) : (
              <App />
            )}
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

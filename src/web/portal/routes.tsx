// The portal's screens. To add one: a lazy import and one line in PORTAL_ROUTES (paths are
// absolute; /portal/... for a requester with a link, /request... for the public form).
import { lazy } from 'react';

const StatusLinkPage = lazy(() => import('./status/StatusLinkPage'));
const StatusPage = lazy(() => import('./status/StatusPage'));
const IntakePage = lazy(() => import('./intake/IntakePage'));
const SignPage = lazy(() => import('./sign/SignPage'));

export interface PortalRoute {
  path: string;
  element: React.ComponentType;
}

export const PORTAL_ROUTES: readonly PortalRoute[] = [
  { path: '/portal/links/:token', element: StatusLinkPage },
  { path: '/portal/requests/:number', element: StatusPage },
  { path: '/portal/requests/:number/authorization', element: SignPage },
  { path: '/request', element: IntakePage },
];

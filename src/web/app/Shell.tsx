// The frame of every signed-in page: the practice, the three places (My tasks, Requests, New
// request for those who may record one), and the person with "Sign out". At phone width the places
// fold into a menu.
import {
  Box,
  Burger,
  Button,
  Container,
  Drawer,
  Group,
  Menu,
  NavLink,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type ReactNode, type RefObject, useLayoutEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { ROLE_LABELS } from '../../shared/roles';
import { useInstance } from '../api/hooks';
import { MailBanner } from '../pages/mail/MailBanner';
import { DEMO_BANNER_HEIGHT } from './DemoBanner';
import { useSession, useSignOut } from './session';

interface Place {
  to: string;
  label: string;
}

function usePlaces(): Place[] {
  const me = useSession();
  const places: Place[] = [
    { to: '/', label: 'My tasks' },
    { to: '/requests', label: 'Requests' },
  ];
  if (me.abilities.includes('create_request')) places.push({ to: '/requests/new', label: 'New request' });
  const roles = me.user.roles;
  if (roles.includes('support') || roles.includes('privacy_officer'))
    places.push({ to: '/privacy/disclosures', label: 'Disclosures' });
  if (me.abilities.includes('read_audit_log')) places.push({ to: '/privacy/audit', label: 'Audit log' });
  if (roles.includes('support') || roles.includes('privacy_officer'))
    places.push({ to: '/mail/outbox', label: 'Mail' });
  if (me.abilities.includes('manage_users')) places.push({ to: '/admin/staff', label: 'Staff' });
  if (me.abilities.includes('manage_settings')) {
    places.push({ to: '/settings', label: 'Settings' });
    places.push({ to: '/admin/rule-packs', label: 'Rule packs' });
  }
  return places;
}

function isCurrent(place: Place, pathname: string): boolean {
  if (place.to === '/') return pathname === '/';
  if (place.to === '/requests') return pathname === '/requests';
  return pathname === place.to;
}

/**
 * WCAG 2.2 2.4.11 (focus not obscured): the header stays stuck to the top while the page scrolls,
 * so whatever the keyboard reaches is scrolled into view below it, not under it: the page's
 * scroll-padding-top follows the header's bottom edge (the demo banner's height, the header's own,
 * a little room), measured whenever the header's size changes.
 */
function useScrollPaddingBelow(header: RefObject<HTMLElement | null>, top: number): void {
  useLayoutEffect(() => {
    const el = header.current;
    if (!el) return;
    const root = document.documentElement;
    const apply = () => {
      root.style.scrollPaddingTop = `${top + el.offsetHeight + 8}px`;
    };
    apply();
    const observer = new ResizeObserver(apply);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.scrollPaddingTop = '';
    };
  }, [header, top]);
}

export function Shell({ children }: { children: ReactNode }) {
  const me = useSession();
  const signOut = useSignOut();
  const places = usePlaces();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const demo = useInstance().data?.demo ?? false;
  // Up to four places fit beside the name from a tablet's width; more fold into the menu below a laptop's.
  const fold = places.length > 4 ? (places.length > 5 ? 'lg' : 'md') : 'sm';
  const header = useRef<HTMLElement>(null);
  useScrollPaddingBelow(header, demo ? DEMO_BANNER_HEIGHT : 0);
  return (
    <>
      <Box
        ref={header}
        component="header"
        py="xs"
        style={{
          position: 'sticky',
          top: demo ? DEMO_BANNER_HEIGHT : 0,
          zIndex: 200,
          background: 'var(--mantine-color-body)',
          borderBottom: '1px solid var(--mantine-color-gray-3)',
        }}
      >
        <Container size="lg" px="md">
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="lg" wrap="nowrap">
              <Burger
                opened={opened}
                onClick={toggle}
                hiddenFrom={fold}
                size="sm"
                aria-label="Open the menu"
              />
              <UnstyledButton component={Link} to="/" aria-label="Release Desk, my tasks">
                <Text fw={700} c="desk.8" size="lg">
                  Release Desk
                </Text>
              </UnstyledButton>
              <Group gap={4} visibleFrom={fold} component="nav" aria-label="Main">
                {places.map((p) => (
                  <Button
                    key={p.to}
                    component={Link}
                    to={p.to}
                    variant={isCurrent(p, pathname) ? 'light' : 'subtle'}
                    aria-current={isCurrent(p, pathname) ? 'page' : undefined}
                    size="sm"
                  >
                    {p.label}
                  </Button>
                ))}
              </Group>
            </Group>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="default" size="sm" aria-label={`Signed in as ${me.user.name}`}>
                  <Text size="sm" truncate maw={160}>
                    {me.user.name}
                  </Text>
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.practice.name}
                  <br />
                  {me.user.roles.map((r) => ROLE_LABELS[r]).join(', ')}
                </Menu.Label>
                <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Container>
      </Box>
      <Drawer
        opened={opened}
        onClose={close}
        title="Release Desk"
        size="xs"
        hiddenFrom={fold}
        closeButtonProps={{ 'aria-label': 'Close the menu' }}
      >
        <Stack gap={4} component="nav" aria-label="Main">
          {places.map((p) => (
            <NavLink
              key={p.to}
              component={Link}
              to={p.to}
              label={p.label}
              active={isCurrent(p, pathname)}
              onClick={close}
            />
          ))}
          <NavLink component="button" label="Sign out" onClick={() => void signOut()} />
        </Stack>
      </Drawer>
      <Container size="lg" px="md" py="lg" component="main">
        <MailBanner />
        {children}
      </Container>
    </>
  );
}

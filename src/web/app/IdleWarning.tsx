// The idle timeout (rule SEC-4): the server ends a session after N minutes without a request. While
// the person works (typing, clicking) the app tells the server now and then; when nothing has
// happened for a while it warns two minutes before the end, and at the end it signs out here too,
// saying why. Whatever was typed in a form is still on the screen when the warning shows.
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { get, onServerContact } from '../api/client';
import { useInstance } from '../api/hooks';
import { useSignOut } from './session';

/** While the person works, the server hears from the app at least this often (SEC-4 counts requests). */
const KEEPALIVE_EVERY_MS = 60_000;

export function warningLeadMs(timeoutMs: number): number {
  return Math.min(2 * 60_000, timeoutMs / 4);
}

function mmss(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function IdleWarning() {
  const minutes = useInstance().data?.idleTimeoutMinutes ?? 15;
  const timeoutMs = minutes * 60_000;
  const signOut = useSignOut();
  const lastContact = useRef(Date.now());
  const lastInteraction = useRef(Date.now());
  const ended = useRef(false);
  const [left, setLeft] = useState<number | null>(null);
  const warning = left !== null;

  useEffect(
    () =>
      onServerContact(() => {
        lastContact.current = Date.now();
      }),
    [],
  );

  useEffect(() => {
    const touch = () => {
      if (!warning) lastInteraction.current = Date.now();
    };
    window.addEventListener('keydown', touch, { passive: true });
    window.addEventListener('pointerdown', touch, { passive: true });
    return () => {
      window.removeEventListener('keydown', touch);
      window.removeEventListener('pointerdown', touch);
    };
  }, [warning]);

  useEffect(() => {
    const timer = window.setInterval(() => {
      const now = Date.now();
      const idleFor = now - Math.max(lastContact.current, lastInteraction.current);
      const remaining = timeoutMs - idleFor;
      const lead = warningLeadMs(timeoutMs);
      if (
        !warning &&
        remaining > lead &&
        lastInteraction.current > lastContact.current &&
        now - lastContact.current > KEEPALIVE_EVERY_MS
      ) {
        void get('/api/auth/csrf').catch(() => {});
      } else if (remaining <= 0) {
        if (ended.current) return;
        ended.current = true;
        setLeft(null);
        void signOut(
          `You were signed out after ${minutes} minutes without activity. Sign in again to continue.`,
        );
      } else if (remaining <= lead) setLeft(remaining);
      else if (warning) setLeft(null);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [minutes, timeoutMs, signOut, warning]);

  const stay = () => {
    lastInteraction.current = Date.now();
    void get('/api/auth/csrf')
      .then(() => setLeft(null))
      .catch(() => {});
  };

  return (
    <Modal
      opened={warning}
      onClose={stay}
      title="Are you still there?"
      centered
      withCloseButton={false}
      closeOnClickOutside={false}
    >
      <Stack>
        <Text>
          Nothing has happened for a while. For the clients’ privacy you will be signed out in{' '}
          <strong>{mmss(left ?? 0)}</strong>.
        </Text>
        <Text size="sm" c="dimmed">
          Anything you have typed stays on the screen.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void signOut()}>
            Sign out now
          </Button>
          <Button onClick={stay} data-autofocus>
            Stay signed in
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

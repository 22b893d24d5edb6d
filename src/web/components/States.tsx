// Loading, error and empty states that say what is happening and what to do next.
import { Alert, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">Loading {what}…</Text>
      </Group>
    </Center>
  );
}

/** The server's own message, with the next step for the common cases. */
export function errorHint(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message;
    if (error.status === 403)
      return `${error.message} If you think you should have access, ask your administrator.`;
    if (error.status >= 500) return `${error.message} Try again in a moment.`;
    return error.message;
  }
  return 'Something unexpected happened. Reload the page and try again.';
}

export function ErrorState({
  error,
  onRetry,
  title,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  return (
    <Alert color="red" title={title ?? 'This could not be loaded'} role="alert">
      <Stack gap="sm">
        <Text size="sm">{errorHint(error)}</Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack gap="xs" align="flex-start">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children && <Text c="dimmed">{children}</Text>}
        {action}
      </Stack>
    </Paper>
  );
}

/** An API refusal shown at a form or action, keeping what was typed. */
export function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="Not saved">
      <Text size="sm">{errorHint(error)}</Text>
      <Text size="sm" c="dimmed" mt={4}>
        Nothing you typed was lost: correct it and try again.
      </Text>
    </Alert>
  );
}

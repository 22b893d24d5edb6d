// The practice's important notices on every request page. None are shipped: with an empty list an
// admin is prompted to write them, and everyone else sees nothing.
import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { usePractice } from '../api/hooks';
import { useSession } from '../app/session';

export function ImportantNotices() {
  const me = useSession();
  const practice = usePractice();
  const notices = practice.data?.settings.importantNotices ?? [];
  if (!practice.data) return null;
  if (notices.length === 0) {
    if (!me.abilities.includes('manage_settings')) return null;
    return (
      <Text size="sm" c="dimmed">
        Your practice has no important notices yet.{' '}
        <Anchor component={Link} to="/settings">
          Write them in Settings
        </Anchor>{' '}
        and they will show here and in each new request&rsquo;s instructions.
      </Text>
    );
  }
  return (
    <section aria-label="Important notices">
      <Alert color="blue" variant="light" title="Important notices" role="note">
        <Stack gap={6}>
          {notices.map((n) => (
            <div key={n.title}>
              <Text size="sm" fw={600}>
                {n.title}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {n.body}
              </Text>
            </div>
          ))}
        </Stack>
      </Alert>
    </section>
  );
}

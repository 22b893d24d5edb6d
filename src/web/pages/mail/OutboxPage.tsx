// The outbox (issue 5): every email with its delivery state; with no SMTP, the emails kept in the
// app. A confirmation code is never listed: support reveals it to read it out by phone (audited).
import { Badge, Button, Code, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { type OutboxEmail, useMailStatus, useOutbox, useReadCode } from '../../api/mail';
import { ActionError, EmptyState, ErrorState, Loading } from '../../components/States';
import { dateTime } from '../../lib/format';

const COLORS: Record<string, string> = {
  sent: 'green',
  retrying: 'yellow',
  failed: 'red',
  outbox: 'gray',
  queued: 'blue',
};

function CodeReveal({ email }: { email: OutboxEmail }) {
  const read = useReadCode();
  if (read.data) {
    return (
      <Stack gap={4}>
        <Text size="sm">
          Read this out by phone to {email.recipients.join(', ')} (your reading is in the audit log):
        </Text>
        <Code block>{read.data.text}</Code>
      </Stack>
    );
  }
  return (
    <Stack gap={4}>
      <Button size="xs" variant="light" onClick={() => read.mutate(email.id)} loading={read.isPending}>
        Show the code to read it out by phone
      </Button>
      <ActionError error={read.error} />
    </Stack>
  );
}

export function OutboxPage() {
  const [status, setStatus] = useState('all');
  const outbox = useOutbox(status === 'all' ? undefined : status);
  const mail = useMailStatus();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Outbox
        </Title>
        <Button component={Link} to="/mail/triage" variant="subtle">
          Triage{mail.data?.triage ? ` (${mail.data.triage})` : ''}
        </Button>
      </Group>
      {mail.data && (
        <Text c="dimmed" size="sm">
          {mail.data.delivering
            ? `Emails go out through ${mail.data.smtp} from ${mail.data.from}.`
            : 'Email is not set up (SMTP_URL): emails are kept here. Replies and codes can be given by phone.'}
        </Text>
      )}
      <SegmentedControl
        value={status}
        onChange={setStatus}
        aria-label="Show"
        data={[
          { value: 'all', label: 'All' },
          { value: 'outbox', label: 'Kept' },
          { value: 'retrying', label: 'Retrying' },
          { value: 'failed', label: 'Failed' },
          { value: 'sent', label: 'Sent' },
        ]}
      />
      {outbox.isPending && <Loading what="the outbox" />}
      {outbox.isError && <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />}
      {outbox.data?.length === 0 && <EmptyState title="No emails here" />}
      {outbox.data?.map((e) => (
        <Paper key={e.id} withBorder p="md" radius="md">
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap">
              <Text fw={600}>{e.subject}</Text>
              <Badge color={COLORS[e.status] ?? 'gray'} variant="light">
                {e.label}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              <Link to={`/requests/${e.requestId}`}>{e.requestNumber}</Link> · {e.thread} thread · to{' '}
              {e.recipients.join(', ') || 'nobody'} · {dateTime(e.createdAt)}
              {e.attempts > 0 ? ` · ${e.attempts} attempt(s)` : ''}
            </Text>
            {e.carriesCode ? (
              <CodeReveal email={e} />
            ) : (
              e.text && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {e.text}
                </Text>
              )
            )}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}

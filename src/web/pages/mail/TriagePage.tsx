// The triage queue (issue 5): mail from someone not on the thread, or matching no request, waits
// here for support; never dropped, never silently attached. Reading one is audited.
import { Button, Group, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { type TriageEmail, useResolveTriage, useTriage, useTriageItem } from '../../api/mail';
import { ActionError, EmptyState, ErrorState, Loading } from '../../components/States';
import { dateTime } from '../../lib/format';

function TriageItem({ email }: { email: TriageEmail }) {
  const [open, setOpen] = useState(false);
  const detail = useTriageItem(open ? email.id : null);
  const resolve = useResolveTriage();
  const [requestId, setRequestId] = useState(email.requestId ?? '');
  const [thread, setThread] = useState<'internal' | 'requester'>(
    (email.thread as 'internal' | 'requester') ?? 'requester',
  );
  const [reason, setReason] = useState('');
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{email.subject || '(no subject)'}</Text>
          <Text size="sm" c="dimmed">
            {dateTime(email.receivedAt)}
          </Text>
        </Group>
        <Text size="sm">
          From {email.fromName ? `${email.fromName} <${email.from}>` : (email.from ?? 'unknown')} ·{' '}
          {email.reason}
          {email.requestNumber ? ` · about ${email.requestNumber}` : ''}
        </Text>
        {!open && (
          <Button size="xs" variant="light" onClick={() => setOpen(true)} w="fit-content">
            Read it (recorded in the audit log)
          </Button>
        )}
        {detail.isPending && open && <Loading what="the message" />}
        {detail.data && (
          <Stack gap="xs">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {detail.data.text || '(no text)'}
            </Text>
            {detail.data.attachments.length > 0 && (
              <Text size="sm" c="dimmed">
                Attachments: {detail.data.attachments.map((a) => a.name).join(', ')}
              </Text>
            )}
            <Group align="flex-end">
              <TextInput
                label="Request id"
                value={requestId}
                onChange={(e) => setRequestId(e.currentTarget.value)}
                w={340}
              />
              <Radio.Group
                label="Thread"
                value={thread}
                onChange={(v) => setThread(v as 'internal' | 'requester')}
              >
                <Group gap="sm">
                  <Radio value="requester" label="Requester" />
                  <Radio value="internal" label="Internal" />
                </Group>
              </Radio.Group>
              <Button
                onClick={() => resolve.mutate({ id: email.id, action: 'attach', requestId, thread })}
                disabled={!requestId}
                loading={resolve.isPending}
              >
                Attach to the thread
              </Button>
            </Group>
            <Group align="flex-end">
              <TextInput
                label="Why set it aside"
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                w={340}
              />
              <Button
                variant="default"
                onClick={() => resolve.mutate({ id: email.id, action: 'dismiss', reason })}
                disabled={!reason.trim()}
              >
                Set aside
              </Button>
            </Group>
            <ActionError error={resolve.error} />
          </Stack>
        )}
        {detail.isError && <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />}
      </Stack>
    </Paper>
  );
}

export function TriagePage() {
  const triage = useTriage();
  return (
    <Stack>
      <Title order={1} size="h2">
        Mail triage
      </Title>
      <Text c="dimmed" size="sm">
        Mail from someone who is not on the thread, or that matched no request. Attach it to a request's
        thread, or set it aside; nothing here reaches a thread by itself.
      </Text>
      {triage.isPending && <Loading what="the triage queue" />}
      {triage.isError && <ErrorState error={triage.error} onRetry={() => void triage.refetch()} />}
      {triage.data?.length === 0 && (
        <EmptyState title="Nothing waiting">Every email found its thread.</EmptyState>
      )}
      {triage.data?.map((e) => (
        <TriageItem key={e.id} email={e} />
      ))}
    </Stack>
  );
}

// The internal thread: the instructions posted for each step, and the team's messages.
import { Avatar, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { postMessageSchema } from '../../../shared/schemas/request-actions';
import type { RequestDetails } from '../../api/types';
import { EmptyState } from '../../components/States';
import { dateTime } from '../../lib/format';
import { SubmitRow } from './forms/common';
import { useActionForm } from './forms/useActionForm';

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w) && !/^(Dr|Mr|Ms|Mrs)\.?$/.test(w))
    .slice(0, 2)
    .map((w) => w[0])
    .join('');

export function ThreadPanel({ request }: { request: RequestDetails }) {
  const messages = request.thread.filter((m) => m.thread === 'internal');
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: 'messages',
    schema: postMessageSchema,
    initialValues: { body: '' },
    toBody: (v) => ({ thread: 'internal', body: v.body }),
  });
  const canPost = request.abilities.includes('post_internal_message');
  return (
    <Stack gap="sm">
      {messages.length === 0 && (
        <EmptyState title="No messages yet">
          The instructions for each step are posted here as the request moves on.
        </EmptyState>
      )}
      {messages.map((m) => (
        <Paper key={m.id} withBorder radius="md" p="sm" component="article">
          <Group gap="sm" align="flex-start" wrap="nowrap">
            <Avatar color={m.author ? 'desk' : 'gray'} radius="xl" size="sm" aria-hidden>
              {m.author ? initials(m.author.name) : 'RD'}
            </Avatar>
            <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
              <Group gap={6}>
                <Text size="sm" fw={600}>
                  {m.author?.name ?? 'Release Desk'}
                </Text>
                <Text size="xs" c="dimmed">
                  {dateTime(m.createdAt)}
                </Text>
              </Group>
              {m.subject && (
                <Text size="sm" fw={500}>
                  {m.subject}
                </Text>
              )}
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {m.body}
              </Text>
            </Stack>
          </Group>
        </Paper>
      ))}
      {canPost && (
        <form onSubmit={submit} noValidate aria-label="Post to the internal thread">
          <Stack gap="xs">
            <Textarea
              label="Message to the team"
              description="Seen by staff working on this request; never by the requester."
              autosize
              minRows={2}
              {...form.getInputProps('body')}
            />
            <SubmitRow label="Post" pending={action.isPending} error={action.error} />
          </Stack>
        </form>
      )}
    </Stack>
  );
}

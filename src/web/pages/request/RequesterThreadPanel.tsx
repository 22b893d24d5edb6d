// The requester thread on the staff request page (issue 7): what the practice told the requester,
// what the requester wrote back from the portal or by email, each email's delivery state, and a reply
// form for those whose abilities allow it (the post-message policy decides, never a role). Bodies are
// plain text: React renders any markup inert. The order is the server's (created time, then id).
import { Avatar, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { postMessageSchema } from '../../../shared/schemas/request-actions';
import { mailKeys } from '../../api/mail';
import type { RequestDetails, ThreadMessage } from '../../api/types';
import { EmptyState } from '../../components/States';
import { dateTime } from '../../lib/format';
import { DeliveryBadge } from '../mail/DeliveryBadges';
import { SubmitRow } from './forms/common';
import { useActionForm } from './forms/useActionForm';

/** Kinds whose email carried a code: the code is read only from the Outbox (audited), never here. */
const CODE_KINDS = ['secure_link_code', 'portal_code'];
const FROM_REQUESTER = ['portal_message', 'email_reply'];

function writer(m: ThreadMessage, requesterName: string): string {
  if (m.author) return m.author.name;
  if (FROM_REQUESTER.includes(m.kind)) return `${requesterName} (requester)`;
  return 'Release Desk';
}

function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w) && !/^(Dr|Mr|Ms|Mrs)\.?$/.test(w))
    .slice(0, 2)
    .map((w) => w[0])
    .join('');
}

export function RequesterThreadPanel({ request }: { request: RequestDetails }) {
  const messages = request.thread.filter((m) => m.thread === 'requester');
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: 'messages',
    schema: postMessageSchema,
    initialValues: { body: '' },
    toBody: (v) => ({ thread: 'requester', body: v.body }),
  });
  const canPost = request.abilities.includes('post_requester_message');
  // A sent reply clears the box once (the mutation is reset, so later typing stays) and fetches the
  // delivery state again, so the new email's badge shows.
  const qc = useQueryClient();
  const { isSuccess, reset } = action;
  const { setFieldValue } = form;
  useEffect(() => {
    if (!isSuccess) return;
    setFieldValue('body', '');
    reset();
    void qc.invalidateQueries({ queryKey: mailKeys.request(request.id) });
  }, [isSuccess, reset, setFieldValue, qc, request.id]);
  return (
    <Stack gap="sm">
      {messages.length === 0 && (
        <EmptyState title="No messages with the requester yet">
          What the practice tells the requester, and what they write back from the portal or by email, shows
          here.
        </EmptyState>
      )}
      {messages.map((m) => {
        const name = writer(m, request.requester.name);
        const fromRequester = !m.author && FROM_REQUESTER.includes(m.kind);
        return (
          <Paper
            key={m.id}
            withBorder
            radius="md"
            p="sm"
            component="article"
            aria-label={`Message from ${name}`}
            bg={fromRequester ? 'var(--mantine-color-gray-0)' : undefined}
          >
            <Group gap="sm" align="flex-start" wrap="nowrap">
              <Avatar
                color={m.author ? 'desk' : fromRequester ? 'teal' : 'gray'}
                radius="xl"
                size="sm"
                aria-hidden
              >
                {m.author || fromRequester ? initialsOf(name) : 'RD'}
              </Avatar>
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Group gap={6}>
                  <Text size="sm" fw={600}>
                    {name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {dateTime(m.createdAt)}
                  </Text>
                  <DeliveryBadge requestId={request.id} threadMessageId={m.id} />
                </Group>
                {m.subject && (
                  <Text size="sm" fw={500}>
                    {m.subject}
                  </Text>
                )}
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {CODE_KINDS.includes(m.kind)
                    ? 'A code was sent to the recipient by email. To read it out by phone, use the Outbox (each reading is recorded).'
                    : m.body}
                </Text>
              </Stack>
            </Group>
          </Paper>
        );
      })}
      {canPost && (
        <form onSubmit={submit} noValidate aria-label="Reply to the requester">
          <Stack gap="xs">
            <Textarea
              label="Reply to the requester"
              description="The requester reads it on their status page; their email says a message waits, without the text."
              autosize
              minRows={2}
              {...form.getInputProps('body')}
            />
            <SubmitRow label="Send to requester" pending={action.isPending} error={action.error} />
          </Stack>
        </form>
      )}
    </Stack>
  );
}

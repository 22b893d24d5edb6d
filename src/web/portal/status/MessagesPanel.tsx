// The requester thread: what the practice wrote and what the requester sent, as plain text (React
// renders it as text: anything that looks like markup stays inert), and a box to write to them.
import { Box, Button, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalStatus } from '../../../shared/schemas/portal';
import { postJson } from '../api';
import { when } from './parts';

export function MessagesPanel({ status, onSent }: { status: PortalStatus; onSent: () => void }) {
  const { t, i18n } = useTranslation('status');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await postJson(`/api/portal/requests/${encodeURIComponent(status.requestNumber)}/messages`, { body });
      setBody('');
      setSent(true);
      onSent();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="messages-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="messages-heading">
          {t('messages.heading')}
        </Title>
        {status.messages.length === 0 && <Text>{t('messages.empty')}</Text>}
        <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {status.messages.map((m) => (
            <Box
              component="li"
              key={m.id}
              p="sm"
              bg={m.fromYou ? 'desk.0' : 'gray.0'}
              style={{
                borderRadius: 8,
                marginLeft: m.fromYou ? '10%' : 0,
                marginRight: m.fromYou ? 0 : '10%',
              }}
            >
              <Text size="sm" fw={600}>
                {m.fromYou ? t('messages.you') : m.author}{' '}
                <Text span size="sm" c="dimmed" fw={400}>
                  · {when(m.at, i18n.language)}
                </Text>
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.body}</Text>
            </Box>
          ))}
        </Stack>
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <Textarea
              label={t('messages.label', { name: status.practice.name })}
              description={t('messages.hint')}
              value={body}
              onChange={(e) => {
                setBody(e.currentTarget.value);
                setSent(false);
              }}
              autosize
              minRows={3}
              maxLength={4000}
              error={error ?? undefined}
            />
            <Button type="submit" loading={busy} disabled={!body.trim()}>
              {t('messages.send')}
            </Button>
            <Text size="sm" role="status" aria-live="polite">
              {sent ? t('messages.sent') : ''}
            </Text>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}

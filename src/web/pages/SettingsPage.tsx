// The admin's practice settings: the important notices (the practice's own words, shown on every
// request page and posted with each new request's instructions; nothing is pre-written), the
// practice and its privacy officer, and the steps' durations, the escalation ladder and the target.
import { Alert, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { lazy, Suspense, useEffect, useState } from 'react';
import { importantNoticeSchema } from '../../shared/schemas/practice-settings';
import { usePractice, useUpdatePractice } from '../api/hooks';
import type { ImportantNoticeView } from '../api/types';
import { useSession } from '../app/session';
import { ActionError, EmptyState, ErrorState, Loading } from '../components/States';
import { PolicyForm, PracticeDetailsForm } from './admin/PracticeForms';

// Issue 5: the emails' words, edited on their own screen (loaded when opened).
const TemplatesPage = lazy(() => import('./mail/TemplatesPage').then((m) => ({ default: m.TemplatesPage })));

function EmailTemplatesLink() {
  const [open, setOpen] = useState(false);
  if (open) {
    return (
      <Suspense fallback={<Loading what="the email templates" />}>
        <TemplatesPage embedded />
      </Suspense>
    );
  }
  return (
    <Button variant="light" onClick={() => setOpen(true)}>
      Edit the email templates
    </Button>
  );
}

function NoticesEditor({ saved }: { saved: ImportantNoticeView[] }) {
  const update = useUpdatePractice();
  const [notices, setNotices] = useState<ImportantNoticeView[]>(saved);
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [done, setDone] = useState(false);
  useEffect(() => setNotices(saved), [saved]);

  const change = (i: number, field: keyof ImportantNoticeView, value: string) => {
    setDone(false);
    setNotices((list) => list.map((n, j) => (j === i ? { ...n, [field]: value } : n)));
  };
  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const found: Record<number, string> = {};
    notices.forEach((n, i) => {
      const parsed = importantNoticeSchema.safeParse(n);
      if (!parsed.success) found[i] = parsed.error.issues.map((x) => x.message).join('; ');
    });
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    update.mutate({ settings: { importantNotices: notices } }, { onSuccess: () => setDone(true) });
  };

  return (
    <form onSubmit={save} aria-label="Important notices">
      <Stack gap="sm">
        {notices.length === 0 && (
          <Text size="sm" c="dimmed">
            No notices yet. Add the notes every request should carry, for example who handles court papers or
            how to reach the privacy officer after hours.
          </Text>
        )}
        {notices.map((n, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: notices have no id; their position is their identity while editing
          <Paper key={i} withBorder radius="md" p="sm">
            <Stack gap="xs">
              <TextInput
                label={`Notice ${i + 1}: title`}
                value={n.title}
                onChange={(e) => change(i, 'title', e.currentTarget.value)}
                maxLength={120}
              />
              <Textarea
                label={`Notice ${i + 1}: text`}
                value={n.body}
                onChange={(e) => change(i, 'body', e.currentTarget.value)}
                autosize
                minRows={2}
                maxLength={4000}
                error={problems[i]}
              />
              <Group justify="flex-end">
                <Button
                  variant="subtle"
                  color="red"
                  size="xs"
                  onClick={() => {
                    setDone(false);
                    setNotices((list) => list.filter((_, j) => j !== i));
                  }}
                >
                  Remove notice {i + 1}
                </Button>
              </Group>
            </Stack>
          </Paper>
        ))}
        <ActionError error={update.error} />
        {done && (
          <Alert color="green" withCloseButton={false}>
            Saved. The notices show on every request page and go with each new request&rsquo;s instructions.
          </Alert>
        )}
        <Group justify="space-between">
          <Button
            variant="light"
            onClick={() => setNotices((list) => [...list, { title: '', body: '' }])}
            disabled={notices.length >= 20}
          >
            Add a notice
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save the notices
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function SettingsPage() {
  const me = useSession();
  const practice = usePractice();
  if (!me.abilities.includes('manage_settings')) {
    return (
      <EmptyState title="Settings are for administrators">
        Ask your practice&rsquo;s administrator if something here needs to change.
      </EmptyState>
    );
  }
  if (practice.isPending) return <Loading what="the settings" />;
  if (practice.isError) return <ErrorState error={practice.error} onRetry={() => void practice.refetch()} />;
  return (
    <Stack gap="md" maw={960}>
      <Title order={1} size="h2">
        Settings
      </Title>
      <Paper withBorder radius="md" p="md">
        <Title order={2} size="h4" mb={4}>
          Important notices
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          In your practice&rsquo;s own words. They show on every request page and are posted with the first
          instructions on each new request&rsquo;s thread.
        </Text>
        <NoticesEditor saved={practice.data.settings.importantNotices} />
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Title order={2} size="h4" mb="sm">
          The practice
        </Title>
        <PracticeDetailsForm practice={practice.data} />
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Title order={2} size="h4" mb={4}>
          Steps and deadlines
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          How long each step may take before it is late, who is told when it is, and the practice&rsquo;s own
          target where the law sets no date.
        </Text>
        <PolicyForm practice={practice.data} />
      </Paper>
      <Paper withBorder radius="md" p="md" id="email-templates">
        <Title order={2} size="h4" mb={4}>
          Email templates
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          The words of the instructions to staff and of the messages to requesters, with a preview.
        </Text>
        <EmailTemplatesLink />
      </Paper>
    </Stack>
  );
}

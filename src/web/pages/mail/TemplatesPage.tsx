// Email templates (issue 5, admin): the practice's own words for the instructions email and the
// requester notices. Each template lists its placeholders; an unknown one is refused by the server
// naming it (REL-2, SEC-5: none carries health information). The preview renders the words against a
// made-up sample request, never a real one.
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  type MailTemplate,
  useMailTemplates,
  usePreviewMailTemplate,
  useSaveMailTemplate,
} from '../../api/mail';
import { useSession } from '../../app/session';
import { ActionError, EmptyState, ErrorState, Loading } from '../../components/States';

function TemplateEditor({ template, embedded }: { template: MailTemplate; embedded: boolean }) {
  const current = template.custom ?? template.default;
  const [subject, setSubject] = useState(current.subject);
  const [text, setText] = useState(current.text);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useSaveMailTemplate();
  const preview = usePreviewMailTemplate();
  useEffect(() => {
    setSubject(current.subject);
    setText(current.text);
  }, [current.subject, current.text]);

  const idBase = `template-${template.key}`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby={`${idBase}-title`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={embedded ? 3 : 2} size="h5" id={`${idBase}-title`}>
            {template.label}
          </Title>
          <Badge color={template.custom ? 'blue' : 'gray'} variant="light">
            {template.custom ? "The practice's words" : 'Shipped words'}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Placeholders:{' '}
          {template.placeholders.map((p) => (
            <Code key={p} mr={4}>{`{{${p}}}`}</Code>
          ))}
        </Text>
        <TextInput
          label="Subject"
          value={subject}
          maxLength={300}
          onChange={(e) => {
            setSaved(null);
            setSubject(e.currentTarget.value);
          }}
        />
        <Textarea
          label="Text"
          value={text}
          autosize
          minRows={5}
          maxLength={8000}
          onChange={(e) => {
            setSaved(null);
            setText(e.currentTarget.value);
          }}
        />
        <ActionError error={save.error ?? preview.error} />
        {saved && (
          <Alert color="green" withCloseButton={false}>
            {saved}
          </Alert>
        )}
        <Group justify="space-between">
          <Button
            variant="light"
            onClick={() => preview.mutate({ key: template.key, subject, text })}
            loading={preview.isPending}
          >
            Preview on a sample request
          </Button>
          <Group>
            {template.custom && (
              <Button
                variant="subtle"
                color="red"
                loading={save.isPending}
                onClick={() =>
                  save.mutate(
                    { key: template.key, template: null },
                    { onSuccess: () => setSaved('Back to the shipped words.') },
                  )
                }
              >
                Use the shipped words
              </Button>
            )}
            <Button
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { key: template.key, template: { subject, text } },
                  { onSuccess: () => setSaved('Saved. The next emails use these words.') },
                )
              }
            >
              Save
            </Button>
          </Group>
        </Group>
        {preview.data && (
          <Paper withBorder radius="sm" p="sm" bg="gray.0" aria-label={`Preview: ${template.label}`}>
            <Text size="xs" c="dimmed">
              Sample request R-2027-0042 (made up: no client&rsquo;s data)
            </Text>
            <Text fw={600} size="sm">
              {preview.data.subject}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {preview.data.text}
            </Text>
          </Paper>
        )}
      </Stack>
    </Paper>
  );
}

/** The screen; `embedded` in the Settings page, under its own heading (one h1 per page). */
export function TemplatesPage({ embedded = false }: { embedded?: boolean }) {
  const me = useSession();
  const templates = useMailTemplates();
  if (!me.abilities.includes('manage_settings')) {
    return (
      <EmptyState title="Email templates are for administrators">
        Ask your practice&rsquo;s administrator if an email&rsquo;s words need to change.
      </EmptyState>
    );
  }
  if (templates.isPending) return <Loading what="the email templates" />;
  if (templates.isError)
    return <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />;
  return (
    <Stack gap="md" maw={960}>
      {!embedded && (
        <Title order={1} size="h2">
          Email templates
        </Title>
      )}
      <Text size="sm" c="dimmed">
        The words of the emails Release Desk sends: the instructions to staff and the plain-language messages
        to requesters. Never put health information in them: the placeholders carry only the request number,
        dates, the fee, links and how to reach the practice.
      </Text>
      {templates.data.map((t) => (
        <TemplateEditor key={t.key} template={t} embedded={embedded} />
      ))}
    </Stack>
  );
}

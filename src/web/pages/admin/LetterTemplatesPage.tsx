// The practice's own templates for letters, reports and verbal-discussion notes (issue 6, procedure
// step 4), for an administrator: the list, add one, change one or stop offering it. Therapists pick
// them on a request's Letters & notes tab beside the built-in ones, with the request's facts filled in.
import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { DRAFT_KIND_LABELS, type PracticeTemplateView } from '../../../shared/schemas/drafts';
import { useSession } from '../../app/session';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { dateTime } from '../../lib/format';
import { LetterTemplateForm } from './LetterTemplateForm';
import { useLetterTemplates } from './letter-templates-api';

type Editing = { template: PracticeTemplateView | null } | null;

function TemplateRows({
  templates,
  onEdit,
}: {
  templates: PracticeTemplateView[];
  onEdit: (t: PracticeTemplateView) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing="sm" aria-label="The practice’s templates">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Writes</Table.Th>
            <Table.Th scope="col">Offered</Table.Th>
            <Table.Th scope="col">Last changed</Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Change</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {templates.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t.label}
                </Text>
                {t.description && (
                  <Text size="sm" c="dimmed">
                    {t.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{DRAFT_KIND_LABELS[t.kind]}</Text>
              </Table.Td>
              <Table.Td>
                {t.active ? (
                  <Badge color="green" variant="light">
                    Offered
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light">
                    Not offered
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {dateTime(t.updatedAt)} by {t.updatedBy.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Button variant="light" size="xs" onClick={() => onEdit(t)} aria-label={`Change ${t.label}`}>
                  Change
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function LetterTemplatesPage() {
  const me = useSession();
  const list = useLetterTemplates();
  const [editing, setEditing] = useState<Editing>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (!me.abilities.includes('manage_settings')) {
    return (
      <EmptyState title="Letter templates">
        Only an administrator can add or change the practice’s templates.
      </EmptyState>
    );
  }
  const close = () => setEditing(null);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">
          Letter templates
        </Title>
        {list.data && (
          <Button
            onClick={() => {
              setSaved(null);
              setEditing({ template: null });
            }}
          >
            Add a template
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        Your practice&rsquo;s own starting points for letters, reports and notes for a verbal discussion.
        Therapists choose them on a request&rsquo;s Letters &amp; notes tab, beside the ones that come with
        Release Desk; the client&rsquo;s name, the recipient and the other facts are filled in from the
        request, and the supervisor reviews every letter before it goes out.
      </Text>
      {saved && (
        <Alert
          color="green"
          role="status"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setSaved(null)}
        >
          Saved “{saved}”.
        </Alert>
      )}
      {list.isPending && <Loading what="the templates" />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.templates.length === 0 && (
        <EmptyState title="No templates of your own yet">
          The built-in templates (a treatment summary, letters to a court, a school or an employer, and notes
          for a verbal discussion) are always offered. Add your own for the letters your practice writes
          often.
        </EmptyState>
      )}
      {list.data && list.data.templates.length > 0 && (
        <TemplateRows
          templates={list.data.templates}
          onEdit={(t) => {
            setSaved(null);
            setEditing({ template: t });
          }}
        />
      )}
      <Modal
        opened={editing !== null}
        onClose={close}
        size="xl"
        closeButtonProps={{ 'aria-label': 'Close without saving' }}
        title={editing?.template ? `Change “${editing.template.label}”` : 'Add a template'}
      >
        {editing && list.data && (
          <LetterTemplateForm
            template={editing.template}
            placeholders={list.data.placeholders}
            onDone={close}
            onSaved={(label) => setSaved(label)}
          />
        )}
      </Modal>
    </Stack>
  );
}

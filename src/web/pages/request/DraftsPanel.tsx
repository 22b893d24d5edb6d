// "Letters & notes" (issue 6, procedure step 4): the letters and reports the therapist writes from
// the practice's templates, and the notes that prepare a verbal discussion. The preparer starts one,
// edits it and saves versions, then sends one to the supervisor; the supervisor reads it, comments,
// asks for changes or approves. Every version and comment stays in the history. What shows comes
// from the drafts' abilities, never from roles.
import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  DRAFT_KIND_LABELS,
  DRAFT_VERSION_STATE_LABELS,
  type DraftAbility,
  type DraftVersionState,
  type DraftVersionView,
  type DraftView,
} from '../../../shared/schemas/drafts';
import { draftPdfUrl, useDrafts } from '../../api/drafts';
import { ErrorState, Loading } from '../../components/States';
import { dateTime } from '../../lib/format';
import { ApproveForm, ReviewForm, SaveVersionForm, SendVersionButton, StartDraftForm } from './DraftsForms';

const STATE_COLOR: Record<DraftVersionState, string> = {
  draft: 'gray',
  submitted: 'blue',
  changes_requested: 'orange',
  approved: 'green',
};

function Words({ version }: { version: DraftVersionView }) {
  return (
    <Stack gap={4}>
      <Text fw={600}>{version.title}</Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {version.body}
      </Text>
    </Stack>
  );
}

function Comments({ version }: { version: DraftVersionView }) {
  if (version.comments.length === 0) return null;
  return (
    <Stack gap={4} component="section" aria-label={`Comments on version ${version.number}`}>
      {version.comments.map((c) => (
        <Paper key={c.id} bg="gray.0" p="xs" radius="sm">
          <Text size="sm" fw={500}>
            {c.kind === 'changes_requested' ? 'Changes asked for' : 'Comment'} · {c.author.name},{' '}
            {dateTime(c.createdAt)}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.body}
          </Text>
        </Paper>
      ))}
    </Stack>
  );
}

function VersionLine({ requestId, draftId, v }: { requestId: string; draftId: string; v: DraftVersionView }) {
  return (
    <Group justify="space-between" gap="xs">
      <Text size="xs" c="dimmed">
        Version {v.number} by {v.author.name}, {dateTime(v.createdAt)}
        {v.submittedAt ? ` · sent ${dateTime(v.submittedAt)}` : ''}
        {v.decidedBy && v.decidedAt
          ? ` · ${v.state === 'approved' ? 'approved' : 'answered'} by ${v.decidedBy.name}, ${dateTime(v.decidedAt)}`
          : ''}
      </Text>
      <Anchor href={draftPdfUrl(requestId, draftId, v.id)} size="sm" target="_blank">
        {v.fileId
          ? `Approved PDF (version ${v.number})`
          : v.state === 'approved'
            ? 'Approved notes as PDF'
            : 'Preview as PDF'}
      </Anchor>
    </Group>
  );
}

function DraftCard({
  requestId,
  draft,
  can,
}: {
  requestId: string;
  draft: DraftView;
  can: (a: DraftAbility) => boolean;
}) {
  const [mode, setMode] = useState<'none' | 'edit' | 'comment' | 'changes'>('none');
  const latest = draft.versions[0]!;
  const earlier = draft.versions.slice(1);
  const kindLabel = DRAFT_KIND_LABELS[draft.kind];
  const withSupervisor = latest.state === 'submitted';
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-label={`${draft.templateLabel}`}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={3} size="h5">
            {draft.templateLabel}{' '}
            <Text span c="dimmed" size="sm">
              ({kindLabel.toLowerCase()})
            </Text>
          </Title>
          <Badge color={STATE_COLOR[latest.state]} variant="light" radius="sm">
            Version {latest.number}: {DRAFT_VERSION_STATE_LABELS[latest.state]}
          </Badge>
        </Group>
        <VersionLine requestId={requestId} draftId={draft.id} v={latest} />
        {mode === 'edit' ? (
          <SaveVersionForm
            requestId={requestId}
            draftId={draft.id}
            from={latest}
            onDone={() => setMode('none')}
          />
        ) : (
          <Words version={latest} />
        )}
        <Comments version={latest} />
        {latest.state === 'changes_requested' && can('write_version') && mode !== 'edit' && (
          <Text size="sm" fw={500}>
            The supervisor asked for changes: write a new version that answers them.
          </Text>
        )}
        {can('write_version') && mode === 'none' && (
          <Group justify="flex-end" gap="sm">
            {!withSupervisor && (
              <Button variant="light" onClick={() => setMode('edit')}>
                Edit and save as version {latest.number + 1}
              </Button>
            )}
          </Group>
        )}
        {can('submit_version') && latest.state === 'draft' && mode === 'none' && (
          <SendVersionButton requestId={requestId} draftId={draft.id} version={latest} />
        )}
        {withSupervisor && !can('review_version') && (
          <Text size="sm" c="dimmed">
            With the supervisor: a new version can be written once they answer.
          </Text>
        )}
        {can('review_version') && withSupervisor && (
          <Paper withBorder radius="sm" p="sm" component="section" aria-label="Review this version">
            <Stack gap="xs">
              <Title order={4} size="h6">
                Your review of version {latest.number}
              </Title>
              {mode === 'comment' || mode === 'changes' ? (
                <ReviewForm
                  requestId={requestId}
                  draftId={draft.id}
                  version={latest}
                  mode={mode}
                  onDone={() => setMode('none')}
                />
              ) : (
                <>
                  <ApproveForm
                    requestId={requestId}
                    draftId={draft.id}
                    version={latest}
                    kindLabel={kindLabel}
                  />
                  <Group justify="flex-end" gap="sm">
                    <Button variant="subtle" onClick={() => setMode('comment')}>
                      Comment…
                    </Button>
                    <Button variant="light" color="orange" onClick={() => setMode('changes')}>
                      Ask for changes…
                    </Button>
                  </Group>
                </>
              )}
            </Stack>
          </Paper>
        )}
        {earlier.length > 0 && (
          <Accordion variant="contained" radius="md" chevronPosition="left">
            <Accordion.Item value="history">
              <Accordion.Control>Earlier versions ({earlier.length})</Accordion.Control>
              <Accordion.Panel>
                <Stack gap="md">
                  {earlier.map((v) => (
                    <Stack key={v.id} gap={6} component="section" aria-label={`Version ${v.number}`}>
                      <Group gap="xs">
                        <Badge color={STATE_COLOR[v.state]} variant="light" radius="sm">
                          Version {v.number}: {DRAFT_VERSION_STATE_LABELS[v.state]}
                        </Badge>
                        {v.superseded && v.state === 'approved' && (
                          <Text size="xs" c="dimmed">
                            replaced by a later version: not released
                          </Text>
                        )}
                      </Group>
                      <VersionLine requestId={requestId} draftId={draft.id} v={v} />
                      <Words version={v} />
                      <Comments version={v} />
                    </Stack>
                  ))}
                </Stack>
              </Accordion.Panel>
            </Accordion.Item>
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}

export function DraftsPanel({ requestId }: { requestId: string }) {
  const drafts = useDrafts(requestId);
  if (drafts.isPending) return <Loading what="the letters and notes" />;
  if (drafts.isError) return <ErrorState error={drafts.error} onRetry={() => void drafts.refetch()} />;
  const { drafts: list, templates, abilities, outstanding } = drafts.data;
  const can = (a: DraftAbility) => abilities.includes(a);
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Letters & notes
      </Title>
      {outstanding.length > 0 && (
        <Alert color="yellow" title="Before what was prepared can be approved">
          <List size="sm" spacing={4}>
            {outstanding.map((o) => (
              <List.Item key={o}>{o}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {list.length === 0 && (
        <Text size="sm" c="dimmed">
          No letter, report or notes yet.
          {can('create_draft') ? ' Start one from a template below.' : ''}
        </Text>
      )}
      {list.map((d) => (
        <DraftCard key={d.id} requestId={requestId} draft={d} can={can} />
      ))}
      {can('create_draft') && templates.length > 0 && (
        <Paper withBorder radius="md" p="md" component="section" aria-label="Start from a template">
          <Title order={3} size="h5" mb="xs">
            Start from a template
          </Title>
          <StartDraftForm requestId={requestId} templates={templates} />
        </Paper>
      )}
    </Stack>
  );
}

// The forms of "Letters & notes": start a document from a template, save a new version, and the
// supervisor's comment, approval and request for changes. Each checks its body with the shared zod
// schema before sending and shows the server's refusal at the field it names.
import { Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import {
  createDraftSchema,
  type DraftTemplateView,
  type DraftVersionView,
  draftApproveSchema,
  draftChangesSchema,
  draftCommentSchema,
  saveDraftVersionSchema,
} from '../../../shared/schemas/drafts';
import { useCreateDraft, useSaveDraftVersion, useVersionAction } from '../../api/drafts';
import { ActionError } from '../../components/States';
import { blankToNull } from '../../lib/form-errors';
import { SubmitRow } from './forms/common';
import { useRecordForm } from './forms/useRecordForm';

export function StartDraftForm({
  requestId,
  templates,
}: {
  requestId: string;
  templates: DraftTemplateView[];
}) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useCreateDraft(requestId),
    schema: createDraftSchema,
    initialValues: { template: templates[0]?.key ?? '', recipient: '', purpose: '' },
    toBody: (v) => ({
      template: v.template,
      recipient: blankToNull(v.recipient),
      purpose: blankToNull(v.purpose),
    }),
    onSaved: () => form.reset(),
  });
  const chosen = templates.find((t) => t.key === form.values.template);
  return (
    <form onSubmit={submit} noValidate aria-label="Start from a template">
      <Stack gap="xs">
        <Select
          label="Template"
          required
          allowDeselect={false}
          data={templates.map((t) => ({ value: t.key, label: t.label }))}
          {...form.getInputProps('template')}
        />
        {chosen && (
          <Text size="sm" c="dimmed">
            {chosen.description}
          </Text>
        )}
        <TextInput
          label="Who it is for"
          description="Leave empty to use the requester named on the request."
          {...form.getInputProps('recipient')}
        />
        <TextInput
          label="Purpose"
          description="Leave empty to use the purpose on the request."
          {...form.getInputProps('purpose')}
        />
        <SubmitRow label="Start writing" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

export function SaveVersionForm({
  requestId,
  draftId,
  from,
  onDone,
}: {
  requestId: string;
  draftId: string;
  from: DraftVersionView;
  onDone: () => void;
}) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useSaveDraftVersion(requestId, draftId),
    schema: saveDraftVersionSchema,
    initialValues: { title: from.title, body: from.body },
    toBody: (v) => ({ title: v.title, body: v.body }),
    onSaved: onDone,
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Write a new version">
      <Stack gap="xs">
        <TextInput label="Title" required {...form.getInputProps('title')} />
        <Textarea
          label="Text"
          description="Leave a blank line between paragraphs. Replace every [bracketed] note with your own words."
          required
          autosize
          minRows={10}
          maxRows={30}
          {...form.getInputProps('body')}
        />
        <SubmitRow
          label={`Save as version ${from.number + 1}`}
          pending={mutation.isPending}
          error={mutation.error}
        >
          <Button variant="subtle" color="gray" onClick={onDone}>
            Cancel
          </Button>
        </SubmitRow>
      </Stack>
    </form>
  );
}

export function SendVersionButton({
  requestId,
  draftId,
  version,
}: {
  requestId: string;
  draftId: string;
  version: DraftVersionView;
}) {
  const send = useVersionAction(requestId, draftId, version.id, 'submit');
  return (
    <Stack gap="xs">
      <ActionError error={send.error} />
      <Group justify="flex-end">
        <Button onClick={() => send.mutate({})} loading={send.isPending}>
          Send version {version.number} to the supervisor
        </Button>
      </Group>
    </Stack>
  );
}

type ReviewMode = 'comment' | 'changes';

export function ReviewForm({
  requestId,
  draftId,
  version,
  mode,
  onDone,
}: {
  requestId: string;
  draftId: string;
  version: DraftVersionView;
  mode: ReviewMode;
  onDone: () => void;
}) {
  const comment = useVersionAction(
    requestId,
    draftId,
    version.id,
    mode === 'comment' ? 'comments' : 'changes',
  );
  const { form, submit, mutation } = useRecordForm({
    mutation: comment,
    schema: mode === 'comment' ? draftCommentSchema : draftChangesSchema,
    initialValues: { text: '' },
    toBody: (v) => (mode === 'comment' ? { body: v.text } : { reason: v.text }),
    fieldFor: () => 'text',
    onSaved: onDone,
  });
  return (
    <form onSubmit={submit} noValidate aria-label={mode === 'comment' ? 'Comment' : 'Ask for changes'}>
      <Stack gap="xs">
        <Textarea
          label={mode === 'comment' ? 'Your comment' : 'What should change, and why'}
          required
          autosize
          minRows={3}
          {...form.getInputProps('text')}
        />
        <SubmitRow
          label={mode === 'comment' ? 'Add the comment' : 'Ask for changes'}
          pending={mutation.isPending}
          error={mutation.error}
        >
          <Button variant="subtle" color="gray" onClick={onDone}>
            Cancel
          </Button>
        </SubmitRow>
      </Stack>
    </form>
  );
}

export function ApproveForm({
  requestId,
  draftId,
  version,
  kindLabel,
}: {
  requestId: string;
  draftId: string;
  version: DraftVersionView;
  kindLabel: string;
}) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useVersionAction(requestId, draftId, version.id, 'approval'),
    schema: draftApproveSchema,
    initialValues: { comment: '' },
    toBody: (v) => ({ comment: blankToNull(v.comment) }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Approve">
      <Stack gap="xs">
        <TextInput label="A note with your approval (optional)" {...form.getInputProps('comment')} />
        <Group justify="flex-end">
          <Text size="sm" c="dimmed">
            {kindLabel === 'Notes for a verbal discussion'
              ? 'Approved notes let the discussion go ahead.'
              : 'The approved version becomes a PDF with the letterhead, ready for the packet.'}
          </Text>
        </Group>
        <SubmitRow
          label={`Approve version ${version.number}`}
          pending={mutation.isPending}
          error={mutation.error}
        />
      </Stack>
    </form>
  );
}

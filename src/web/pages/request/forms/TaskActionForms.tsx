// What may be done to a task itself (from the task's own abilities): wait on the requester (the step
// clock pauses, the legal clock does not; TIME-1), resume, or hand it to someone else.
import { Button, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { reassignTaskSchema, waitOnRequesterSchema } from '../../../../shared/schemas/request-actions';
import { useMe, useRequestAction } from '../../../api/hooks';
import type { RequestDetails, TaskView } from '../../../api/types';
import { ActionError } from '../../../components/States';
import { blankToNull } from '../../../lib/form-errors';
import { SubmitRow } from './common';
import { useActionForm } from './useActionForm';

type Props = { request: RequestDetails; task: TaskView; onDone: () => void };

function WaitForm({ request, task, onDone }: Props) {
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: `tasks/${task.id}/wait`,
    schema: waitOnRequesterSchema,
    initialValues: { reason: '' },
    toBody: (v) => ({ reason: v.reason }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Wait on the requester">
      <Stack gap="xs">
        <Textarea
          label="What are we waiting for from the requester?"
          description="The step’s clock pauses; the legal deadline keeps running."
          required
          autosize
          minRows={2}
          {...form.getInputProps('reason')}
        />
        <SubmitRow label="Wait on the requester" pending={action.isPending} error={action.error}>
          <Button variant="subtle" color="gray" onClick={onDone}>
            Back
          </Button>
        </SubmitRow>
      </Stack>
    </form>
  );
}

/** Everyone the request names who could take the task (the API checks the role and says who may). */
function candidates(request: RequestDetails, task: TaskView, me: { id: string; name: string } | undefined) {
  const people = new Map<string, string>();
  const add = (p: { id: string; name: string } | null | undefined) => {
    if (p && p.id !== task.assignee?.id) people.set(p.id, p.name);
  };
  add(request.therapist);
  for (const t of request.tasks) {
    add(t.assignee);
    add(t.completedBy);
  }
  add(me);
  return [...people].map(([value, label]) => ({ value, label }));
}

function ReassignForm({ request, task, onDone }: Props) {
  const me = useMe();
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: `tasks/${task.id}/reassign`,
    schema: reassignTaskSchema,
    initialValues: { assigneeId: null as string | null, reason: '' },
    toBody: (v) => ({ assigneeId: v.assigneeId, reason: blankToNull(v.reason) }),
  });
  const data = candidates(request, task, me.data?.user);
  return (
    <form onSubmit={submit} noValidate aria-label="Reassign the task">
      <Stack gap="xs">
        <Select
          label="Give the task to"
          required
          searchable
          data={data}
          {...form.getInputProps('assigneeId')}
        />
        <TextInput label="Why (optional)" {...form.getInputProps('reason')} />
        <SubmitRow label="Reassign" pending={action.isPending} error={action.error}>
          <Button variant="subtle" color="gray" onClick={onDone}>
            Back
          </Button>
        </SubmitRow>
      </Stack>
    </form>
  );
}

export function TaskActions({ request, task }: { request: RequestDetails; task: TaskView }) {
  const [open, setOpen] = useState<'wait' | 'reassign' | null>(null);
  const resume = useRequestAction(request.id, `tasks/${task.id}/resume`);
  const can = (a: string) => (task.abilities as string[]).includes(a);
  if (!can('wait_on_requester') && !can('resume') && !can('reassign_task')) return null;
  if (open === 'wait') return <WaitForm request={request} task={task} onDone={() => setOpen(null)} />;
  if (open === 'reassign') return <ReassignForm request={request} task={task} onDone={() => setOpen(null)} />;
  return (
    <Stack gap={4}>
      {task.state === 'waiting_on_requester' && task.waitingSince && (
        <Text size="sm" c="dimmed">
          Waiting on the requester since {new Date(task.waitingSince).toLocaleDateString('en-GB')}.
        </Text>
      )}
      <Group gap="xs" justify="flex-end">
        {can('resume') && (
          <Button size="xs" variant="light" loading={resume.isPending} onClick={() => resume.mutate({})}>
            The requester answered: resume
          </Button>
        )}
        {can('wait_on_requester') && (
          <Button size="xs" variant="default" onClick={() => setOpen('wait')}>
            Wait on the requester…
          </Button>
        )}
        {can('reassign_task') && (
          <Button size="xs" variant="default" onClick={() => setOpen('reassign')}>
            Reassign…
          </Button>
        )}
      </Group>
      <ActionError error={resume.error} />
    </Stack>
  );
}

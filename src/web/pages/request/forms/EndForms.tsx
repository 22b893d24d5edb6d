// Ending a request other than by release: withdrawn by the requester, cancelled, or answered that
// no records are held (REV-7). Each ends with a written answer, never silently.
import { Accordion, Stack, Text, Textarea } from '@mantine/core';
import { endRequestSchema, noRecordsSchema } from '../../../../shared/schemas/request-actions';
import { ACTION_LABELS, type Action } from '../../../../shared/workflow';
import type { RequestDetails } from '../../../api/types';
import { blankToNull } from '../../../lib/form-errors';
import { SubmitRow } from './common';
import { useActionForm } from './useActionForm';

const END_ACTIONS = ['withdraw', 'cancel', 'record_no_records'] as const satisfies readonly Action[];
type EndAction = (typeof END_ACTIONS)[number];

const INTRO: Record<EndAction, string> = {
  withdraw: 'The requester asked to stop. Say how they told you, and write the message they receive.',
  cancel: 'Cancel only for a reason you can explain to the requester; the message below is sent to them.',
  record_no_records:
    'The practice holds no records of what was asked. Write the answer to the requester, and where they could ask instead if you know.',
};

function EndForm({ request, which }: { request: RequestDetails; which: 'withdraw' | 'cancel' }) {
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: which === 'withdraw' ? 'withdrawal' : 'cancellation',
    schema: endRequestSchema,
    initialValues: { reason: '', messageToRequester: '' },
    toBody: (v) => ({ reason: v.reason, messageToRequester: v.messageToRequester }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label={ACTION_LABELS[which]}>
      <Stack gap="sm">
        <Text size="sm">{INTRO[which]}</Text>
        <Textarea
          label="Reason (kept on the request)"
          required
          autosize
          minRows={2}
          {...form.getInputProps('reason')}
        />
        <Textarea
          label="Message to the requester"
          required
          autosize
          minRows={3}
          {...form.getInputProps('messageToRequester')}
        />
        <SubmitRow label={ACTION_LABELS[which]} pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

function NoRecordsForm({ request }: { request: RequestDetails }) {
  const { form, submit, action } = useActionForm({
    requestId: request.id,
    path: 'no-records',
    schema: noRecordsSchema,
    initialValues: { writtenAnswer: '', whereToAsk: '' },
    toBody: (v) => ({ writtenAnswer: v.writtenAnswer, whereToAsk: blankToNull(v.whereToAsk) }),
  });
  return (
    <form onSubmit={submit} noValidate aria-label={ACTION_LABELS.record_no_records}>
      <Stack gap="sm">
        <Text size="sm">{INTRO.record_no_records}</Text>
        <Textarea
          label="Written answer to the requester"
          required
          autosize
          minRows={4}
          {...form.getInputProps('writtenAnswer')}
        />
        <Textarea
          label="Where they could ask instead (optional)"
          description="Another clinic or a former provider who may hold the records; it goes into the letter."
          autosize
          minRows={2}
          {...form.getInputProps('whereToAsk')}
        />
        <SubmitRow label={ACTION_LABELS.record_no_records} pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

export function EndActions({ request }: { request: RequestDetails }) {
  const allowed = END_ACTIONS.filter((a) => request.abilities.includes(a));
  if (allowed.length === 0) return null;
  return (
    <Accordion variant="separated" radius="md" chevronPosition="left">
      {allowed.map((a) => (
        <Accordion.Item key={a} value={a}>
          <Accordion.Control>{ACTION_LABELS[a]}</Accordion.Control>
          <Accordion.Panel>
            {a === 'record_no_records' ? (
              <NoRecordsForm request={request} />
            ) : (
              <EndForm request={request} which={a} />
            )}
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}

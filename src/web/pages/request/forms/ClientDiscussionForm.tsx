// Task 1 (rule REV-1): the therapist's discussion with the client: what the client needs, why
// (optional, and said so, for a client's own records), when, any concerns, and the outcome.
import { NumberInput, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { isAccessKind } from '../../../../shared/request-kinds';
import {
  CLIENT_DISCUSSION_OUTCOME_LABELS,
  CLIENT_DISCUSSION_OUTCOMES,
  clientDiscussionEffect,
} from '../../../../shared/review-decisions';
import { clientDiscussionSchema } from '../../../../shared/schemas/request-actions';
import type { RequestDetails } from '../../../api/types';
import { blankToNull, toCents } from '../../../lib/form-errors';
import { ScopeFields, type ScopeValues, SubmitRow, scopeBody, scopeField } from './common';
import { useActionForm } from './useActionForm';

interface Values extends ScopeValues, Record<string, unknown> {
  outcome: string;
  need: string;
  why: string;
  when: string;
  concerns: string;
  nextTryOn: string;
  summaryFee: string | number;
}

export function ClientDiscussionForm({ request }: { request: RequestDetails }) {
  const access = isAccessKind(request.kind);
  const { form, submit, action } = useActionForm<Values>({
    requestId: request.id,
    path: 'client-discussion',
    schema: clientDiscussionSchema,
    initialValues: {
      outcome: '',
      need: '',
      why: '',
      when: '',
      concerns: '',
      nextTryOn: '',
      summaryFee: '',
      scopeClasses: request.asked.documentClasses,
      scopeFrom: request.asked.dateFrom ?? '',
      scopeTo: request.asked.dateTo ?? '',
    },
    toBody: (v) => ({
      outcome: v.outcome || undefined,
      need: blankToNull(v.need),
      why: blankToNull(v.why),
      when: blankToNull(v.when),
      concerns: blankToNull(v.concerns),
      nextTryOn: v.outcome === 'not_reached' ? blankToNull(v.nextTryOn) : null,
      narrowedScope: v.outcome === 'narrow' ? scopeBody(v) : null,
      summaryFeeCents: v.outcome === 'summary_agreed' ? toCents(v.summaryFee) : null,
    }),
    fieldFor: scopeField('narrowedScope'),
  });
  const outcome = form.values.outcome;
  const keepsOpen =
    outcome === 'not_reached' && clientDiscussionEffect(request.kind, 'not_reached') === 'keep_open';

  return (
    <form onSubmit={submit} noValidate aria-label="Record the client discussion">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Asked: {request.kindLabel.toLowerCase()} by {request.requester.name}
          {request.requester.organization ? ` (${request.requester.organization})` : ''} —{' '}
          {request.asked.deliverableLabel.toLowerCase()}
          {request.asked.neededBy ? `, needed by ${request.asked.neededBy}` : ''}.
        </Text>
        <Textarea label="What does the client need?" autosize minRows={2} {...form.getInputProps('need')} />
        <Textarea
          label={access ? 'Why (optional)' : 'Why'}
          description={
            access
              ? 'A client asking for their own records does not have to give a reason.'
              : 'The purpose as the client understands it.'
          }
          autosize
          minRows={2}
          {...form.getInputProps('why')}
        />
        <TextInput label="When do they need it?" {...form.getInputProps('when')} />
        <Textarea label="Any concerns?" autosize minRows={2} {...form.getInputProps('concerns')} />
        <Radio.Group label="Outcome" required {...form.getInputProps('outcome')}>
          <Stack gap={6} mt={6}>
            {CLIENT_DISCUSSION_OUTCOMES.map((o) => (
              <Radio key={o} value={o} label={CLIENT_DISCUSSION_OUTCOME_LABELS[o]} />
            ))}
          </Stack>
        </Radio.Group>
        {outcome === 'not_reached' && (
          <TextInput
            type="date"
            label="Next try on"
            description={
              keepsOpen
                ? 'The task stays open until you reach the client.'
                : 'For a client’s own records the request goes on without the discussion.'
            }
            {...form.getInputProps('nextTryOn')}
          />
        )}
        {outcome === 'narrow' && (
          <ScopeFields label="What the client wants released" inputProps={form.getInputProps} />
        )}
        {outcome === 'summary_agreed' && (
          <NumberInput
            label="Fee the client agreed to for the summary ($)"
            min={0}
            decimalScale={2}
            prefix="$"
            {...form.getInputProps('summaryFee')}
          />
        )}
        <SubmitRow label="Record the discussion" pending={action.isPending} error={action.error} />
      </Stack>
    </form>
  );
}

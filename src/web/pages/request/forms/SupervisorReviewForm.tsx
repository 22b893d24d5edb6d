// Task 2 (rules REV-2 to REV-6): the supervisor's review: the red flags (the system's as chips,
// each with its reason, plus any the supervisor sees), the consequences for the client and the
// therapeutic relationship, and the decision. "Ask <my supervisor>" is a first-class button.
import { Button, Chip, Group, Paper, Radio, Select, Stack, TagsInput, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { isAccessKind } from '../../../../shared/request-kinds';
import {
  DENIAL_GROUND_LABELS,
  DENIAL_GROUNDS,
  SUPERVISOR_DECISION_LABELS,
  SUPERVISOR_DECISIONS,
} from '../../../../shared/review-decisions';
import { escalateReviewSchema, supervisorReviewSchema } from '../../../../shared/schemas/request-actions';
import { useMySupervisor } from '../../../api/hooks';
import type { RequestDetails } from '../../../api/types';
import { blankToNull } from '../../../lib/form-errors';
import { ScopeFields, type ScopeValues, SubmitRow, scopeBody, scopeField } from './common';
import { useActionForm } from './useActionForm';

interface Values extends ScopeValues, Record<string, unknown> {
  flagged: string[];
  otherFlags: string[];
  consequences: string;
  decision: string;
  denialGround: string | null;
  denialLetter: string;
  notes: string;
}

const denies = (d: string) => d === 'deny' || d === 'deny_partial';
const needsLetter = (d: string) => denies(d) || d === 'decline';
const needsScope = (d: string) => d === 'release_narrowed' || d === 'deny_partial';

export function SupervisorReviewForm({
  request,
  canDecide,
}: {
  request: RequestDetails;
  canDecide: boolean;
}) {
  const flags = request.redFlags ?? [];
  const access = isAccessKind(request.kind);
  const { form, submit, action } = useActionForm<Values>({
    requestId: request.id,
    path: 'supervisor-review',
    schema: supervisorReviewSchema,
    initialValues: {
      flagged: flags.map((f) => f.label),
      otherFlags: [],
      consequences: '',
      decision: '',
      denialGround: null,
      denialLetter: '',
      notes: '',
      scopeClasses: request.asked.documentClasses,
      scopeFrom: request.asked.dateFrom ?? '',
      scopeTo: request.asked.dateTo ?? '',
    },
    toBody: (v) => ({
      decision: v.decision || undefined,
      redFlags: [...v.flagged, ...v.otherFlags],
      consequences: v.consequences,
      notes: blankToNull(v.notes),
      denialGround: denies(v.decision) ? v.denialGround : null,
      denialLetter: needsLetter(v.decision) ? blankToNull(v.denialLetter) : null,
      approvedScope: needsScope(v.decision) ? scopeBody(v) : null,
    }),
    fieldFor: scopeField('approvedScope'),
  });
  const decision = form.values.decision;
  const decisions = SUPERVISOR_DECISIONS.filter((d) => !(access && d === 'decline'));
  const grounds = DENIAL_GROUNDS.filter(
    (g) => g !== 'representative_harm' || request.kind === 'representative',
  );

  return (
    <Stack gap="sm">
      {canDecide && (
        <form onSubmit={submit} noValidate aria-label="Record the review decision">
          <Stack gap="sm">
            <div>
              <Text fw={500} size="sm">
                Red flags
              </Text>
              {flags.length === 0 ? (
                <Text size="sm" c="dimmed">
                  The system found none. Add any you see below.
                </Text>
              ) : (
                <>
                  <Text size="xs" c="dimmed" mb={6}>
                    Found by the system; keep selected the ones you considered.
                  </Text>
                  <Chip.Group multiple {...form.getInputProps('flagged')}>
                    <Group gap={6}>
                      {flags.map((f) => (
                        <Chip key={f.code} value={f.label} color="orange" variant="light" size="sm">
                          {f.label}
                        </Chip>
                      ))}
                    </Group>
                  </Chip.Group>
                  <Stack gap={2} mt={6}>
                    {flags.map((f) => (
                      <Text key={f.code} size="xs" c="dimmed">
                        <strong>{f.label}:</strong> {f.reason}
                      </Text>
                    ))}
                  </Stack>
                </>
              )}
            </div>
            <TagsInput
              label="Other red flags you see"
              description="Type one and press Enter."
              {...form.getInputProps('otherFlags')}
            />
            <Textarea
              label="Consequences for the client and the therapeutic relationship"
              required
              autosize
              minRows={3}
              {...form.getInputProps('consequences')}
            />
            <Radio.Group label="Decision" required {...form.getInputProps('decision')}>
              <Stack gap={6} mt={6}>
                {decisions.map((d) => (
                  <Radio key={d} value={d} label={SUPERVISOR_DECISION_LABELS[d]} />
                ))}
              </Stack>
            </Radio.Group>
            {denies(decision) && (
              <Select
                label="Ground for the denial"
                data={grounds.map((g) => ({ value: g, label: DENIAL_GROUND_LABELS[g] }))}
                required={access}
                {...form.getInputProps('denialGround')}
              />
            )}
            {needsScope(decision) && (
              <ScopeFields label="What may be released" inputProps={form.getInputProps} />
            )}
            {needsLetter(decision) && (
              <Textarea
                label={
                  decision === 'decline'
                    ? 'Letter to the requester: why it is declined'
                    : 'Denial letter to the requester'
                }
                description="Plain language; it is sent to the requester."
                required
                autosize
                minRows={4}
                {...form.getInputProps('denialLetter')}
              />
            )}
            <Textarea label="Notes (optional)" autosize minRows={2} {...form.getInputProps('notes')} />
            <SubmitRow label="Record the decision" pending={action.isPending} error={action.error} />
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** "Ask <name of my own supervisor>" (REV-2, TIME-6): hand the review up, with a question. */
export function EscalationPanel({ request }: { request: RequestDetails }) {
  const supervisor = useMySupervisor(true);
  const [open, setOpen] = useState(false);
  const who = supervisor.data?.name ?? (supervisor.isPending ? 'my supervisor' : 'the privacy officer');
  const { form, submit, action } = useActionForm<{ question: string }>({
    requestId: request.id,
    path: 'escalation',
    schema: escalateReviewSchema,
    initialValues: { question: '' },
    toBody: (v) => ({ question: v.question }),
  });
  if (!open) {
    return (
      <Group>
        <Button variant="outline" onClick={() => setOpen(true)}>
          Ask {who}
        </Button>
        <Text size="sm" c="dimmed">
          Unsure? Hand this review to {who} with your question.
        </Text>
      </Group>
    );
  }
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0">
      <form onSubmit={submit} noValidate aria-label={`Ask ${who}`}>
        <Stack gap="sm">
          <Textarea
            label={`Your question for ${who}`}
            description="The review moves to them; you and the therapist see their answer on the request."
            required
            autosize
            minRows={3}
            {...form.getInputProps('question')}
            data-autofocus
          />
          <SubmitRow label={`Ask ${who}`} pending={action.isPending} error={action.error}>
            <Button variant="default" onClick={() => setOpen(false)}>
              Not now
            </Button>
          </SubmitRow>
        </Stack>
      </form>
    </Paper>
  );
}

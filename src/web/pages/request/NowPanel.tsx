// "Now": the open tasks with their owners and due dates, and, under each, the form for what the
// signed-in person may do about it. Only actions listed in the request's `abilities` appear.
import { Alert, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { Action } from '../../../shared/workflow';
import type { RequestDetails, TaskView } from '../../api/types';
import { ClientDiscussionForm } from './forms/ClientDiscussionForm';
import { EndActions } from './forms/EndForms';
import { PaymentForm } from './forms/PaymentForm';
import { ApprovalForm, IntakeForm, InvoiceForm, PreparationForm, ReleaseForm } from './forms/StepForms';
import { EscalationPanel, SupervisorReviewForm } from './forms/SupervisorReviewForm';
import { TaskActions } from './forms/TaskActionForms';

/** A review handed up the chain carries the question the supervisor asked (REV-2): shown to whoever decides now. */
function HandedUpQuestions({ request }: { request: RequestDetails }) {
  const asked = request.tasks.filter(
    (t) =>
      t.type === 'supervisor_review' && t.result?.escalated === true && typeof t.result.question === 'string',
  );
  if (asked.length === 0) return null;
  return (
    <Stack gap={6}>
      {asked.map((t) => (
        <Alert
          key={t.id}
          color="blue"
          variant="light"
          title={`${t.completedBy?.name ?? 'The supervisor'} asks`}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {String(t.result?.question)}
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}

function TaskForms({ request, task }: { request: RequestDetails; task: TaskView }) {
  const can = (a: Action) => request.abilities.includes(a);
  switch (task.type) {
    case 'intake_check':
      return can('complete_intake') ? <IntakeForm request={request} /> : null;
    case 'client_discussion':
      return can('submit_client_discussion') ? <ClientDiscussionForm request={request} /> : null;
    case 'supervisor_review':
      if (!can('submit_supervisor_review') && !can('escalate_review')) return null;
      return (
        <Stack gap="md">
          <HandedUpQuestions request={request} />
          {can('escalate_review') && <EscalationPanel request={request} />}
          <SupervisorReviewForm request={request} canDecide={can('submit_supervisor_review')} />
        </Stack>
      );
    case 'invoice':
      return can('record_invoice') ? <InvoiceForm request={request} /> : null;
    case 'preparation':
      return can('submit_preparation') ? <PreparationForm request={request} /> : null;
    case 'prepared_review':
      return can('approve_preparation') || can('request_changes') ? (
        <ApprovalForm
          request={request}
          canApprove={can('approve_preparation')}
          canAskChanges={can('request_changes')}
        />
      ) : null;
    case 'release':
      return can('record_release') ? <ReleaseForm request={request} /> : null;
    default:
      return null;
  }
}

function TaskCard({ request, task }: { request: RequestDetails; task: TaskView }) {
  const forms = <TaskForms request={request} task={task} />;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={task.label}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <div>
            <Title order={3} size="h4">
              {task.label}
            </Title>
            <Text size="sm" c="dimmed">
              {task.isMine ? 'Yours' : `Waiting on ${task.owner}`}
              {task.state === 'waiting_on_requester' ? ' · waiting on the requester (step clock paused)' : ''}
            </Text>
          </div>
          <Badge
            color={task.overdue ? 'red' : 'gray'}
            variant={task.overdue ? 'filled' : 'light'}
            size="lg"
            radius="sm"
          >
            {task.overdue ? 'Overdue: ' : 'Due '}
            {task.due}
          </Badge>
        </Group>
        {forms}
        <TaskActions request={request} task={task} />
      </Stack>
    </Paper>
  );
}

export function NowPanel({ request }: { request: RequestDetails }) {
  const open = request.tasks.filter((t) => t.state === 'open' || t.state === 'waiting_on_requester');
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Now
      </Title>
      {open.length === 0 && (
        <Paper withBorder radius="md" p="md">
          <Text>{request.status}</Text>
          {request.end?.reason && (
            <Text size="sm" c="dimmed" mt={4}>
              Reason: {request.end.reason}
            </Text>
          )}
        </Paper>
      )}
      {open.map((t) => (
        <TaskCard key={t.id} request={request} task={t} />
      ))}
      {request.abilities.includes('record_payment') && <PaymentForm request={request} />}
      <EndActions request={request} />
    </Stack>
  );
}

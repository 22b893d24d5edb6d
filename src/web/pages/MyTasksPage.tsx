// Home: "My tasks" (ux.md): cards sorted by due date, overdue first. Each card: the task, the
// request number, client and requester, the step's due date, the legal days left, one button.
// Per role, the home adds: support's four queues (in place of those tasks' cards), the supervisor's
// board, the privacy officer's overdue and escalated requests with the accounting requests, and the
// administrator's places.
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { ROLE_LABELS } from '../../shared/roles';
import { useMyTasks } from '../api/hooks';
import type { MyTask } from '../api/types';
import { useSession } from '../app/session';
import { LegalBadge } from '../components/Clocks';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { AdminOverview } from './admin/AdminOverview';
import { cardLink } from './MyTasksLink';
import { PrivacyOverview } from './privacy/PrivacyOverview';
import { SuperviseesBoard } from './SuperviseesBoard';
import { QUEUE_TASK_TYPES, SupportQueues } from './support/SupportQueues';

function StepDue({ task }: { task: MyTask }) {
  if (task.paused) {
    return (
      <Badge color="gray" variant="light">
        Waiting on the requester
      </Badge>
    );
  }
  if (task.due === null) return null;
  const what = task.type === 'draft_review' ? 'Preparation' : 'Step';
  return (
    <Text size="sm" fw={500} c={task.overdue ? 'red.8' : undefined}>
      {task.overdue ? `${what} was due ` : `${what} due `}
      {task.due}
    </Text>
  );
}

function TaskCard({ task }: { task: MyTask }) {
  const r = task.request;
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-label={`${task.label}, ${r.number}`}>
      <Stack gap={8} h="100%">
        <Title order={3} size="h5" style={{ lineHeight: 1.3 }}>
          {task.label}
        </Title>
        <Text size="sm">
          <Text span fw={600}>
            {r.number}
          </Text>{' '}
          · {r.client.name}
          {r.client.isMinor && (
            <Badge ml={6} size="xs" variant="outline" color="gray">
              minor
            </Badge>
          )}
        </Text>
        <Text size="sm" c="dimmed">
          {r.kindLabel} · from {r.requester.name}
          {r.requester.organization ? ` (${r.requester.organization})` : ''}
        </Text>
        <Group gap={6}>
          <Text size="sm">{r.legal.label}:</Text>
          <LegalBadge legal={r.legal} />
        </Group>
        <Group gap={6}>
          <StepDue task={task} />
          {task.holder === 'queue' && task.queueRole && (
            <Badge color="gray" variant="outline" size="sm">
              {ROLE_LABELS[task.queueRole]} queue
            </Badge>
          )}
        </Group>
        <Group mt="auto" pt={4}>
          <Button component={Link} to={cardLink(task)} size="sm" fullWidth>
            {task.type === 'draft_review' ? `Review it in ${r.number}` : `Open ${r.number}`}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

export function MyTasksPage() {
  const me = useSession();
  const tasks = useMyTasks();
  const roles = me.user.roles;
  const support = roles.includes('support');
  const adminOnly = roles.every((r) => r === 'admin');
  // Support's queue tasks show in the queues; the cards are for everything else.
  const cards = tasks.data?.filter(
    (t) => !support || t.type === 'draft_review' || !QUEUE_TASK_TYPES.includes(t.type),
  );
  const overdue = tasks.data?.filter((t) => t.overdue).length ?? 0;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">
          My tasks
        </Title>
        {tasks.data && tasks.data.length > 0 && (
          <Text c="dimmed" size="sm" aria-live="polite">
            {tasks.data.length} open{overdue > 0 ? `, ${overdue} overdue` : ''}
          </Text>
        )}
      </Group>
      {tasks.isPending && <Loading what="your tasks" />}
      {tasks.isError && <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />}
      {support && tasks.data && <SupportQueues tasks={tasks.data} />}
      {support && cards && cards.length > 0 && (
        <Title order={2} size="h4">
          Other tasks
        </Title>
      )}
      {cards?.length === 0 && !support && !adminOnly && (
        <EmptyState
          title="Nothing is waiting on you"
          action={
            <Button component={Link} to="/requests" variant="light">
              {me.abilities.includes('create_request') ? 'See all requests' : 'See the requests you can open'}
            </Button>
          }
        >
          When a request needs you, it appears here with its due date.
          {me.abilities.includes('create_request') ? ' New requests are recorded under “New request”.' : ''}
        </EmptyState>
      )}
      {cards?.length === 0 && adminOnly && (
        <Text c="dimmed">Nothing is waiting on you. Administrators set up the practice: start below.</Text>
      )}
      {cards && cards.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {cards.map((t) => (
            <TaskCard key={t.taskId} task={t} />
          ))}
        </SimpleGrid>
      )}
      {roles.includes('supervisor') && <SuperviseesBoard />}
      {roles.includes('privacy_officer') && <PrivacyOverview />}
      {me.abilities.includes('manage_users') && <AdminOverview />}
    </Stack>
  );
}

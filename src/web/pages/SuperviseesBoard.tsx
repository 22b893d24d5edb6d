// The supervisor's board under My tasks: every open task held by the people they supervise,
// overdue first, so a supervisor sees at a glance who is late and on what (the procedure: "the
// supervisor watches that the supervisee is on time").
import { Anchor, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useSuperviseeTasks } from '../api/hooks';
import type { SuperviseeTask } from '../api/types';
import { LegalBadge } from '../components/Clocks';
import { ErrorState, Loading } from '../components/States';
import { cardLink } from './MyTasksLink';

/** "Letter to review: …" → "a letter to review: …", after "<name> sent you". */
const sentForReview = (label: string) =>
  label.replace(/^(Letter|Report|Notes) to review/, (_m, what: string) =>
    what === 'Notes' ? 'notes to review' : `a ${what.toLowerCase()} to review`,
  );

function BoardRow({ task }: { task: SuperviseeTask }) {
  const r = task.request;
  // A version sent for review is the supervisor's own to do: it names who sent it.
  const review = task.type === 'draft_review';
  return (
    <Paper withBorder radius="md" p="sm" className="rd-card" component="article">
      <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Text size="sm">
            <Text span fw={600}>
              {task.assignee.name}
            </Text>
            {review ? ' sent you ' : ': '}
            {review ? sentForReview(task.label) : task.label}
          </Text>
          <Anchor
            component={Link}
            to={cardLink(task)}
            className="rd-card-link"
            size="sm"
            c="inherit"
            underline="never"
          >
            {r.number}, {r.client.name}
          </Anchor>
          {task.paused ? (
            <Text size="sm" c="dimmed">
              Waiting on the requester (the step clock is paused)
            </Text>
          ) : (
            task.due !== null && (
              <Text size="sm" fw={task.overdue ? 600 : undefined} c={task.overdue ? 'red' : undefined}>
                {review ? 'Preparation ' : 'Step '}
                {task.overdue ? 'was due ' : 'due '}
                {task.due}
              </Text>
            )
          )}
        </Stack>
        <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
          {task.overdue && (
            <Badge color="red" variant="light">
              Overdue
            </Badge>
          )}
          <LegalBadge legal={r.legal} />
        </Stack>
      </Group>
    </Paper>
  );
}

export function SuperviseesBoard() {
  const board = useSuperviseeTasks(true);
  if (board.isPending) return <Loading what="your supervisees’ tasks" />;
  if (board.isError) return <ErrorState error={board.error} onRetry={() => void board.refetch()} />;
  const tasks = board.data;
  const overdue = tasks.filter((t) => t.overdue).length;
  return (
    <Stack gap="sm" component="section" aria-label="Your supervisees’ tasks">
      <Group justify="space-between" align="baseline">
        <Title order={2} size="h3">
          Your supervisees&rsquo; tasks
        </Title>
        {tasks.length > 0 && (
          <Text c="dimmed" size="sm">
            {tasks.length} open{overdue > 0 ? `, ${overdue} overdue` : ''}
          </Text>
        )}
      </Group>
      {tasks.length === 0 ? (
        <Text size="sm" c="dimmed">
          None of the people you supervise has an open task.
        </Text>
      ) : (
        <Stack gap="xs">
          {tasks.map((t) => (
            <BoardRow key={t.taskId} task={t} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

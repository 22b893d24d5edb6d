// Support's home (ux.md): four queues with counts: new intake to check, invoices to send, payments
// to record, records ready to release. The first, second and last are the support team's open tasks
// (My tasks); payments are the requests whose invoice was sent and is not paid yet (FEE-6).
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { TaskType } from '../../../shared/workflow-tasks';
import { useRequests } from '../../api/hooks';
import type { MyTask, RequestSummary } from '../../api/types';
import { ErrorState, Loading } from '../../components/States';
import { daysLeftText } from '../../lib/format';

/** The task types support's queues show; other tasks stay as cards under My tasks. */
export const QUEUE_TASK_TYPES: readonly TaskType[] = ['intake_check', 'invoice', 'release'];

const SHOWN = 5;

interface Item {
  key: string;
  requestId: string;
  number: string;
  client: string;
  when: string;
  late: boolean;
}

function fromTask(t: MyTask): Item {
  return {
    key: t.taskId,
    requestId: t.request.id,
    number: t.request.number,
    // Issue 7: a request from the online form whose name and birth date matched no client.
    client: t.request.client.unmatched
      ? `${t.request.client.name} (not matched to a client yet)`
      : t.request.client.name,
    when: t.paused ? 'waiting on the requester' : `${t.overdue ? 'was due' : 'due'} ${t.due}`,
    late: t.overdue,
  };
}

function fromRequest(r: RequestSummary): Item {
  return {
    key: r.id,
    requestId: r.id,
    number: r.number,
    client: r.client.unmatched ? `${r.client.name} (not matched to a client yet)` : r.client.name,
    when: `legal date ${daysLeftText(r.clocks.legal.daysLeft)}`,
    late: r.clocks.legal.overdue,
  };
}

function Queue({
  title,
  empty,
  items,
  total,
  seeAll,
  children,
}: {
  title: string;
  empty: string;
  items: Item[];
  total: number;
  seeAll?: string;
  children?: React.ReactNode;
}) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} size="h5">
            {title}
          </Title>
          <Badge
            size="lg"
            radius="sm"
            variant={total > 0 ? 'filled' : 'light'}
            color={total > 0 ? 'desk' : 'gray'}
          >
            {total}
          </Badge>
        </Group>
        {children}
        {items.length === 0 && !children && (
          <Text size="sm" c="dimmed">
            {empty}
          </Text>
        )}
        {items.slice(0, SHOWN).map((i) => (
          <Text key={i.key} size="sm">
            <Anchor underline="always" component={Link} to={`/requests/${i.requestId}`} fw={600}>
              {i.number}
            </Anchor>{' '}
            {i.client}
            <Text span c={i.late ? 'red.8' : 'dimmed'} size="sm">
              {' '}
              · {i.when}
            </Text>
          </Text>
        ))}
        {seeAll && total > SHOWN && (
          <Anchor component={Link} to={seeAll} size="sm">
            See all {total}
          </Anchor>
        )}
      </Stack>
    </Paper>
  );
}

export function SupportQueues({ tasks }: { tasks: MyTask[] }) {
  const payments = useRequests({ awaitingPayment: true, limit: 50 });
  const of = (type: TaskType) => tasks.filter((t) => t.type === type).map(fromTask);
  const intake = of('intake_check');
  const invoices = of('invoice');
  const release = of('release');
  const paymentItems = payments.data?.items.map(fromRequest) ?? [];
  return (
    <Stack gap="xs" component="section" aria-labelledby="support-queues">
      <Title order={2} size="h4" id="support-queues">
        Support queues
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
        <Queue
          title="New intake to check"
          empty="No new request waits for its intake check."
          items={intake}
          total={intake.length}
          seeAll="/requests?stage=request_made"
        />
        <Queue
          title="Invoices to send"
          empty="No invoice to send."
          items={invoices}
          total={invoices.length}
          seeAll="/requests?stage=invoice"
        />
        <Queue
          title="Payments to record"
          empty="No invoice is waiting for payment."
          items={paymentItems}
          total={payments.data?.total ?? 0}
          seeAll="/requests?awaitingPayment=true"
        >
          {payments.isPending && <Loading what="payments" />}
          {payments.isError && <ErrorState error={payments.error} onRetry={() => void payments.refetch()} />}
          {payments.data?.total === 0 && (
            <Text size="sm" c="dimmed">
              No invoice is waiting for payment.
            </Text>
          )}
        </Queue>
        <Queue
          title="Ready to release"
          empty="Nothing is ready to release."
          items={release}
          total={release.length}
        />
      </SimpleGrid>
    </Stack>
  );
}

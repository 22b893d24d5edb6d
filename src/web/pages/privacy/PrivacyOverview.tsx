// The privacy officer's home (ux.md): overdue and escalated requests, the open accounting requests,
// and the way to the audit log and the disclosure log.
import { Anchor, Badge, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useAccountingRequests, useRequests } from '../../api/hooks';
import { RequestRow } from '../../components/RequestRow';
import { ErrorState, Loading } from '../../components/States';
import { daysLeftText } from '../../lib/format';

const SHOWN = 5;

function Section({
  title,
  count,
  children,
  seeAll,
}: {
  title: string;
  count?: number;
  children: ReactNode;
  seeAll?: string;
}) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={2} size="h4">
            {title}
          </Title>
          {count !== undefined && (
            <Badge radius="sm" color={count > 0 ? 'red' : 'gray'} variant={count > 0 ? 'filled' : 'light'}>
              {count}
            </Badge>
          )}
        </Group>
        {seeAll && count !== undefined && count > SHOWN && (
          <Anchor component={Link} to={seeAll} size="sm">
            See all {count}
          </Anchor>
        )}
      </Group>
      {children}
    </Stack>
  );
}

function RequestsSection({
  title,
  filter,
  empty,
  seeAll,
}: {
  title: string;
  filter: { overdue?: boolean; escalated?: boolean };
  empty: string;
  seeAll: string;
}) {
  const list = useRequests({ ...filter, limit: SHOWN });
  return (
    <Section title={title} count={list.data?.total} seeAll={seeAll}>
      {list.isPending && <Loading what={title.toLowerCase()} />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data?.total === 0 && (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      )}
      {list.data?.items.map((r) => (
        <RequestRow key={r.id} r={r} compact />
      ))}
    </Section>
  );
}

function AccountingSection() {
  const list = useAccountingRequests('open');
  return (
    <Section title="Accounting requests" count={list.data?.length}>
      {list.isPending && <Loading what="accounting requests" />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No request for an accounting of disclosures is open.
        </Text>
      )}
      {list.data?.slice(0, SHOWN).map((a) => (
        <Paper key={a.id} withBorder radius="md" p="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {a.client.name}
              </Text>
              <Text size="sm" c="dimmed">
                Asked by {a.requester.name} · {a.period.from} to {a.period.to}
              </Text>
              <Anchor component={Link} to={`/privacy/disclosures?client=${a.client.id}`} size="sm">
                Disclosure log of {a.client.name}
              </Anchor>
            </Stack>
            <Badge
              color={a.clock.overdue ? 'red' : a.clock.daysLeft <= 7 ? 'orange' : 'desk'}
              variant="light"
              radius="sm"
            >
              {daysLeftText(a.clock.daysLeft)}
            </Badge>
          </Group>
        </Paper>
      ))}
    </Section>
  );
}

export function PrivacyOverview() {
  return (
    <Stack gap="lg">
      <Group gap="sm">
        <Button component={Link} to="/privacy/audit" variant="light">
          Search the audit log
        </Button>
        <Button component={Link} to="/privacy/disclosures" variant="light">
          Disclosure log
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <RequestsSection
          title="Overdue requests"
          filter={{ overdue: true }}
          empty="No request is overdue."
          seeAll="/requests?overdue=true"
        />
        <RequestsSection
          title="Escalated requests"
          filter={{ escalated: true }}
          empty="No request is waiting on an escalation."
          seeAll="/requests?escalated=true"
        />
      </SimpleGrid>
      <AccountingSection />
    </Stack>
  );
}

// The request page's header: number, kind, client, requester, both clocks and the one-line status.
import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { RequestDetails } from '../../api/types';
import { LegalLine, StepLine } from '../../components/Clocks';
import { localDate } from '../../lib/format';

export function RequestHeader({ request: r }: { request: RequestDetails }) {
  return (
    <Paper withBorder radius="md" p="md" component="header">
      <Stack gap="sm">
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {r.number}
          </Title>
          <Badge variant="light" size="lg" radius="sm">
            {r.kindLabel}
          </Badge>
          <Badge variant="outline" color="gray" size="lg" radius="sm">
            {r.stageLabel}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Client
            </Text>
            <Text fw={600}>
              {r.client.name}
              {r.client.unmatched && (
                <Badge ml={6} size="xs" color="red" variant="light">
                  not matched to a client yet
                </Badge>
              )}
              {r.client.isMinor && (
                <Badge ml={6} size="xs" color="orange" variant="light">
                  minor
                </Badge>
              )}
            </Text>
            <Text size="sm" c="dimmed">
              Born {localDate(r.client.dateOfBirth)}
              {r.therapist ? ` · therapist ${r.therapist.name}` : ' · no therapist assigned'}
            </Text>
          </div>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Requester
            </Text>
            <Text fw={600}>{r.requester.name}</Text>
            <Text size="sm" c="dimmed">
              {[r.requester.relationship, r.requester.organization].filter(Boolean).join(' · ') || '—'}
            </Text>
          </div>
          <Stack gap={4}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              Deadlines
            </Text>
            <LegalLine legal={r.clocks.legal} />
            <StepLine step={r.clocks.step} />
          </Stack>
        </SimpleGrid>
        <Alert color={r.clocks.legal.overdue ? 'red' : 'desk'} variant="light" p="xs" role="status">
          <Text size="sm" fw={500}>
            {r.status}
          </Text>
        </Alert>
      </Stack>
    </Paper>
  );
}

// One request in a list: its number and client (the link), stage, kind and requester, the one-line
// status, the step's due date and the legal days left. The whole card is the link's target.
import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { RequestSummary } from '../api/types';
import { LegalBadge, StepLine } from './Clocks';

export function RequestRow({ r, compact = false }: { r: RequestSummary; compact?: boolean }) {
  return (
    <Paper withBorder p="sm" radius="md" className="rd-card" component="article">
      <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={8}>
            <Anchor
              component={Link}
              to={`/requests/${r.id}`}
              className="rd-card-link"
              c="inherit"
              underline="never"
            >
              <Text span fw={700}>
                {r.number}
              </Text>
              , {r.client.name}
            </Anchor>
            <Badge variant="light" color="gray" size="sm">
              {r.stageLabel}
            </Badge>
          </Group>
          {!compact && (
            <Text size="sm" c="dimmed">
              {r.kindLabel} · from {r.requester.name}
              {r.requester.organization ? ` (${r.requester.organization})` : ''}
              {r.therapist ? ` · therapist ${r.therapist.name}` : ''}
            </Text>
          )}
          <Text size="sm">{r.status}</Text>
          {r.clocks.step && <StepLine step={r.clocks.step} />}
        </Stack>
        <LegalBadge legal={r.clocks.legal} />
      </Group>
    </Paper>
  );
}

// The two clocks, always visible (ux.md principle 2): the legal deadline and the current step.
import { Badge, Group, Text } from '@mantine/core';
import type { LegalClock, StepClock } from '../api/types';
import { daysLeftText, urgencyColor } from '../lib/format';

export function LegalBadge({ legal }: { legal: LegalClock }) {
  return (
    <Badge
      color={urgencyColor(legal.daysLeft, legal.overdue)}
      variant={legal.overdue ? 'filled' : 'light'}
      size="lg"
      radius="sm"
      title={`${legal.label}: ${legal.due}`}
    >
      {legal.daysLeft === null ? 'Closed' : daysLeftText(legal.daysLeft)}
    </Badge>
  );
}

export function LegalLine({ legal }: { legal: LegalClock }) {
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm">
        {legal.label}: <strong>{legal.due}</strong>
      </Text>
      <LegalBadge legal={legal} />
    </Group>
  );
}

export function StepLine({ step }: { step: StepClock | null }) {
  if (!step)
    return (
      <Text size="sm" c="dimmed">
        No step is open.
      </Text>
    );
  return (
    <Text size="sm" c={step.overdue ? 'red.8' : undefined}>
      {step.label}:{' '}
      {step.paused ? (
        'paused, waiting on the requester'
      ) : (
        <>
          due <strong>{step.due}</strong>
        </>
      )}
    </Text>
  );
}

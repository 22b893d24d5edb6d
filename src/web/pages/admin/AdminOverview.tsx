// The administrator's home: where the practice is set up. Administrators see no request content
// unless they hold another role (SEC-2), so their home is the places they manage.
import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

const PLACES = [
  {
    to: '/admin/staff',
    title: 'Staff and supervision',
    text: 'Add staff members, change their roles, deactivate accounts, and say who supervises whom.',
  },
  {
    to: '/settings',
    title: 'Practice settings',
    text: 'Name, time zone, privacy officer, step durations, the escalation ladder, the practice target and the important notices.',
  },
  {
    to: '/admin/rule-packs',
    title: 'Rule packs',
    text: 'The legal rules in force for your state and the federal baseline, their versions, and values still to confirm.',
  },
  {
    to: '/admin/letter-templates',
    title: 'Letter templates',
    text: 'Your own starting points for letters, reports and notes for a verbal discussion, with the request’s facts filled in.',
  },
  {
    to: '/privacy/audit',
    title: 'Audit log',
    text: 'Who did what, and when: every change and every read of health information.',
  },
] as const;

export function AdminOverview() {
  return (
    <Stack gap="xs" component="section" aria-labelledby="admin-home">
      <Title order={2} size="h4" id="admin-home">
        Administration
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        {PLACES.map((p) => (
          <Paper key={p.to} withBorder radius="md" p="md" className="rd-card" component="article">
            <Anchor component={Link} to={p.to} className="rd-card-link" fw={700} c="desk.8">
              {p.title}
            </Anchor>
            <Text size="sm" c="dimmed" mt={4}>
              {p.text}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

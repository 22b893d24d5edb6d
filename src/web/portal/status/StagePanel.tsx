// Where the request is, in plain words: the five steps with the current one marked (for an ended
// request, how it ended), and the dates: received, the answer date, an extension told plainly.
import { Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PORTAL_STEPS, type PortalStatus } from '../../../shared/schemas/portal';
import { longDay } from './parts';

const isStep = (stage: string): stage is (typeof PORTAL_STEPS)[number] =>
  (PORTAL_STEPS as readonly string[]).includes(stage);

export function StagePanel({ status }: { status: PortalStatus }) {
  const { t, i18n } = useTranslation('status');
  const lng = i18n.language;
  // No fee, no payment step: the requester sees only the steps their request goes through.
  const steps = PORTAL_STEPS.filter(
    (step) => step !== 'payment' || status.invoice || status.stage === 'payment',
  );
  const current = isStep(status.stage) ? steps.indexOf(status.stage) : -1;
  // "Your therapist … with you" is the client's; anyone else reads about the client.
  const word = (stage: string) =>
    stage === 'reviewing' && !status.requesterIsClient ? 'reviewingOther' : stage;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="stage-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="stage-heading">
          {t('stage.heading')}
        </Title>
        <Text size="xl" fw={650} data-testid="portal-stage">
          {t(`stage.${word(status.stage)}`)}
        </Text>
        <Text>{t(`stage.${word(status.stage)}Detail`)}</Text>
        {current >= 0 && (
          <List
            type="ordered"
            spacing={6}
            aria-label={t('stage.steps')}
            listStyleType="none"
            withPadding={false}
          >
            {steps.map((step, i) => (
              <List.Item key={step} aria-current={i === current ? 'step' : undefined}>
                <Group gap="xs" wrap="nowrap">
                  <Badge
                    variant={i === current ? 'filled' : 'light'}
                    color={i < current ? 'green' : i === current ? 'desk' : 'gray'}
                    miw={64}
                  >
                    {i < current ? t('stage.done') : i === current ? t('stage.now') : t('stage.next')}
                  </Badge>
                  <Text fw={i === current ? 650 : 400}>{t(`stage.${word(step)}`)}</Text>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        <Title order={3} size="h5" mt="xs">
          {t('dates.heading')}
        </Title>
        <Text>{t('dates.received', { date: longDay(status.receivedOn, lng) })}</Text>
        {status.endedOn ? (
          <Text>{t('dates.ended', { date: longDay(status.endedOn, lng) })}</Text>
        ) : (
          <Text fw={600}>{t('dates.due', { date: longDay(status.dueOn, lng) })}</Text>
        )}
        {status.extended && status.originalDueOn && !status.endedOn && (
          <Text size="sm">
            {t('dates.extended', {
              from: longDay(status.originalDueOn, lng),
              to: longDay(status.dueOn, lng),
            })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

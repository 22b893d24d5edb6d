// On the status page: a card when there is a form to sign here, or a signed copy to download.
import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PortalSignView } from '../../../shared/schemas/portal-sign';
import { getJson } from '../api';

export function SignCard({ number }: { number: string }) {
  const { t } = useTranslation('sign');
  const path = `/portal/requests/${encodeURIComponent(number)}/authorization`;
  const view = useQuery({
    queryKey: ['portal', 'authorization', number, 'summary'],
    queryFn: () => getJson<PortalSignView>(`/api${path}?summary=1`),
    retry: false,
  });
  const state = view.data?.state;
  if (state !== 'to_sign' && state !== 'signed') return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sign-card-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="sign-card-heading">
          {t('statusCard.heading')}
        </Title>
        <Text>{state === 'to_sign' ? t('statusCard.toSign') : t('statusCard.signed')}</Text>
        <Anchor component={Link} to={path} fw={600}>
          {state === 'to_sign' ? t('statusCard.open') : t('statusCard.view')}
        </Anchor>
      </Stack>
    </Paper>
  );
}

// One screen of the form: its heading (focused on arrival), where the requester is, the question,
// a plain error summary announced to screen readers, and Back / Continue. Enter submits.
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../Layout';

export function StepFrame(props: {
  title: string;
  n: number;
  total: number;
  error: string | null;
  busy?: boolean;
  nextLabel?: string;
  onBack: (() => void) | null;
  onNext: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation('intake');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onNext();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {/* Before the kind is chosen the number of steps is not known yet. */}
        {props.total > 1 && (
          <Text size="sm" c="dimmed">
            {t('step', { n: props.n, total: props.total })}
          </Text>
        )}
        <PageTitle text={props.title}>{props.title}</PageTitle>
        <div role="alert" aria-live="assertive">
          {props.error && (
            <Alert color="red" variant="light">
              {props.error}
            </Alert>
          )}
        </div>
        {props.children}
        <Group justify="space-between" mt="sm">
          {props.onBack ? (
            <Button variant="default" onClick={props.onBack} disabled={props.busy}>
              {t('back')}
            </Button>
          ) : (
            <span />
          )}
          <Button type="submit" loading={props.busy}>
            {props.nextLabel ?? t('next')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

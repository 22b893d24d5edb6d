// Pieces the action forms share: the submit row with the API's refusal, and the scope fields.
import { Button, Checkbox, Group, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { DOCUMENT_CLASS_LABELS, DOCUMENT_CLASSES } from '../../../../shared/request-kinds';
import { ActionError } from '../../../components/States';

export function SubmitRow({
  label,
  pending,
  error,
  disabled,
  children,
}: {
  label: string;
  pending: boolean;
  error: unknown;
  disabled?: boolean;
  children?: ReactNode;
}) {
  return (
    <Stack gap="xs">
      <ActionError error={error} />
      <Group justify="flex-end" gap="sm">
        {children}
        <Button type="submit" loading={pending} disabled={disabled}>
          {label}
        </Button>
      </Group>
    </Stack>
  );
}

export interface ScopeValues {
  scopeClasses: string[];
  scopeFrom: string;
  scopeTo: string;
}

export function scopeBody(v: ScopeValues) {
  return {
    documentClasses: v.scopeClasses,
    dateFrom: v.scopeFrom || null,
    dateTo: v.scopeTo || null,
  };
}

/** "approvedScope.documentClasses" → "scopeClasses" (and the dates). */
export function scopeField(prefix: string) {
  return (key: string) =>
    key === `${prefix}.documentClasses` || key === prefix
      ? 'scopeClasses'
      : key === `${prefix}.dateFrom`
        ? 'scopeFrom'
        : key === `${prefix}.dateTo`
          ? 'scopeTo'
          : key;
}

type InputProps = (path: string) => GetInputPropsReturnType;

export function ScopeFields({ label, inputProps }: { label: string; inputProps: InputProps }) {
  return (
    <Stack gap="xs">
      <Checkbox.Group label={label} {...inputProps('scopeClasses')}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt={6}>
          {DOCUMENT_CLASSES.map((c) => (
            <Checkbox key={c} value={c} label={DOCUMENT_CLASS_LABELS[c]} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput type="date" label="From (optional)" {...inputProps('scopeFrom')} />
        <TextInput type="date" label="To (optional)" {...inputProps('scopeTo')} />
      </SimpleGrid>
    </Stack>
  );
}

// Small pieces of the status pages: the practice's phone and email as links, money, and dates in the
// page's language.
import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A button whose words wrap on a narrow phone instead of being cut off. */
export const WRAPPING = {
  root: { height: 'auto', minHeight: 44, paddingBlock: 8 },
  label: { whiteSpace: 'normal', textAlign: 'center' },
} as const;

export interface Practice {
  name: string;
  phone: string | null;
  email: string | null;
}

export function ContactLines({ practice }: { practice: Practice }) {
  const { t } = useTranslation('status');
  return (
    <>
      {practice.phone && (
        <Text size="sm">
          {t('contact.phone')}:{' '}
          <Anchor href={`tel:${practice.phone.replace(/[^0-9+]/g, '')}`}>{practice.phone}</Anchor>
        </Text>
      )}
      {practice.email && (
        <Text size="sm">
          {t('contact.email')}: <Anchor href={`mailto:${practice.email}`}>{practice.email}</Anchor>
        </Text>
      )}
    </>
  );
}

/** 12345 -> "$123.45" (es: "US$123.45"). */
export function money(cents: number, lng: string): string {
  return new Intl.NumberFormat(lng === 'es' ? 'es-US' : 'en-US', {
    style: 'currency',
    currency: 'USD',
  }).format(cents / 100);
}

/** "2027-03-31" -> "Wednesday, March 31, 2027" / "miércoles, 31 de marzo de 2027" (the date as written). */
export function longDay(isoDate: string, lng: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lng === 'es' ? 'es-US' : 'en-US', {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function when(isoInstant: string, lng: string): string {
  return new Intl.DateTimeFormat(lng === 'es' ? 'es-US' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(isoInstant));
}

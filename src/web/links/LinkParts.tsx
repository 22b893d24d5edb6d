// Pieces every step of the recipient page shows: the language switch (issue 7, like the portal's),
// the practice's name over the heading, and the notice that email is not set up (issue 5) with how
// to reach the practice. Words from words.ts.
import { Alert, Anchor, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import type { OpenedLink } from './api';
import { LANGUAGE_NAMES, type LinkLanguage, type LinkWords } from './words';

export function Header({ practiceName, words }: { practiceName: string; words: LinkWords }) {
  return (
    <Stack gap={4}>
      <Text size="sm" c="dimmed" fw={600}>
        {practiceName}
      </Text>
      <Title order={1} size="h2">
        {words.waitingTitle}
      </Title>
    </Stack>
  );
}

/**
 * Issue 5: when the practice has not set up email, the code never arrives by itself: say so, and how
 * to reach the practice (its phone and email when it keeps them), so someone there can read it out.
 */
export function MailNotice({ link, words }: { link: OpenedLink; words: LinkWords }) {
  if (link.mailDelivered) return null;
  return (
    <Alert color="yellow" title={words.mailTitle}>
      <Text size="sm">
        {words.mailBody(link.practiceName, Boolean(link.practicePhone || link.practiceEmail))}
      </Text>
      {link.practicePhone && (
        <Text size="sm">
          {words.phone}:{' '}
          <Anchor href={`tel:${link.practicePhone.replace(/[^0-9+]/g, '')}`}>{link.practicePhone}</Anchor>
        </Text>
      )}
      {link.practiceEmail && (
        <Text size="sm">
          {words.email}: <Anchor href={`mailto:${link.practiceEmail}`}>{link.practiceEmail}</Anchor>
        </Text>
      )}
    </Alert>
  );
}

/** English or Spanish, whichever the person prefers; each name in its own language. */
export function LanguageSwitch({
  words,
  onChange,
}: {
  words: LinkWords;
  onChange: (language: LinkLanguage) => void;
}) {
  return (
    <Group justify="flex-end">
      <Text component="span" id="link-language-label" style={hidden}>
        {words.language}
      </Text>
      <SegmentedControl
        aria-labelledby="link-language-label"
        // "sm": each choice at least 24 px high (WCAG 2.2 target size) on a phone.
        size="sm"
        value={words.htmlLang}
        onChange={(value) => onChange(value === 'es' ? 'es' : 'en')}
        data={(['en', 'es'] as const).map((lng) => ({
          value: lng,
          label: <span lang={lng}>{LANGUAGE_NAMES[lng]}</span>,
        }))}
      />
    </Group>
  );
}

const hidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

// The portal's calm, phone-first frame (issue 7): a skip link, the practice's name, the language
// switch (remembered), one narrow column, and a footer. Each screen starts with <PageTitle>, which
// takes the focus when the screen appears so a screen reader and a keyboard start from its heading.
import { Anchor, Box, Container, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, rememberLanguage } from './i18n';

/** The practice as the requester may reach it (its records contact: no staff member's details). */
export interface PracticeHelp {
  name: string;
  phone?: string | null;
  email?: string | null;
}

interface PracticeContextValue {
  practice: PracticeHelp | null;
  setPractice: (practice: PracticeHelp | null) => void;
}

const PracticeContext = createContext<PracticeContextValue>({
  practice: null,
  setPractice: () => undefined,
});

/**
 * A screen that learns the practice (from the server) shows its name in the header and how to reach
 * it in the footer: WCAG 2.2 3.2.6 (consistent help), the same help in the same place on every screen.
 */
export function usePracticeName(
  name: string | null | undefined,
  contact: { phone?: string | null; email?: string | null } = {},
): void {
  const { setPractice } = useContext(PracticeContext);
  const { phone = null, email = null } = contact;
  useEffect(() => {
    if (name) setPractice({ name, phone, email });
  }, [name, phone, email, setPractice]);
}

function FooterHelp({ practice }: { practice: PracticeHelp }) {
  const { t } = useTranslation();
  return (
    <Stack gap={2} mb="xs" data-testid="portal-help">
      <Text size="sm">{t('help.intro', { name: practice.name })}</Text>
      {practice.phone && (
        <Text size="sm">
          {t('help.phone')}:{' '}
          <Anchor href={`tel:${practice.phone.replace(/[^0-9+]/g, '')}`}>{practice.phone}</Anchor>
        </Text>
      )}
      {practice.email && (
        <Text size="sm">
          {t('help.email')}: <Anchor href={`mailto:${practice.email}`}>{practice.email}</Anchor>
        </Text>
      )}
    </Stack>
  );
}

export const MAIN_ID = 'portal-main';

/** The screen's one h1: it takes the focus on arrival and names the browser tab. */
export function PageTitle({ children, text }: { children: ReactNode; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${text} · ${t('portalName')}`;
    ref.current?.focus();
  }, [text, t]);
  return (
    <Title order={1} size="h2" ref={ref} tabIndex={-1} style={{ outline: 'none' }}>
      {children}
    </Title>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Box>
      <Text component="span" id="portal-language-label" className="visually-hidden" style={hidden}>
        {t('language')}
      </Text>
      <SegmentedControl
        aria-labelledby="portal-language-label"
        size="xs"
        value={i18n.language}
        onChange={(value) => {
          if (!isLanguage(value)) return;
          rememberLanguage(value);
          void i18n.changeLanguage(value);
        }}
        data={LANGUAGES.map((lng) => ({
          value: lng,
          label: <span lang={lng}>{LANGUAGE_NAMES[lng]}</span>,
        }))}
      />
    </Box>
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

export function PortalLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [practice, setPractice] = useState<PracticeHelp | null>(null);
  const practiceName = practice?.name ?? null;
  return (
    <PracticeContext.Provider value={{ practice, setPractice }}>
      <Anchor
        href={`#${MAIN_ID}`}
        style={{ ...hidden }}
        onFocus={(e) =>
          Object.assign(e.currentTarget.style, {
            position: 'static',
            width: 'auto',
            height: 'auto',
            clip: 'auto',
          })
        }
        onBlur={(e) => Object.assign(e.currentTarget.style, hidden)}
      >
        {t('skipToContent')}
      </Anchor>
      <Box component="header" bg="desk.7" c="white" py="sm">
        <Container size={560} px="md">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Box>
              <Text fw={650} size="lg" c="white">
                {practiceName ?? t('portalName')}
              </Text>
              {practiceName && (
                <Text size="sm" c="white">
                  {t('portalName')}
                </Text>
              )}
            </Box>
            <LanguageSwitch />
          </Group>
        </Container>
      </Box>
      <Container component="main" id={MAIN_ID} size={560} px="md" py="lg" tabIndex={-1}>
        {children}
      </Container>
      <Container component="footer" size={560} px="md" pb="xl">
        {practice && <FooterHelp practice={practice} />}
        <Text size="sm" c="dimmed">
          {t('footer')}
        </Text>
      </Container>
    </PracticeContext.Provider>
  );
}

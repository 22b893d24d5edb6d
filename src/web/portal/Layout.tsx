// The portal's calm, phone-first frame (issue 7): a skip link, the practice's name, the language
// switch (remembered), one narrow column, and a footer. Each screen starts with <PageTitle>, which
// takes the focus when the screen appears so a screen reader and a keyboard start from its heading.
import { Anchor, Box, Container, Group, SegmentedControl, Text, Title } from '@mantine/core';
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, rememberLanguage } from './i18n';

interface PracticeContextValue {
  practiceName: string | null;
  setPracticeName: (name: string | null) => void;
}

const PracticeContext = createContext<PracticeContextValue>({
  practiceName: null,
  setPracticeName: () => undefined,
});

/** A screen that learns the practice's name (from the server) shows it in the header. */
export function usePracticeName(name: string | null | undefined): void {
  const { setPracticeName } = useContext(PracticeContext);
  useEffect(() => {
    if (name) setPracticeName(name);
  }, [name, setPracticeName]);
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
  const [practiceName, setPracticeName] = useState<string | null>(null);
  return (
    <PracticeContext.Provider value={{ practiceName, setPracticeName }}>
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
        <Text size="sm" c="dimmed">
          {t('footer')}
        </Text>
      </Container>
    </PracticeContext.Provider>
  );
}

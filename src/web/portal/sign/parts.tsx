// The pieces of the sign page: the form's sections (the server's exact words, marked with the form's
// language; a summary above each section of an English form read on a page in another language) and
// the signed confirmation with its download.
import { Anchor, Button, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PortalSigned, PortalSignView } from '../../../shared/schemas/portal-sign';
import { fetchFile, saveFile } from '../api';

type SummaryKey = 'intro' | 'whoShares' | 'whoGets' | 'which' | 'why' | 'ends' | 'rights' | 'signHere';

/** Which summary goes with a section of the English form. */
function summaryKey(heading: string, index: number): SummaryKey | null {
  if (index === 0) return 'intro';
  const byNumber: Record<string, SummaryKey> = {
    '1': 'whoShares',
    '2': 'whoGets',
    '3': 'which',
    '4': 'why',
    '5': 'ends',
  };
  const n = heading.match(/^(\d)\./)?.[1];
  if (n) return byNumber[n] ?? null;
  if (heading === 'Your rights') return 'rights';
  if (heading === 'Sign here') return 'signHere';
  return null;
}

export function FormSections({ view }: { view: PortalSignView }) {
  const { t, i18n } = useTranslation('sign');
  const lang = view.formLanguage;
  // Summaries go with the English form's sections only, on a page not in English.
  const summarize = lang === 'en' && i18n.language !== 'en';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="form-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="form-heading" lang={lang}>
          {view.title}
        </Title>
        {view.sections.map((s, i) => {
          const key = summarize ? summaryKey(s.heading, i) : null;
          const summary = key ? t(`summaries.${key}`) : '';
          return (
            <Stack key={s.heading} gap={4}>
              {i > 0 && (
                <Title order={3} size="h5" lang={lang}>
                  {s.heading}
                </Title>
              )}
              {summary && (
                <Text size="sm" fs="italic" c="dark.6">
                  <b>{t('summaryHeading')}:</b> {summary}
                </Text>
              )}
              <div lang={lang}>
                {s.blocks.map((b) =>
                  b.type === 'paragraph' ? (
                    <Text key={b.text}>{b.text}</Text>
                  ) : b.type === 'list' ? (
                    <List key={b.items.join('|')} spacing={4}>
                      {b.items.map((item) => (
                        <List.Item key={item}>{item}</List.Item>
                      ))}
                    </List>
                  ) : (
                    b.rows.map((f) => (
                      <Text key={`${f.label}:${f.value}`}>
                        <b>{f.label}:</b> {f.value}
                      </Text>
                    ))
                  ),
                )}
              </div>
            </Stack>
          );
        })}
        {view.pdfUrl && (
          <Anchor href={view.pdfUrl} target="_blank" rel="noreferrer">
            {t('pdfLink')}
          </Anchor>
        )}
        {view.sha256 && (
          <Text size="xs" c="dark.5" style={{ overflowWrap: 'anywhere' }}>
            {t('fingerprint', { sha256: view.sha256 })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function SignedPanel({ signed }: { signed: Pick<PortalSigned, 'signedAt' | 'downloadUrl'> }) {
  const { t, i18n } = useTranslation('sign');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' }).format(
    new Date(signed.signedAt),
  );
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      saveFile(await fetchFile(signed.downloadUrl));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Text>{t('done', { date })}</Text>
        <Text>{t('nextStep')}</Text>
        <Button size="md" onClick={() => void download()} loading={busy}>
          {t('download')}
        </Button>
        {error && (
          <Text c="red.9" role="alert">
            {error}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

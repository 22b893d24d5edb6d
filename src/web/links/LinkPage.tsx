// The page a secure link opens (rule REL-2), outside the staff sign-in: the practice's name, that a
// document is waiting, the code from the email (and, for someone other than the client, the code
// read out by phone or the client's date of birth), then a download button. A link that cannot be
// used any more says so calmly, with how to reach the practice. Nothing about the client or the
// records is ever shown here: the server tells this page only the practice's name and how to reach
// it, whether email is set up (issue 5), and the request's language (issue 7: Spanish words from
// words.ts for a request made in Spanish). Before the link answers, the page speaks the language the
// person chose before or the browser's (language.ts); then the request's, also for a link that is
// gone, unless the person chose; a switch changes it at any time. The steps: CodesStep.tsx,
// DownloadStep.tsx.
import { Alert, Anchor, Box, Center, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type Grant, LinkError, type OpenedLink, openLink } from './api';
import { CodesStep } from './CodesStep';
import { DownloadStep } from './DownloadStep';
import { goneOf } from './gone';
import { Header, LanguageSwitch } from './LinkParts';
import { chosenLanguage, initialLanguage, rememberLanguage } from './language';
import { type LinkLanguage, linkWords } from './words';

type State =
  | { name: 'opening' }
  | { name: 'gone'; err: unknown }
  | { name: 'codes'; link: OpenedLink }
  | { name: 'ready'; link: OpenedLink; grant: Grant }
  | { name: 'downloaded'; link: OpenedLink; fileName: string; downloadsLeft: number };

/** The token from /links/<token> (the router is not mounted on this page). */
export function tokenFromPath(pathname: string): string {
  return decodeURIComponent(pathname.replace(/^\/links\//, '').replace(/\/+$/, ''));
}

export function LinkPage({ token }: { token: string }) {
  const [state, setState] = useState<State>({ name: 'opening' });
  // The person's own choice, else the browser's, until the link says the request's.
  const [language, setLanguage] = useState<LinkLanguage>(initialLanguage);
  const words = linkWords(language);
  const opened = useRef(false);
  /** The request's language, unless the person chose one (here or in the portal). */
  const adopt = useCallback((requested: LinkLanguage | null) => {
    if (requested && !chosenLanguage()) setLanguage(requested);
  }, []);
  const gone = useCallback(
    (err: unknown) => {
      if (err instanceof LinkError) adopt(err.language);
      setState({ name: 'gone', err });
    },
    [adopt],
  );
  const choose = (chosen: LinkLanguage) => {
    rememberLanguage(chosen);
    setLanguage(chosen);
  };

  useEffect(() => {
    // Opening is audited on the server: once per page load, even under React's strict double effects.
    if (opened.current) return;
    opened.current = true;
    openLink(token)
      .then((link) => {
        adopt(link.language === 'es' ? 'es' : 'en');
        setState({ name: 'codes', link });
      })
      .catch(gone);
  }, [token, adopt, gone]);

  useEffect(() => {
    const practice = 'link' in state ? state.link.practiceName : null;
    document.title = words.docTitle(practice);
    document.documentElement.lang = words.htmlLang;
  }, [state, words]);

  const goneText = state.name === 'gone' ? goneOf(state.err, words) : null;

  return (
    <Center mih="90vh" px="md" py="xl">
      <Box component="main" w="100%" maw={480} lang={words.htmlLang}>
        <LanguageSwitch words={words} onChange={choose} />
        <Paper withBorder radius="md" p="xl" shadow="xs" mt="xs">
          {state.name === 'opening' && (
            <Stack align="center" gap="sm" role="status">
              <Loader size="md" aria-hidden />
              <Text>{words.opening}</Text>
            </Stack>
          )}
          {goneText && (
            <Stack gap="md">
              <Title order={1} size="h2">
                {goneText.title}
              </Title>
              <Text>{goneText.message}</Text>
              <Text>{words.reachUs}</Text>
            </Stack>
          )}
          {state.name === 'codes' && (
            <CodesStep
              token={token}
              link={state.link}
              words={words}
              onGrant={(grant) => setState({ name: 'ready', link: state.link, grant })}
              onGone={gone}
            />
          )}
          {state.name === 'ready' && (
            <DownloadStep
              token={token}
              link={state.link}
              grant={state.grant}
              words={words}
              onDone={(fileName) =>
                setState({
                  name: 'downloaded',
                  link: state.link,
                  fileName,
                  downloadsLeft: state.grant.downloadsLeft - 1,
                })
              }
              onGone={gone}
              onExpired={() => setState({ name: 'codes', link: state.link })}
            />
          )}
          {state.name === 'downloaded' && (
            <Stack gap="md">
              <Header practiceName={state.link.practiceName} words={words} />
              <Alert color="teal" title={words.downloaded} role="status">
                {words.keepPrivate(state.fileName)}
              </Alert>
              <Text>
                {words.usesLeft(state.downloadsLeft)} {words.closePage}
              </Text>
              {state.downloadsLeft > 0 && (
                <Anchor
                  component="button"
                  type="button"
                  onClick={() => setState({ name: 'codes', link: state.link })}
                >
                  {words.again}
                </Anchor>
              )}
            </Stack>
          )}
        </Paper>
        <Text size="sm" c="dimmed" ta="center" mt="md">
          {words.footer}
        </Text>
      </Box>
    </Center>
  );
}

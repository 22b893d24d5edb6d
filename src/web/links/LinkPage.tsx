// The page a secure link opens (rule REL-2), outside the staff sign-in: the practice's name, that a
// document is waiting, the code from the email (and, for someone other than the client, the code
// read out by phone or the client's date of birth), then a download button. A link that cannot be
// used any more says so calmly, with how to reach the practice. Nothing about the client or the
// records is ever shown here: the server tells this page only the practice's name and how to reach
// it, and whether email is set up (issue 5: without it, the page says so, as the code may not come).
import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  confirmLink,
  downloadViaLink,
  type Grant,
  LinkError,
  type Need,
  type OpenedLink,
  openLink,
} from './api';

type State =
  | { name: 'opening' }
  | { name: 'gone'; title: string; message: string }
  | { name: 'codes'; link: OpenedLink }
  | { name: 'ready'; link: OpenedLink; grant: Grant }
  | { name: 'downloaded'; link: OpenedLink; fileName: string; downloadsLeft: number };

const REACH_US =
  'To reach the practice, reply to the email this link came in, or call the number on its letters or website.';

/**
 * Issue 5: when the practice has not set up email, the code never arrives by itself: say so, and how
 * to reach the practice (its phone and email when it keeps them), so someone there can read it out.
 */
function MailNotice({ link }: { link: OpenedLink }) {
  if (link.mailDelivered) return null;
  return (
    <Alert color="yellow" title="Email is not set up at this practice">
      <Text size="sm">
        The confirmation code may not reach your inbox. Contact {link.practiceName || 'the practice'} and they
        can read it out to you by phone
        {link.practicePhone || link.practiceEmail ? ':' : '.'}
      </Text>
      {link.practicePhone && (
        <Text size="sm">
          Phone:{' '}
          <Anchor href={`tel:${link.practicePhone.replace(/[^0-9+]/g, '')}`}>{link.practicePhone}</Anchor>
        </Text>
      )}
      {link.practiceEmail && (
        <Text size="sm">
          Email: <Anchor href={`mailto:${link.practiceEmail}`}>{link.practiceEmail}</Anchor>
        </Text>
      )}
    </Alert>
  );
}

/** The token from /links/<token> (the router is not mounted on this page). */
export function tokenFromPath(pathname: string): string {
  return decodeURIComponent(pathname.replace(/^\/links\//, '').replace(/\/+$/, ''));
}

function goneState(err: unknown): State {
  if (err instanceof LinkError && err.status === 404) {
    return {
      name: 'gone',
      title: 'This link does not work',
      message:
        'Check that you opened the whole link from the email (it is long, and some email programs break it across lines).',
    };
  }
  if (err instanceof LinkError && err.status === 410) {
    const titles: Record<string, string> = {
      link_expired: 'This link has expired',
      link_revoked: 'This link is no longer valid',
      link_used_up: 'This link has been used up',
      link_locked: 'This link is locked',
    };
    const title = titles[err.code] ?? 'This link cannot be used';
    // The server's words often begin with the title itself: say it once.
    return { name: 'gone', title, message: err.message.replace(`${title}. `, '') };
  }
  return {
    name: 'gone',
    title: 'The page could not be opened',
    message: err instanceof Error ? err.message : 'Try again in a few minutes.',
  };
}

export function LinkPage({ token }: { token: string }) {
  const [state, setState] = useState<State>({ name: 'opening' });
  const opened = useRef(false);

  useEffect(() => {
    // Opening is audited on the server: once per page load, even under React's strict double effects.
    if (opened.current) return;
    opened.current = true;
    openLink(token)
      .then((link) => setState({ name: 'codes', link }))
      .catch((err: unknown) => setState(goneState(err)));
  }, [token]);

  useEffect(() => {
    const practice = 'link' in state ? state.link.practiceName : null;
    document.title = practice ? `A document from ${practice}` : 'A document is waiting';
  }, [state]);

  return (
    <Center mih="90vh" px="md" py="xl">
      <Box component="main" w="100%" maw={480}>
        <Paper withBorder radius="md" p="xl" shadow="xs">
          {state.name === 'opening' && (
            <Stack align="center" gap="sm" role="status">
              <Loader size="md" aria-hidden />
              <Text>Opening the secure link…</Text>
            </Stack>
          )}
          {state.name === 'gone' && (
            <Stack gap="md">
              <Title order={1} size="h2">
                {state.title}
              </Title>
              <Text>{state.message}</Text>
              <Text>{REACH_US}</Text>
            </Stack>
          )}
          {state.name === 'codes' && (
            <CodesStep
              token={token}
              link={state.link}
              onGrant={(grant) => setState({ name: 'ready', link: state.link, grant })}
              onGone={(err) => setState(goneState(err))}
            />
          )}
          {state.name === 'ready' && (
            <DownloadStep
              token={token}
              link={state.link}
              grant={state.grant}
              onDone={(fileName) =>
                setState({
                  name: 'downloaded',
                  link: state.link,
                  fileName,
                  downloadsLeft: state.grant.downloadsLeft - 1,
                })
              }
              onGone={(err) => setState(goneState(err))}
              onExpired={() => setState({ name: 'codes', link: state.link })}
            />
          )}
          {state.name === 'downloaded' && (
            <Stack gap="md">
              <Header practiceName={state.link.practiceName} />
              <Alert color="teal" title="Downloaded" role="status">
                {state.fileName} is in your downloads folder. Keep it somewhere private.
              </Alert>
              <Text>
                {state.downloadsLeft > 0
                  ? `This link can be used ${state.downloadsLeft} more ${state.downloadsLeft === 1 ? 'time' : 'times'}: to download again, enter the code again.`
                  : 'This link has now been used as many times as allowed.'}{' '}
                You can close this page.
              </Text>
              {state.downloadsLeft > 0 && (
                <Anchor
                  component="button"
                  type="button"
                  onClick={() => setState({ name: 'codes', link: state.link })}
                >
                  Download again
                </Anchor>
              )}
            </Stack>
          )}
        </Paper>
        <Text size="sm" c="dimmed" ta="center" mt="md">
          A secure link from your provider. Nobody else can use it without your code.
        </Text>
      </Box>
    </Center>
  );
}

function Header({ practiceName }: { practiceName: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" c="dimmed" fw={600}>
        {practiceName}
      </Text>
      <Title order={1} size="h2">
        A document is waiting for you
      </Title>
    </Stack>
  );
}

const FIELD_LABELS: Record<Need, string> = {
  code: 'Confirmation code from the email',
  phoneCode: 'Code read out to you by phone',
  dateOfBirth: 'The client’s date of birth',
};

function CodesStep({
  token,
  link,
  onGrant,
  onGone,
}: {
  token: string;
  link: OpenedLink;
  onGrant: (grant: Grant) => void;
  onGone: (err: unknown) => void;
}) {
  const [values, setValues] = useState<Record<Need, string>>({ code: '', phoneCode: '', dateOfBirth: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState<Need[]>([]);
  const [busy, setBusy] = useState(false);
  const expires = new Date(link.expiresAt).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const empty = link.needs.filter((n) => !values[n].trim());
    setMissing(empty);
    if (empty.length > 0) {
      setProblem(null);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onGrant(
        await confirmLink(token, {
          code: values.code.trim(),
          ...(link.needs.includes('phoneCode') ? { phoneCode: values.phoneCode.trim() } : {}),
          ...(link.needs.includes('dateOfBirth') ? { dateOfBirth: values.dateOfBirth } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof LinkError && (err.status === 410 || err.status === 404)) onGone(err);
      else setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (need: Need) => {
    const error = missing.includes(need)
      ? need === 'dateOfBirth'
        ? 'Enter the date of birth.'
        : 'Enter the 6-digit code.'
      : undefined;
    const common = {
      label: FIELD_LABELS[need],
      value: values[need],
      error,
      required: true,
      onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
        const value = e.currentTarget.value;
        setValues((v) => ({ ...v, [need]: value }));
      },
    };
    if (need === 'dateOfBirth') return <TextInput key={need} {...common} type="date" autoComplete="off" />;
    return (
      <TextInput
        key={need}
        {...common}
        inputMode="numeric"
        pattern="[0-9]*"
        maxLength={6}
        autoComplete={need === 'code' ? 'one-time-code' : 'off'}
        description={need === 'code' ? 'Six digits, sent in a separate email.' : undefined}
      />
    );
  };

  return (
    <form onSubmit={submit} aria-label="Confirm it is you" noValidate>
      <Stack gap="md">
        <Header practiceName={link.practiceName} />
        <Text>
          {link.needs.length > 1
            ? 'To keep it private, enter the code we sent to your email, and the second check below.'
            : 'To keep it private, enter the code we sent to your email.'}
        </Text>
        <MailNotice link={link} />
        {link.needs.map(field)}
        {problem && (
          <Alert color="red" role="alert" title="Not yet">
            {problem}
          </Alert>
        )}
        <Button type="submit" loading={busy} size="md">
          Continue
        </Button>
        <Text size="sm" c="dimmed">
          The link works until {expires}. {REACH_US}
        </Text>
      </Stack>
    </form>
  );
}

function DownloadStep({
  token,
  link,
  grant,
  onDone,
  onGone,
  onExpired,
}: {
  token: string;
  link: OpenedLink;
  grant: Grant;
  onDone: (fileName: string) => void;
  onGone: (err: unknown) => void;
  onExpired: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const { blob, fileName } = await downloadViaLink(token, grant.grant);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      onDone(fileName);
    } catch (err) {
      if (err instanceof LinkError && (err.status === 410 || err.status === 404)) onGone(err);
      else if (err instanceof LinkError && err.code === 'confirm_first') onExpired();
      else setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Header practiceName={link.practiceName} />
      <Alert color="teal" title="Thank you, that is right" role="status">
        Your document is ready to download (a PDF).
      </Alert>
      {problem && (
        <Alert color="red" role="alert" title="The download did not start">
          {problem}
        </Alert>
      )}
      <Button size="md" onClick={() => void download()} loading={busy}>
        Download the document
      </Button>
      <Text size="sm" c="dimmed">
        For your privacy, download it within 15 minutes; after that, enter the code again.
      </Text>
    </Stack>
  );
}

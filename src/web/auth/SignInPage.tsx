// Signing in: the password (or, from a one-time link, setting it), then the second factor or its
// enrolment. On a demo server the demo logins are listed (they skip the second factor).
import {
  Alert,
  Box,
  Button,
  Center,
  Code,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useContext, useState } from 'react';
import { useNavigate } from 'react-router';
import { post, setCsrfToken } from '../api/client';
import { keys, useInstance } from '../api/hooks';
import type { Instance, LoginAnswer } from '../api/types';
import { SignedOutContext } from '../app/session';
import { errorHint } from '../components/States';
import { CodeStep, EnrolStep, RecoveryCodesStep } from './SecondFactor';

/** The server's minimum (src/server/auth/passwords.ts); it says so again if this ever differs. */
const MIN_PASSWORD_LENGTH = 12;

type Step =
  | { name: 'password' }
  | { name: 'code' }
  | { name: 'enrol'; otpauthUrl: string }
  | { name: 'recovery'; codes: string[]; csrfToken: string };

export function SignInPage({ linkToken }: { linkToken: string | null }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { reason, setReason } = useContext(SignedOutContext);
  const instance = useInstance().data;
  const [step, setStep] = useState<Step>({ name: 'password' });

  const signedIn = (csrfToken: string) => {
    setCsrfToken(csrfToken);
    setReason(null);
    if (linkToken) navigate('/', { replace: true });
    void qc.invalidateQueries({ queryKey: keys.me });
  };
  const started = (answer: LoginAnswer) => {
    setCsrfToken(answer.csrfToken);
    if ('mfaRequired' in answer) setStep({ name: 'code' });
    else if ('mfaEnrollmentRequired' in answer) setStep({ name: 'enrol', otpauthUrl: answer.otpauthUrl });
    else signedIn(answer.csrfToken);
  };

  return (
    <Center mih="80vh" px="md" py="xl">
      <Box w="100%" maw={460}>
        <Stack gap="lg">
          <Title order={1} c="desk.8" ta="center">
            Release Desk
          </Title>
          {reason && step.name === 'password' && (
            <Alert color="blue" role="status">
              {reason}
            </Alert>
          )}
          <Paper withBorder shadow="xs" p="lg" radius="md">
            {step.name === 'password' &&
              (linkToken ? (
                <SetPasswordForm token={linkToken} onAnswer={started} />
              ) : (
                <PasswordForm onAnswer={started} instance={instance} />
              ))}
            {step.name === 'code' && <CodeStep onDone={signedIn} />}
            {step.name === 'enrol' && (
              <EnrolStep
                otpauthUrl={step.otpauthUrl}
                onDone={(csrfToken, codes) => {
                  setCsrfToken(csrfToken);
                  setStep({ name: 'recovery', codes, csrfToken });
                }}
              />
            )}
            {step.name === 'recovery' && (
              <RecoveryCodesStep codes={step.codes} onContinue={() => signedIn(step.csrfToken)} />
            )}
          </Paper>
          {instance?.demoLogins && step.name === 'password' && !linkToken && (
            <DemoLogins instance={instance} />
          )}
        </Stack>
      </Box>
    </Center>
  );
}

function PasswordForm({ onAnswer, instance }: { onAnswer: (a: LoginAnswer) => void; instance?: Instance }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your email and your password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post<LoginAnswer>('/api/auth/login', { email, password }, { signInCall: true });
      onAnswer(answer);
    } catch (err) {
      setError(errorHint(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          Sign in
        </Title>
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          autoFocus
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Sign in
        </Button>
        <Text size="xs" c="dimmed">
          Forgot your password? Ask your administrator for a new sign-in link.
          {instance?.demo ? ' On this demo server, use a demo login below.' : ''}
        </Text>
      </Stack>
    </form>
  );
}

function SetPasswordForm({ token, onAnswer }: { token: string; onAnswer: (a: LoginAnswer) => void }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH) {
      setError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
      return;
    }
    if (password !== again) {
      setError('The two passwords are not the same.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post<LoginAnswer>(
        '/api/auth/token-login',
        { token, password },
        { signInCall: true },
      );
      onAnswer(answer);
    } catch (err) {
      setError(errorHint(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={2} size="h3">
          Choose your password
        </Title>
        <Text size="sm">
          Welcome. This link works once: choose a password, then set up your second factor.
        </Text>
        <PasswordInput
          label="New password"
          description={`At least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words are easy to remember.`}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          autoFocus
        />
        <PasswordInput
          label="The same password again"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.currentTarget.value)}
        />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Button type="submit" loading={busy}>
          Set password and continue
        </Button>
      </Stack>
    </form>
  );
}

function DemoLogins({ instance }: { instance: Instance }) {
  return (
    <Paper withBorder p="md" radius="md" bg="#fffbeb">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Demo logins
        </Text>
        <Text size="sm">
          Password for all: <Code>{instance.demoPassword}</Code>. Demo accounts skip the second factor.
        </Text>
        <Table fz="sm" verticalSpacing={2}>
          <Table.Tbody>
            {(instance.demoLogins ?? []).map((l) => (
              <Table.Tr key={l.email}>
                <Table.Td>
                  <Text span size="sm" ff="monospace">
                    {l.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {l.name}, {l.note}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

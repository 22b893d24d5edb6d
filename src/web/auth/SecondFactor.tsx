// The second step of signing in (rule SEC-1): a code from the authenticator app (or a recovery
// code); for a new account, setting up the authenticator from the shown link or QR code, then the
// ten recovery codes, shown once.
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { QRCodeSVG } from 'qrcode.react';
import { type FormEvent, useState } from 'react';
import { ApiError, post } from '../api/client';
import { errorHint } from '../components/States';

interface CodeFormProps {
  url: '/api/auth/mfa' | '/api/auth/mfa/enroll';
  label: string;
  description: string;
  submitLabel: string;
  onDone: (answer: { csrfToken: string; recoveryCodes?: string[] }) => void;
}

function CodeForm({ url, label, description, submitLabel, onDone }: CodeFormProps) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!code.trim()) {
      setError('Enter the code.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(
        await post<{ csrfToken: string; recoveryCodes?: string[] }>(
          url,
          { code: code.trim() },
          { signInCall: true },
        ),
      );
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? `${err.message} Codes change every 30 seconds: use the one showing now.`
          : errorHint(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label={label}
          description={description}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          autoComplete="one-time-code"
          inputMode="numeric"
          error={error}
          data-autofocus
          autoFocus
        />
        <Button type="submit" loading={busy}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}

export function CodeStep({ onDone }: { onDone: (csrfToken: string) => void }) {
  return (
    <Stack>
      <Title order={2} size="h3">
        Your second factor
      </Title>
      <CodeForm
        url="/api/auth/mfa"
        label="Code from your authenticator app"
        description="Six digits. Lost your phone? Enter one of your recovery codes instead."
        submitLabel="Continue"
        onDone={(a) => onDone(a.csrfToken)}
      />
    </Stack>
  );
}

/** The secret in an otpauth:// URL, for typing into an app by hand. */
export function secretOf(otpauthUrl: string): string {
  try {
    return new URL(otpauthUrl).searchParams.get('secret') ?? '';
  } catch {
    return '';
  }
}

export function EnrolStep({
  otpauthUrl,
  onDone,
}: {
  otpauthUrl: string;
  onDone: (csrfToken: string, recoveryCodes: string[]) => void;
}) {
  const secret = secretOf(otpauthUrl);
  return (
    <Stack>
      <Title order={2} size="h3">
        Set up your authenticator
      </Title>
      <Text size="sm">
        Staff accounts need a second factor. In an authenticator app (Google Authenticator, Microsoft
        Authenticator, 1Password…), add an account by scanning this code, or by typing the key below.
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
        <Paper withBorder p="sm" radius="md" style={{ justifySelf: 'center' }}>
          <QRCodeSVG
            value={otpauthUrl}
            size={168}
            marginSize={2}
            title="QR code for your authenticator app"
          />
        </Paper>
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Key
          </Text>
          <Code block data-testid="totp-secret" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {secret.replace(/(.{4})/g, '$1 ').trim()}
          </Code>
          <CopyButton value={otpauthUrl}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" onClick={copy}>
                {copied ? 'Link copied' : 'Copy the otpauth:// link'}
              </Button>
            )}
          </CopyButton>
        </Stack>
      </SimpleGrid>
      <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }} data-testid="otpauth-url">
        {otpauthUrl}
      </Text>
      <CodeForm
        url="/api/auth/mfa/enroll"
        label="The code your app shows now"
        description="This confirms the app is set up."
        submitLabel="Confirm"
        onDone={(a) => onDone(a.csrfToken, a.recoveryCodes ?? [])}
      />
    </Stack>
  );
}

export function RecoveryCodesStep({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  return (
    <Stack>
      <Title order={2} size="h3">
        Your recovery codes
      </Title>
      <Alert
        color="yellow"
        title={
          <Text fw={700} size="sm" c="#5c3d00">
            Shown only this once
          </Text>
        }
      >
        Keep them somewhere safe (a password manager, or printed and locked away). Each one signs you in once
        if you lose your phone.
      </Alert>
      <SimpleGrid
        cols={2}
        spacing={6}
        component="ul"
        data-testid="recovery-codes"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {codes.map((c) => (
          <li key={c}>
            <Code fz="sm">{c}</Code>
          </li>
        ))}
      </SimpleGrid>
      <CopyButton value={codes.join('\n')}>
        {({ copied, copy }) => (
          <Button variant="light" onClick={copy}>
            {copied ? 'Copied' : 'Copy all codes'}
          </Button>
        )}
      </CopyButton>
      <Button onClick={onContinue}>I have saved them: continue</Button>
    </Stack>
  );
}

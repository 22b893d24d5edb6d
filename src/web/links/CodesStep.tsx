// The first step of the recipient page (rule REL-2): the code from the email and, for someone other
// than the client, the second check (a code read out by phone or the client's date of birth).
import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { confirmLink, type Grant, LinkError, type Need, type OpenedLink } from './api';
import { problemText } from './gone';
import { Header, MailNotice } from './LinkParts';
import type { LinkWords } from './words';

export function CodesStep({
  token,
  link,
  words,
  onGrant,
  onGone,
}: {
  token: string;
  link: OpenedLink;
  words: LinkWords;
  onGrant: (grant: Grant) => void;
  onGone: (err: unknown) => void;
}) {
  const [values, setValues] = useState<Record<Need, string>>({ code: '', phoneCode: '', dateOfBirth: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const [missing, setMissing] = useState<Need[]>([]);
  const [busy, setBusy] = useState(false);
  const expires = new Date(link.expiresAt).toLocaleDateString(words.dateLocale, {
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
      else setProblem(problemText(err, words));
    } finally {
      setBusy(false);
    }
  };

  const field = (need: Need) => {
    const error = missing.includes(need)
      ? need === 'dateOfBirth'
        ? words.enterDate
        : words.enterCode
      : undefined;
    const common = {
      label: words.fields[need],
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
        description={need === 'code' ? words.codeHint : undefined}
      />
    );
  };

  return (
    <form onSubmit={submit} aria-label={words.formLabel} noValidate>
      <Stack gap="md">
        <Header practiceName={link.practiceName} words={words} />
        <Text>{words.askCodes(link.needs.length > 1)}</Text>
        <MailNotice link={link} words={words} />
        {link.needs.map(field)}
        {problem && (
          <Alert color="red" role="alert" title={words.notYet}>
            {problem}
          </Alert>
        )}
        <Button type="submit" loading={busy} size="md">
          {words.continue}
        </Button>
        <Text size="sm" c="dimmed">
          {words.worksUntil(expires)} {words.reachUs}
        </Text>
      </Stack>
    </form>
  );
}

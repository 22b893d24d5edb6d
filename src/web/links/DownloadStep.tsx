// The second step of the recipient page (rule REL-2): the code was right; one download per grant,
// within 15 minutes (after that, the code again).
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { downloadViaLink, type Grant, LinkError, type OpenedLink } from './api';
import { problemText } from './gone';
import { Header } from './LinkParts';
import type { LinkWords } from './words';

export function DownloadStep({
  token,
  link,
  grant,
  words,
  onDone,
  onGone,
  onExpired,
}: {
  token: string;
  link: OpenedLink;
  grant: Grant;
  words: LinkWords;
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
      else setProblem(problemText(err, words));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Header practiceName={link.practiceName} words={words} />
      <Alert color="teal" title={words.rightTitle} role="status">
        {words.ready}
      </Alert>
      {problem && (
        <Alert color="red" role="alert" title={words.downloadFailed}>
          {problem}
        </Alert>
      )}
      <Button size="md" onClick={() => void download()} loading={busy}>
        {words.download}
      </Button>
      <Text size="sm" c="dimmed">
        {words.within15}
      </Text>
    </Stack>
  );
}

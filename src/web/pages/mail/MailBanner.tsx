// "Mail is not being delivered": shown on every staff page while SMTP is not set up or emails wait.
import { Alert, Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useMailStatus } from '../../api/mail';
import { useSession } from '../../app/session';

export function MailBanner() {
  const status = useMailStatus();
  const me = useSession();
  const s = status.data;
  if (!s) return null;
  const mailRole = me.user.roles.includes('support') || me.user.roles.includes('privacy_officer');
  if (s.delivering && s.undelivered === 0 && s.failed === 0) return null;
  const text = !s.delivering
    ? 'Mail is not being delivered: email is not set up (SMTP_URL), so messages are kept in the outbox. Requesters waiting for a code must call the practice.'
    : `Mail is not being delivered right now: ${s.undelivered} waiting${s.failed ? `, ${s.failed} failed` : ''}.`;
  return (
    <Alert color="yellow" role="status" mb="md" title="Mail is not being delivered">
      <Text size="sm">
        {text}{' '}
        {mailRole && (
          <Anchor component={Link} to="/mail/outbox">
            Open the outbox
          </Anchor>
        )}
      </Text>
    </Alert>
  );
}

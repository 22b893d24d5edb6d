// A thread message's email state ("sent", "not delivered yet, retrying", "failed: <reason>"), for the
// request page's threads (its owner places it beside each message).
import { Badge } from '@mantine/core';
import { useRequestMail } from '../../api/mail';

const COLORS: Record<string, string> = {
  sent: 'green',
  retrying: 'yellow',
  failed: 'red',
  outbox: 'gray',
  queued: 'blue',
};

export function DeliveryBadge({
  requestId,
  threadMessageId,
}: {
  requestId: string;
  threadMessageId: string;
}) {
  const mail = useRequestMail(requestId);
  const email = mail.data?.find((e) => e.threadMessageId === threadMessageId);
  if (!email) return null;
  return (
    <Badge size="sm" variant="light" color={COLORS[email.status] ?? 'gray'} title="Email delivery">
      Email: {email.label}
    </Badge>
  );
}

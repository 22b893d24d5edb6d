// The packet's forms: assembling the next version with the records in order (REL-5), sending a
// secure link (REL-2, with the phone code shown once), and revoking a link with the reason.
import {
  ActionIcon,
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  Radio,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { DOCUMENT_CLASS_LABELS, type DocumentClass } from '../../../../shared/request-kinds';
import { createLinkSchema, revokeLinkSchema } from '../../../../shared/schemas/request-extras';
import { useAssemblePacket, useCreateLink, useRevokeLink } from '../../../api/compliance';
import type { CreatedLink, FullRequest, PacketView } from '../../../api/compliance-types';
import type { FileView } from '../../../api/types';
import { ActionError } from '../../../components/States';
import { localDate } from '../../../lib/format';
import { SubmitRow } from './common';
import { useRecordForm } from './useRecordForm';

/** rule REL-5: every record of the request once, in the order chosen here. */
export function AssembleForm({
  requestId,
  records,
  nextVersion,
}: {
  requestId: string;
  records: FileView[];
  nextVersion: number;
}) {
  const assemble = useAssemblePacket(requestId);
  const [order, setOrder] = useState<string[]>(() => records.map((f) => f.id));
  // Records uploaded meanwhile join at the end; removed ones leave.
  const ids = records.map((f) => f.id).join('|');
  useEffect(() => {
    const now = ids ? ids.split('|') : [];
    setOrder((o) => [...o.filter((id) => now.includes(id)), ...now.filter((id) => !o.includes(id))]);
  }, [ids]);
  const byId = new Map(records.map((f) => [f.id, f]));
  const move = (i: number, by: -1 | 1) =>
    setOrder((o) => {
      const next = [...o];
      const [item] = next.splice(i, 1);
      next.splice(i + by, 0, item!);
      return next;
    });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    assemble.mutate({ fileIds: order });
  };
  return (
    <form onSubmit={submit} aria-label="Assemble the packet">
      <Stack gap="sm">
        {records.length === 0 ? (
          <Text size="sm" c="dimmed">
            No records uploaded yet: add the records to release under Files first.
          </Text>
        ) : (
          <>
            <Text size="sm">
              The packet is a cover letter, then these records in this order, each page stamped with the
              request number, the recipient and “Page N of M”.
            </Text>
            <Stack gap={4} component="ol" style={{ paddingLeft: 0, margin: 0, listStyle: 'none' }}>
              {order.map((id, i) => {
                const f = byId.get(id);
                if (!f) return null;
                return (
                  <Paper key={id} component="li" withBorder radius="sm" px="sm" py={6}>
                    <Group justify="space-between" wrap="nowrap" gap="xs">
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {i + 1}. {f.name}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ·{' '}
                          {DOCUMENT_CLASS_LABELS[f.documentClass as DocumentClass] ??
                            f.documentClass ??
                            'record'}
                          {f.dateFrom || f.dateTo
                            ? ` · ${localDate(f.dateFrom)} to ${localDate(f.dateTo)}`
                            : ''}
                        </Text>
                      </Text>
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Move ${f.name} up`}
                          disabled={i === 0}
                          onClick={() => move(i, -1)}
                        >
                          ↑
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-label={`Move ${f.name} down`}
                          disabled={i === order.length - 1}
                          onClick={() => move(i, 1)}
                        >
                          ↓
                        </ActionIcon>
                      </Group>
                    </Group>
                  </Paper>
                );
              })}
            </Stack>
          </>
        )}
        <ActionError error={assemble.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={assemble.isPending} disabled={records.length === 0}>
            Assemble version {nextVersion}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** rule REL-2: the phone code, once: it is not stored in a form anyone can read again. */
function PhoneCode({ created, onDone }: { created: CreatedLink; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  // The code appears where the form was, perhaps below the fold: bring it into view.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'center' });
  }, []);
  return (
    <div ref={ref}>
      <Alert color="blue" title="Read this code to the recipient by phone">
        <Stack gap="xs">
          <Text size="sm">
            Call {created.link.recipientName} on a number you trust (not one from the email) and read them
            this code. They need it, with the code we emailed them, to open the link.
          </Text>
          <Code fz={28} fw={700} style={{ letterSpacing: '0.3em', alignSelf: 'flex-start' }}>
            {created.phoneCode}
          </Code>
          <Text size="sm" fw={600}>
            This code is shown only once and is not kept anywhere. If it is lost, revoke the link and send a
            new one.
          </Text>
          <Group>
            <Button size="xs" variant="white" onClick={onDone}>
              I have read it to them
            </Button>
          </Group>
        </Stack>
      </Alert>
    </div>
  );
}

export function CreateLinkForm({ request, packet }: { request: FullRequest; packet: PacketView }) {
  const mutation = useCreateLink(request.id);
  const [created, setCreated] = useState<CreatedLink | null>(null);
  const thirdParty = request.kind !== 'client_access';
  const { form, submit } = useRecordForm<
    {
      recipientName: string;
      recipientEmail: string;
      secondChannel: string;
      expiresInDays: number | string;
      maxDownloads: number | string;
    },
    CreatedLink
  >({
    mutation,
    schema: createLinkSchema,
    initialValues: {
      recipientName: request.requester.name,
      recipientEmail: request.requester.email ?? '',
      secondChannel: thirdParty ? 'phone_code' : 'none',
      expiresInDays: 30,
      maxDownloads: 5,
    },
    toBody: (v) => ({
      recipientName: v.recipientName.trim() || undefined,
      recipientEmail: v.recipientEmail.trim() || undefined,
      secondChannel: v.secondChannel,
      expiresInDays: v.expiresInDays === '' ? undefined : Number(v.expiresInDays),
      maxDownloads: v.maxDownloads === '' ? undefined : Number(v.maxDownloads),
    }),
    toVariables: (body) => ({ packetId: packet.id, body }),
    onSaved: (result) => setCreated(result),
  });
  if (created?.phoneCode) return <PhoneCode created={created} onDone={() => setCreated(null)} />;
  return (
    <form onSubmit={submit} noValidate aria-label="Send a secure link">
      <Stack gap="sm">
        {created && (
          <Alert color="green" title="Link sent">
            The link and its confirmation code went to {created.link.recipientEmail} in two separate emails.
          </Alert>
        )}
        <Text size="sm">
          Sends version {packet.version} to the recipient: one email with the link, another with a
          confirmation code. Nothing about the client is in either email.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Recipient’s name" {...form.getInputProps('recipientName')} />
          <TextInput
            type="email"
            label="Recipient’s email"
            required
            {...form.getInputProps('recipientEmail')}
          />
        </SimpleGrid>
        <Radio.Group
          label="Second check before they can open it"
          description={
            thirdParty
              ? 'The recipient is not the client: a second check is required.'
              : 'The client asked for their own records: the emailed code is enough.'
          }
          {...form.getInputProps('secondChannel')}
        >
          <Stack gap={6} mt={6}>
            {!thirdParty && <Radio value="none" label="None: the emailed code only" />}
            <Radio value="phone_code" label="A code we read to them by phone" />
            <Radio value="date_of_birth" label="The client’s date of birth" />
          </Stack>
        </Radio.Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NumberInput label="Works for (days)" min={1} max={90} {...form.getInputProps('expiresInDays')} />
          <NumberInput label="Downloads allowed" min={1} max={20} {...form.getInputProps('maxDownloads')} />
        </SimpleGrid>
        <SubmitRow label="Send the secure link" pending={mutation.isPending} error={mutation.error} />
      </Stack>
    </form>
  );
}

export function RevokeLinkForm({
  requestId,
  linkId,
  onDone,
}: {
  requestId: string;
  linkId: string;
  onDone: () => void;
}) {
  const { form, submit, mutation } = useRecordForm({
    mutation: useRevokeLink(requestId),
    schema: revokeLinkSchema,
    initialValues: { reason: '' },
    toBody: (v) => ({ reason: v.reason }),
    toVariables: (body) => ({ linkId, ...(body as { reason: string }) }),
    onSaved: onDone,
  });
  return (
    <form onSubmit={submit} noValidate aria-label="Revoke the link">
      <Stack gap="xs">
        <TextInput label="Why revoke it" required {...form.getInputProps('reason')} />
        <SubmitRow label="Revoke the link" pending={mutation.isPending} error={mutation.error}>
          <Button variant="subtle" color="gray" onClick={onDone}>
            Keep it
          </Button>
        </SubmitRow>
      </Stack>
    </form>
  );
}

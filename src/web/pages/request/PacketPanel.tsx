// "Packet and delivery": the packet's versions (queued, ready, blocked with the reason, superseded,
// released) with pages, SHA-256 and download (REL-5); assembling the next version with the records
// in order; sending a secure link with the phone code shown once; the links with their state and
// counters, and revoking one with the reason (REL-2). Buttons come from the packet abilities.
import { Accordion, Anchor, Badge, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { packetFileUrl, useLinks, usePackets } from '../../api/compliance';
import type { FullRequest, LinkState, LinkView, PacketStatus, PacketView } from '../../api/compliance-types';
import { useRequestFiles } from '../../api/hooks';
import { ErrorState, Loading } from '../../components/States';
import { dateTime } from '../../lib/format';
import { AssembleForm, CreateLinkForm, RevokeLinkForm } from './forms/PacketForms';

const STATUS: Record<PacketStatus, { label: string; color: string }> = {
  queued: { label: 'Being assembled', color: 'blue' },
  ready: { label: 'Ready', color: 'green' },
  blocked: { label: 'Blocked', color: 'red' },
  superseded: { label: 'Replaced by a newer version', color: 'gray' },
  released: { label: 'Released', color: 'teal' },
};

const LINK_STATE: Record<LinkState, { label: string; color: string }> = {
  active: { label: 'Active', color: 'green' },
  expired: { label: 'Expired', color: 'gray' },
  revoked: { label: 'Revoked', color: 'red' },
  locked: { label: 'Locked: too many wrong codes', color: 'orange' },
  used_up: { label: 'All downloads used', color: 'gray' },
};

function PacketRow({ packet: p, canDownload }: { packet: PacketView; canDownload: boolean }) {
  const s = STATUS[p.status];
  const old = p.status === 'superseded';
  return (
    <Paper withBorder radius="md" p="sm" component="article" aria-label={`Packet version ${p.version}`}>
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text fw={600} c={old ? 'dimmed' : undefined}>
            Version {p.version}
            {p.pageCount ? ` · ${p.pageCount} ${p.pageCount === 1 ? 'page' : 'pages'}` : ''}
            {p.part2 ? ' · includes Part 2 records' : ''}
          </Text>
          <Badge color={s.color} variant="light" radius="sm">
            {s.label}
          </Badge>
        </Group>
        {p.status === 'queued' && (
          <Text size="sm" c="dimmed" role="status">
            Being put together: this takes a few seconds and the page updates by itself.
          </Text>
        )}
        {p.status === 'blocked' && p.problem && (
          <Text size="sm" c="red.9">
            Could not be assembled: {p.problem}
          </Text>
        )}
        {p.sha256 && (
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            SHA-256 <Code fz="xs">{p.sha256}</Code>
          </Text>
        )}
        <Group gap="md" justify="space-between">
          <Text size="xs" c="dimmed">
            Asked for by {p.requestedBy.name}, {dateTime(p.requestedAt)}
            {p.releasedAt ? ` · released ${dateTime(p.releasedAt)}` : ''}
          </Text>
          {p.fileId && canDownload && (
            <Anchor href={packetFileUrl(p.requestId, p.id)} size="sm">
              Download version {p.version} (PDF)
            </Anchor>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function LinkRow({
  link: l,
  requestId,
  canRevoke,
}: {
  link: LinkView;
  requestId: string;
  canRevoke: boolean;
}) {
  const [revoking, setRevoking] = useState(false);
  const s = LINK_STATE[l.state];
  const left = Math.max(0, l.maxDownloads - l.downloads);
  return (
    <Paper withBorder radius="md" p="sm" component="article" aria-label={`Link to ${l.recipientEmail}`}>
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {l.recipientName} · {l.recipientEmail}
          </Text>
          <Badge color={s.color} variant="light" radius="sm">
            {s.label}
          </Badge>
        </Group>
        <Text size="sm">
          Version {l.packetVersion} · {l.downloads} of {l.maxDownloads} downloads used ({left} left) ·{' '}
          {l.attempts} wrong {l.attempts === 1 ? 'code' : 'codes'} ·{' '}
          {l.state === 'expired' ? 'expired' : 'works until'} {dateTime(l.expiresAt)}
          {l.secondChannel === 'phone_code'
            ? ' · phone code'
            : l.secondChannel === 'date_of_birth'
              ? ' · date of birth'
              : ''}
        </Text>
        {l.lockedAt && (
          <Text size="sm" fw={500}>
            Locked {dateTime(l.lockedAt)}: send a new link if they still need it.
          </Text>
        )}
        {l.revokedAt && (
          <Text size="sm" c="red.9">
            Revoked {dateTime(l.revokedAt)}
            {l.revokedBy ? ` by ${l.revokedBy.name}` : ''}
            {l.revokeReason ? `: ${l.revokeReason}` : ''}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Sent by {l.createdBy.name}, {dateTime(l.createdAt)}
        </Text>
        {canRevoke &&
          l.state === 'active' &&
          (revoking ? (
            <RevokeLinkForm requestId={requestId} linkId={l.id} onDone={() => setRevoking(false)} />
          ) : (
            <Group justify="flex-end">
              <Button size="xs" variant="light" color="red" onClick={() => setRevoking(true)}>
                Revoke…
              </Button>
            </Group>
          ))}
      </Stack>
    </Paper>
  );
}

export function PacketPanel({ request }: { request: FullRequest }) {
  const packets = usePackets(request.id);
  const links = useLinks(request.id);
  const files = useRequestFiles(request.id);
  if (packets.isPending) return <Loading what="the packets" />;
  if (packets.isError) return <ErrorState error={packets.error} onRetry={() => void packets.refetch()} />;
  const { packets: list, abilities } = packets.data;
  const can = (a: string) => (abilities as string[]).includes(a);
  const records = (files.data?.files ?? []).filter((f) => f.purpose === 'record');
  const ready = list.find((p) => p.status === 'ready');
  const busy = list.some((p) => p.status === 'queued');
  const released = list.some((p) => p.status === 'released');
  const nextVersion = Math.max(0, ...list.map((p) => p.version)) + 1;
  const blockers = request.releaseBlockers;
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Packet
      </Title>
      {list.length === 0 && (
        <Text size="sm" c="dimmed">
          No packet yet. Once what was prepared is approved, assemble it here from the records under Files.
        </Text>
      )}
      {list.map((p) => (
        <PacketRow key={p.id} packet={p} canDownload={can('download_packet')} />
      ))}
      {can('assemble_packet') && !released && !busy && (
        <Accordion
          variant="separated"
          radius="md"
          chevronPosition="left"
          defaultValue={list.length === 0 ? 'assemble' : null}
        >
          <Accordion.Item value="assemble">
            <Accordion.Control>
              {list.length === 0 ? 'Assemble the packet' : `Assemble a new version (${nextVersion})`}
            </Accordion.Control>
            <Accordion.Panel>
              <AssembleForm requestId={request.id} records={records} nextVersion={nextVersion} />
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      )}
      <Title order={2} size="h4" mt="sm">
        Secure links
      </Title>
      {links.isError && <ErrorState error={links.error} onRetry={() => void links.refetch()} />}
      {(links.data ?? []).length === 0 && !links.isPending && (
        <Text size="sm" c="dimmed">
          No link sent yet.
        </Text>
      )}
      {(links.data ?? []).map((l) => (
        <LinkRow key={l.id} link={l} requestId={request.id} canRevoke={can('revoke_link')} />
      ))}
      {can('send_link') &&
        (ready ? (
          blockers.length > 0 ? (
            <Text size="sm" fw={500}>
              A link cannot be sent while release is blocked: {blockers.map((b) => b.message).join(' ')}
            </Text>
          ) : (
            <Paper withBorder radius="md" p="md" component="section" aria-label="Send a secure link">
              <Title order={3} size="h5" mb="xs">
                Send a secure link to version {ready.version}
              </Title>
              <CreateLinkForm request={request} packet={ready} />
            </Paper>
          )
        ) : (
          <Text size="sm" c="dimmed">
            A link can be sent once a packet is ready.
          </Text>
        ))}
    </Stack>
  );
}

// The request page (ux.md): header with both clocks and the status line, the five stages, "Now"
// with the open tasks and the caller's actions, what was asked, the internal thread and the history;
// a side column with the red flags and what blocks the release.
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  Paper,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import {
  CHANNEL_LABELS,
  type Channel,
  DELIVERY_FORMAT_LABELS,
  type DeliveryFormat,
  DOCUMENT_CLASS_LABELS,
  type DocumentClass,
} from '../../../shared/request-kinds';
import { ApiError } from '../../api/client';
import { type FullRequest, full } from '../../api/compliance-types';
import { useRequest } from '../../api/hooks';
import type { RequestDetails } from '../../api/types';
import { ImportantNotices } from '../../components/ImportantNotices';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { dateTime, localDate } from '../../lib/format';
import { AuthorizationsPanel, validityOf } from './AuthorizationsPanel';
import { DeadlineFeePanel } from './DeadlineFeePanel';
import { DraftsPanel } from './DraftsPanel';
import { FilesPanel } from './FilesPanel';
import { HistoryPanel } from './HistoryPanel';
import { MatchClientForm } from './MatchClientForm';
import { NowPanel } from './NowPanel';
import { PacketPanel } from './PacketPanel';
import { RequesterThreadPanel } from './RequesterThreadPanel';
import { RequestHeader } from './RequestHeader';
import { StageStepper } from './StageStepper';
import { ThreadPanel } from './ThreadPanel';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={150} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Group>
  );
}

function Asked({ request: r }: { request: RequestDetails }) {
  const a = r.asked;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="What was asked">
      <Stack gap={6}>
        <Title order={2} size="h4" mb={4}>
          What was asked
        </Title>
        <Fact label="Records">
          {a.documentClasses.map((c) => DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c).join(', ')}
        </Fact>
        <Fact label="Dates of service">
          {a.dateFrom || a.dateTo ? `${localDate(a.dateFrom)} to ${localDate(a.dateTo)}` : 'All'}
        </Fact>
        <Fact label="To provide">{a.deliverableLabel}</Fact>
        <Fact label="Delivery">
          {DELIVERY_FORMAT_LABELS[a.deliveryFormat as DeliveryFormat] ?? a.deliveryFormat}
        </Fact>
        {a.purpose && <Fact label="Purpose">{a.purpose}</Fact>}
        {a.neededBy && <Fact label="Needed by">{localDate(a.neededBy)}</Fact>}
        {a.documentDueDate && <Fact label="Return date">{localDate(a.documentDueDate)}</Fact>}
        <Fact label="Received">
          {dateTime(r.receivedAt)} by {CHANNEL_LABELS[r.channel as Channel] ?? r.channel}
        </Fact>
        {r.recipient && (
          <Fact label="Send the copy to">
            {[r.recipient.name, r.recipient.organization, r.recipient.email, r.recipient.address]
              .filter(Boolean)
              .join(' · ')}
          </Fact>
        )}
        {r.requester.email && <Fact label="Requester email">{r.requester.email}</Fact>}
        {r.requester.phone && <Fact label="Requester phone">{r.requester.phone}</Fact>}
        {r.notes && <Fact label="Notes">{r.notes}</Fact>}
      </Stack>
    </Paper>
  );
}

/** ux.md: the side column shows the authorization's validity; the details are one click away. */
function AuthorizationSummary({ request: r, onOpen }: { request: FullRequest; onOpen: () => void }) {
  const list = r.authorizations;
  const legal = r.kind === 'subpoena';
  if (list.length === 0 && !legal) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Authorization">
      <Title order={2} size="h5" mb={6}>
        Authorization
      </Title>
      <Stack gap={6}>
        {list.length === 0 && (
          <Text size="sm" c="dimmed">
            None recorded.
          </Text>
        )}
        {list.map((a) => {
          const v = validityOf(a);
          return (
            <Group key={a.id} gap="xs" wrap="nowrap" justify="space-between">
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {a.signerName ?? 'Unsigned'}
                {a.expiresOn ? `, ends ${localDate(a.expiresOn)}` : ''}
              </Text>
              <Badge color={v.color} variant="light" radius="sm" style={{ flexShrink: 0 }}>
                {v.label}
              </Badge>
            </Group>
          );
        })}
        <Anchor component="button" type="button" size="sm" ta="left" onClick={onOpen}>
          {legal ? 'Authorization and subpoena checklist' : 'Details and actions'}
        </Anchor>
      </Stack>
    </Paper>
  );
}

function Side({
  request: r,
  onOpenAuthorizations,
}: {
  request: RequestDetails;
  onOpenAuthorizations: () => void;
}) {
  const flags = r.redFlags ?? [];
  return (
    <Stack gap="sm">
      <AuthorizationSummary request={full(r)} onOpen={onOpenAuthorizations} />
      <Paper withBorder radius="md" p="md" component="section" aria-label="Red flags">
        <Title order={2} size="h5" mb={6}>
          Red flags
        </Title>
        {flags.length === 0 ? (
          <Text size="sm" c="dimmed">
            None found.
          </Text>
        ) : (
          <Stack gap={6}>
            {flags.map((f) => (
              <div key={`${f.code}-${f.reason}`}>
                <Badge color="orange" variant="light" radius="sm">
                  {f.label}
                </Badge>
                <Text size="xs" c="dimmed" mt={2}>
                  {f.reason}
                </Text>
              </div>
            ))}
          </Stack>
        )}
      </Paper>
      {r.releaseBlockers.length > 0 && (
        <Paper withBorder radius="md" p="md" component="section" aria-label="Before release">
          <Title order={2} size="h5" mb={6}>
            Before release
          </Title>
          <List size="sm" spacing={4}>
            {r.releaseBlockers.map((b) => (
              <List.Item key={`${b.rule}-${b.message}`}>{b.message}</List.Item>
            ))}
          </List>
        </Paper>
      )}
    </Stack>
  );
}

export function RequestPage() {
  const { requestId = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const request = useRequest(requestId);
  // ?tab=drafts: a "Letter to review" card of My tasks opens the Letters & notes tab;
  // ?tab=requester opens the messages with the requester.
  const [tab, setTab] = useState<string | null>(() => {
    const asked = new URLSearchParams(location.search).get('tab');
    return asked === 'drafts' || asked === 'requester' ? asked : 'thread';
  });

  if (request.isPending) return <Loading what="the request" />;
  if (request.isError) {
    const err = request.error;
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) {
      return (
        <EmptyState
          title="Request not found"
          action={
            <Button component={Link} to="/" variant="light">
              Back to my tasks
            </Button>
          }
        >
          There is no such request, or it is not one you may open. If you were sent a link, ask the person who
          sent it to check the request number.
        </EmptyState>
      );
    }
    return <ErrorState error={err} onRetry={() => void request.refetch()} />;
  }
  const r = request.data;
  const internal = r.thread.filter((m) => m.thread === 'internal').length;
  const withRequester = r.thread.filter((m) => m.thread === 'requester').length;
  return (
    <Stack gap="md">
      {created && (
        <Alert color="green" title={`Recorded ${created}`} withCloseButton={false}>
          The intake check now waits in the support queue.
        </Alert>
      )}
      <RequestHeader request={r} />
      <ImportantNotices />
      <Paper withBorder radius="md" p="md">
        <StageStepper request={r} />
      </Paper>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {r.abilities.includes('match_client') && <MatchClientForm request={r} />}
            <NowPanel request={r} />
            <Asked request={r} />
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="thread">Internal thread ({internal})</Tabs.Tab>
                <Tabs.Tab value="requester">Messages with the requester ({withRequester})</Tabs.Tab>
                <Tabs.Tab value="authorization">Authorization and legal</Tabs.Tab>
                <Tabs.Tab value="drafts">Letters & notes</Tabs.Tab>
                <Tabs.Tab value="packet">Packet and delivery</Tabs.Tab>
                <Tabs.Tab value="deadline">Deadline and fee</Tabs.Tab>
                <Tabs.Tab value="files">Files</Tabs.Tab>
                <Tabs.Tab value="history">History</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="authorization" pt="sm">
                <AuthorizationsPanel request={full(r)} />
              </Tabs.Panel>
              <Tabs.Panel value="drafts" pt="sm">
                <DraftsPanel requestId={r.id} />
              </Tabs.Panel>
              <Tabs.Panel value="packet" pt="sm">
                <PacketPanel request={full(r)} />
              </Tabs.Panel>
              <Tabs.Panel value="deadline" pt="sm">
                <DeadlineFeePanel request={full(r)} />
              </Tabs.Panel>
              <Tabs.Panel value="files" pt="sm">
                <FilesPanel requestId={r.id} />
              </Tabs.Panel>
              <Tabs.Panel value="thread" pt="sm">
                <ThreadPanel request={r} />
              </Tabs.Panel>
              <Tabs.Panel value="requester" pt="sm">
                <RequesterThreadPanel request={r} />
              </Tabs.Panel>
              <Tabs.Panel value="history" pt="sm">
                <HistoryPanel request={r} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Side request={r} onOpenAuthorizations={() => setTab('authorization')} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

// "Authorization and legal": the client's authorizations on record, each with whether it is valid
// and, when not, every failing element in words; recording one, its revocation (AUTH-5), the
// practice's own form and the signer's copy (AUTH-7), the privacy officer's exceptions (AUTH-4), and
// for a subpoena the LEGAL-2 checklist (LegalPanel). Only what the caller may do is offered.
import { Accordion, Anchor, Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { DOCUMENT_CLASS_LABELS, type DocumentClass } from '../../../shared/request-kinds';
import { fileUrl } from '../../api/compliance';
import type { AuthorizationFormView, AuthorizationView, FullRequest } from '../../api/compliance-types';
import { dateTime, localDate } from '../../lib/format';
import { AuthorizationForm } from './forms/AuthorizationForm';
import {
  ExceptionForm,
  PrepareFormForm,
  RevocationForm,
  SignerCopyForm,
} from './forms/AuthorizationRecordForms';
import { LegalPanel } from './LegalPanel';

const COPY_METHOD: Record<string, string> = {
  email: 'by email',
  mail: 'by mail',
  in_person: 'in person',
  portal: 'through the portal',
};

export function validityOf(a: AuthorizationView): { label: string; color: string } {
  if (a.revocation) return { label: 'Revoked', color: 'red' };
  if (a.valid) return { label: 'Valid', color: 'green' };
  return { label: 'Not valid', color: 'orange' };
}

function ends(a: AuthorizationView): string {
  if (a.expiresOn) return `ends ${localDate(a.expiresOn)}`;
  if (a.expiryEvent) return `ends when: ${a.expiryEvent}`;
  return 'no end given';
}

function AuthorizationCard({ request, a }: { request: FullRequest; a: AuthorizationView }) {
  const v = validityOf(a);
  const canRecord = request.complianceAbilities.includes('record_authorization');
  const needsCopy = a.preparedByPractice && !a.signerCopy && !a.revocation;
  const classes = a.documentClasses.map((c) => DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c).join(', ');
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-label={`Authorization signed by ${a.signerName ?? 'unknown'}`}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs">
          <div>
            <Title order={3} size="h5">
              {a.signerName ? `Signed by ${a.signerName}` : 'Not signed'}
              {a.signedOn ? `, ${localDate(a.signedOn)}` : ''}
            </Title>
            <Text size="sm" c="dimmed">
              To {a.recipient ?? '(no recipient given)'} · {ends(a)}
              {a.signedByRepresentative ? ' · signed by a representative' : ''}
            </Text>
          </div>
          <Badge color={v.color} variant="light" radius="sm" size="lg">
            {v.label}
          </Badge>
        </Group>
        {a.description && <Text size="sm">What: {a.description}</Text>}
        {classes && (
          <Text size="sm">
            Records: {classes}
            {a.dateFrom || a.dateTo ? ` (${localDate(a.dateFrom)} to ${localDate(a.dateTo)})` : ''}
          </Text>
        )}
        {a.purpose && <Text size="sm">Why: {a.purpose}</Text>}
        {(a.psychotherapyNotesOnly || a.part2Consent) && (
          <Group gap={6}>
            {a.psychotherapyNotesOnly && (
              <Badge variant="outline" radius="sm">
                Psychotherapy notes only
              </Badge>
            )}
            {a.part2Consent && (
              <Badge variant="outline" radius="sm">
                Part 2 consent
              </Badge>
            )}
          </Group>
        )}
        {a.revocation && (
          <Text size="sm" c="red.9" fw={500}>
            Revoked: received {dateTime(a.revocation.receivedAt)}
            {a.revocation.by ? `, recorded by ${a.revocation.by.name}` : ''}
            {a.revocation.note ? `. ${a.revocation.note}` : ''}
          </Text>
        )}
        {a.failures.length > 0 && !a.revocation && (
          <div>
            <Text size="sm" fw={600}>
              Not valid because:
            </Text>
            <List size="sm" spacing={2}>
              {a.failures.map((f) => (
                <List.Item key={`${f.element}-${f.rule}`}>{f.message}</List.Item>
              ))}
            </List>
          </div>
        )}
        {a.preparedByPractice && (
          <Text size="sm" c={a.signerCopy ? 'dimmed' : undefined}>
            {a.signerCopy
              ? `The signer was given a copy ${COPY_METHOD[a.signerCopy.method] ?? a.signerCopy.method} on ${localDate(a.signerCopy.givenOn)}.`
              : 'Signed on the practice’s form: the signer must be given a copy before release.'}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Recorded by {a.recordedBy?.name ?? 'former staff'}, {dateTime(a.recordedAt)}
          {a.fileId && (
            <>
              {' · '}
              <Anchor href={fileUrl(request.id, a.fileId)} size="xs">
                signed copy
              </Anchor>
            </>
          )}
        </Text>
        {canRecord && (needsCopy || !a.revocation) && (
          <Accordion variant="contained" radius="md" chevronPosition="left">
            {needsCopy && (
              <Accordion.Item value="copy">
                <Accordion.Control>Record the signer’s copy</Accordion.Control>
                <Accordion.Panel>
                  <SignerCopyForm requestId={request.id} authorization={a} />
                </Accordion.Panel>
              </Accordion.Item>
            )}
            {!a.revocation && (
              <Accordion.Item value="revoke">
                <Accordion.Control>The client revoked it</Accordion.Control>
                <Accordion.Panel>
                  <RevocationForm requestId={request.id} authorization={a} />
                </Accordion.Panel>
              </Accordion.Item>
            )}
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}

function Exceptions({ request }: { request: FullRequest }) {
  const list = request.exceptions.filter((e) => e.kind === 'psychotherapy_notes');
  if (list.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Psychotherapy-notes exceptions">
      <Title order={3} size="h5" mb={6}>
        Psychotherapy-notes exceptions approved
      </Title>
      <Stack gap={6}>
        {list.map((e) => (
          <Text key={e.id} size="sm">
            {e.label ?? e.exception}: {e.note} ({e.approvedBy?.name ?? 'former staff'},{' '}
            {dateTime(e.approvedAt)})
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}

export function AuthorizationsPanel({ request }: { request: FullRequest }) {
  const can = (a: string) => (request.complianceAbilities as string[]).includes(a);
  const [prepared, setPrepared] = useState<AuthorizationFormView | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  const list = request.authorizations;
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        Authorizations
      </Title>
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          No authorization recorded yet.
          {request.kind === 'client_access'
            ? ' A client asking for their own records does not need one.'
            : ' A release to anyone but the client needs the client’s signed authorization, a court order, or another legal basis.'}
        </Text>
      ) : (
        list.map((a) => <AuthorizationCard key={a.id} request={request} a={a} />)
      )}
      {(can('record_authorization') || can('prepare_authorization_form') || can('approve_exception')) && (
        <Accordion variant="separated" radius="md" chevronPosition="left" value={open} onChange={setOpen}>
          {can('prepare_authorization_form') && (
            <Accordion.Item value="prepare">
              <Accordion.Control>Prepare the practice’s form for the client to sign</Accordion.Control>
              <Accordion.Panel>
                <PrepareFormForm
                  requestId={request.id}
                  onPrepared={(v) => {
                    setPrepared(v);
                    setFormKey((k) => k + 1);
                  }}
                />
              </Accordion.Panel>
            </Accordion.Item>
          )}
          {can('record_authorization') && (
            <Accordion.Item value="record">
              <Accordion.Control>Record a signed authorization</Accordion.Control>
              <Accordion.Panel>
                <AuthorizationForm
                  key={formKey}
                  request={request}
                  prefill={prepared?.prefill ?? null}
                  onSaved={() => {
                    setOpen(null);
                    setPrepared(null);
                    setFormKey((k) => k + 1);
                  }}
                />
              </Accordion.Panel>
            </Accordion.Item>
          )}
          {can('approve_exception') && (
            <Accordion.Item value="exception">
              <Accordion.Control>Approve a psychotherapy-notes exception (privacy officer)</Accordion.Control>
              <Accordion.Panel>
                <ExceptionForm requestId={request.id} />
              </Accordion.Panel>
            </Accordion.Item>
          )}
        </Accordion>
      )}
      <Exceptions request={request} />
      {request.kind === 'subpoena' && <LegalPanel request={request} />}
    </Stack>
  );
}

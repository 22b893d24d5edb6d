// A subpoena without a court order (rule LEGAL-2): the two things that must be on record before
// release, each ticked or said plainly to be missing, and the forms for whoever may record them
// (the checklist: support or the privacy officer; privilege: the privacy officer).
import { Accordion, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useState } from 'react';
import type { ExceptionView, FullRequest } from '../../api/compliance-types';
import { dateTime } from '../../lib/format';
import { AssuranceForm, PrivilegeForm } from './forms/LegalForms';

function Item({ title, done, missing }: { title: string; done: ExceptionView | undefined; missing: string }) {
  return (
    <Group gap="sm" align="flex-start" wrap="nowrap">
      <ThemeIcon color={done ? 'green' : 'orange'} variant="light" radius="xl" size="md" aria-hidden>
        {done ? '✓' : '!'}
      </ThemeIcon>
      <div>
        <Text size="sm" fw={600}>
          {title}: {done ? 'on record' : 'missing'}
        </Text>
        <Text size="sm" c={done ? 'dimmed' : undefined}>
          {done
            ? `${done.label ?? ''}${done.note ? ` — ${done.note}` : ''} (${done.approvedBy?.name ?? 'former staff'}, ${dateTime(done.approvedAt)})`
            : missing}
        </Text>
      </div>
    </Group>
  );
}

export function LegalPanel({ request }: { request: FullRequest }) {
  const [open, setOpen] = useState<string | null>(null);
  const latest = (kind: string) =>
    request.exceptions
      .filter((e) => e.kind === kind)
      .sort((a, b) => a.approvedAt.localeCompare(b.approvedAt))
      .at(-1);
  const assurance = latest('satisfactory_assurance');
  const privilege = latest('privilege_addressed');
  const blocker = request.releaseBlockers.find((b) => b.rule === 'LEGAL-2');
  // The server says who may record each (LEGAL-2: support or the privacy officer; privilege the privacy officer).
  const canAssure = request.complianceAbilities.includes('record_satisfactory_assurance');
  const canPrivilege = request.complianceAbilities.includes('record_privilege');
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Subpoena checklist">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Subpoena checklist
        </Title>
        <Text size="sm">
          A subpoena signed by a lawyer is not a court order. Before anything is released we need both of
          these on record.
        </Text>
        <Item
          title="Satisfactory assurance"
          done={assurance}
          missing="Proof that the client was told and did not object in time, or a qualified protective order."
        />
        <Item
          title="Privilege"
          done={privilege}
          missing={
            canPrivilege
              ? 'Record how the therapist–client privilege was addressed.'
              : 'The privacy officer records how the therapist–client privilege was addressed.'
          }
        />
        <Text size="sm" fw={500}>
          {blocker
            ? 'Release waits until both are on record.'
            : 'Both are on record: the subpoena no longer blocks release.'}
        </Text>
        {(canAssure || canPrivilege) && (
          <Accordion variant="separated" radius="md" chevronPosition="left" value={open} onChange={setOpen}>
            {canAssure && (
              <Accordion.Item value="assurance">
                <Accordion.Control>
                  {assurance
                    ? 'Record the satisfactory assurance again'
                    : 'Record the satisfactory assurance'}
                </Accordion.Control>
                <Accordion.Panel>
                  <AssuranceForm request={request} onSaved={() => setOpen(null)} />
                </Accordion.Panel>
              </Accordion.Item>
            )}
            {canPrivilege && (
              <Accordion.Item value="privilege">
                <Accordion.Control>
                  {privilege ? 'Record the privilege decision again' : 'Record how privilege was addressed'}
                </Accordion.Control>
                <Accordion.Panel>
                  <PrivilegeForm request={request} onSaved={() => setOpen(null)} />
                </Accordion.Panel>
              </Accordion.Item>
            )}
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}

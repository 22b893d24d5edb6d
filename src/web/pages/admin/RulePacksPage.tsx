// The rule packs (rule TIME-3): the legal values in force for the practice (the federal baseline
// and its state's pack; the more protective applies), each with its source and whether counsel has
// confirmed it, and every version. A version is never edited: confirming a value adds the next
// version, which keeps every other value as it was. The privacy officer and administrators add them.
import {
  Accordion,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { PACK_KEY_LABELS, type RulePackKey } from '../../../shared/rule-packs';
import { useAddRulePackVersion, usePractice, useRulePacks } from '../../api/hooks';
import type { RulePackView } from '../../api/types';
import { useSession } from '../../app/session';
import { ActionError, EmptyState, ErrorState, Loading } from '../../components/States';
import { localDate } from '../../lib/format';

interface PackValue {
  value: unknown;
  source: string;
  verified: boolean;
  note?: string;
}

function isPackValue(v: unknown): v is PackValue {
  return !!v && typeof v === 'object' && 'value' in v && 'source' in v;
}

function show(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number')
    return key.endsWith('Cents') ? `$${(value / 100).toFixed(2)}` : String(value);
  if (typeof value === 'string') return value.length > 160 ? `${value.slice(0, 160)}…` : value;
  if (Array.isArray(value))
    return value
      .map((x) =>
        x && typeof x === 'object' && 'description' in x
          ? String((x as { description: unknown }).description)
          : typeof x === 'object'
            ? JSON.stringify(x)
            : String(x).replace(/_/g, ' '),
      )
      .join(value.some((x) => typeof x === 'object') ? ' · ' : ', ');
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.days === 'number')
      return `${o.days} ${String(o.unit ?? 'days').replace('_', ' ')} days`.replace('days days', 'days');
    if (typeof o.text === 'string') return show(key, o.text);
    return JSON.stringify(value);
  }
  return '—';
}

function ConfirmValue({
  pack,
  keyName,
  value,
  onClose,
}: {
  pack: RulePackView;
  keyName: string;
  value: PackValue;
  onClose: () => void;
}) {
  const add = useAddRulePackVersion();
  const [source, setSource] = useState(value.source);
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const label = PACK_KEY_LABELS[keyName as RulePackKey] ?? keyName;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (source.trim().length < 3) found.source = 'Cite the source.';
    if (notes.trim().length < 3) found.notes = 'Say what changed and on whose advice.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const today = new Date().toISOString().slice(0, 10);
    add.mutate(
      {
        jurisdiction: pack.jurisdiction,
        effectiveFrom: today,
        notes: notes.trim(),
        data: { ...pack.data, [keyName]: { ...value, source: source.trim(), verified: true } },
      },
      { onSuccess: onClose },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Confirm ${label}`}>
      <Stack gap="sm">
        <Text size="sm">
          {label}: <strong>{show(keyName, value.value)}</strong>. Confirming adds version {pack.version + 1}{' '}
          of the {pack.jurisdiction} pack, from today, with every other value as it is.
        </Text>
        <Textarea
          label="Source"
          autosize
          minRows={2}
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
          error={errors.source}
        />
        <TextInput
          label="Who confirmed it, and how"
          placeholder="Confirmed by counsel (J. Smith) by letter of 3 March"
          value={notes}
          onChange={(e) => setNotes(e.currentTarget.value)}
          error={errors.notes}
        />
        <ActionError error={add.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Confirm the value
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PackInForce({ pack, canAdd }: { pack: RulePackView; canAdd: boolean }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const values = Object.entries(pack.data).filter((e): e is [string, PackValue] => isPackValue(e[1]));
  const current = confirming ? (pack.data[confirming] as PackValue) : null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={`${pack.jurisdiction} rules`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {pack.jurisdiction === 'US' ? 'Federal baseline' : `State rules: ${pack.jurisdiction}`}
          </Title>
          <Group gap={6}>
            <Badge variant="light" color="gray" radius="sm">
              Version {pack.version}, from {localDate(pack.effectiveFrom)}
            </Badge>
            {pack.unverified.length > 0 && (
              <Badge color="orange" variant="light" radius="sm">
                {pack.unverified.length} to confirm
              </Badge>
            )}
          </Group>
        </Group>
        {typeof pack.data.title === 'string' && (
          <Text size="sm" c="dimmed">
            {pack.data.title}
          </Text>
        )}
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing={6} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rule</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Confirmed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {values.map(([key, v]) => (
                <Table.Tr key={key}>
                  <Table.Td>{PACK_KEY_LABELS[key as RulePackKey] ?? key}</Table.Td>
                  <Table.Td>{show(key, v.value)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{v.source}</Text>
                  </Table.Td>
                  <Table.Td>
                    {v.verified ? (
                      <Text size="sm">Yes</Text>
                    ) : canAdd ? (
                      <Button
                        size="compact-xs"
                        variant="light"
                        color="orange"
                        onClick={() => setConfirming(key)}
                      >
                        Confirm {PACK_KEY_LABELS[key as RulePackKey] ?? key}
                      </Button>
                    ) : (
                      <Text size="sm" c="orange.9">
                        Not yet
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
      <Modal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title="Confirm a value"
        size="lg"
      >
        {confirming && current && (
          <ConfirmValue
            pack={pack}
            keyName={confirming}
            value={current}
            onClose={() => setConfirming(null)}
          />
        )}
      </Modal>
    </Paper>
  );
}

export function RulePacksPage() {
  const me = useSession();
  const packs = useRulePacks();
  const practice = usePractice();
  const canAdd = me.user.roles.some((r) => r === 'admin' || r === 'privacy_officer');
  const state = practice.data?.state;
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Rule packs
      </Title>
      <Text size="sm" c="dimmed">
        The legal values Release Desk decides with. Your practice is in {state ?? 'its state'}: the federal
        baseline and {state ? `the ${state}` : 'the state'} pack apply, and where they differ the more
        protective one wins.
        {me.abilities.includes('manage_settings') && (
          <>
            {' '}
            The state is chosen under{' '}
            <Anchor underline="always" component={Link} to="/settings" size="sm">
              Settings
            </Anchor>
            .
          </>
        )}
      </Text>
      {packs.isPending && <Loading what="the rule packs" />}
      {packs.isError && <ErrorState error={packs.error} onRetry={() => void packs.refetch()} />}
      {packs.data && packs.data.current.length === 0 && (
        <EmptyState title="No rule pack is in force">
          Ask your privacy officer: Release Desk needs the federal baseline.
        </EmptyState>
      )}
      {packs.data && state && !packs.data.current.some((c) => c.jurisdiction === state) && (
        <Alert color="orange" title={`No ${state} pack yet`}>
          Only the federal baseline applies, and state law may be stricter. Ask counsel, then add the
          state&rsquo;s values.
        </Alert>
      )}
      {packs.data?.current
        .filter((c) => c.jurisdiction === state || c.jurisdiction === 'US')
        .sort((a, b) => (a.jurisdiction === 'US' ? 1 : 0) - (b.jurisdiction === 'US' ? 1 : 0))
        .map((c) => (
          <PackInForce key={c.jurisdiction} pack={c.pack} canAdd={canAdd} />
        ))}
      {packs.data?.current.some((c) => c.jurisdiction !== state && c.jurisdiction !== 'US') && (
        <Stack gap="xs">
          <Title order={2} size="h4">
            Other states
          </Title>
          <Text size="sm" c="dimmed">
            Not used by your practice; they apply only if the practice&rsquo;s state is changed.
          </Text>
          <Accordion variant="separated" radius="md">
            {packs.data.current
              .filter((c) => c.jurisdiction !== state && c.jurisdiction !== 'US')
              .map((c) => (
                <Accordion.Item key={c.jurisdiction} value={c.jurisdiction}>
                  <Accordion.Control>
                    {c.jurisdiction}: {typeof c.pack.data.title === 'string' ? c.pack.data.title : ''}{' '}
                    (version {c.pack.version})
                  </Accordion.Control>
                  <Accordion.Panel>
                    <PackInForce pack={c.pack} canAdd={canAdd} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
          </Accordion>
        </Stack>
      )}
      {packs.data && packs.data.versions.length > 0 && (
        <Stack gap="xs">
          <Title order={2} size="h4">
            Every version
          </Title>
          <Accordion variant="separated" radius="md">
            {packs.data.versions.map((v) => (
              <Accordion.Item key={v.id} value={v.id}>
                <Accordion.Control>
                  {v.jurisdiction} version {v.version} · from {localDate(v.effectiveFrom)}
                  {v.practiceSpecific ? ' · this practice’s own' : ''}
                </Accordion.Control>
                <Accordion.Panel>
                  <Text size="sm">{v.notes ?? 'No notes.'}</Text>
                  <Text size="xs" c="dimmed" mt={4}>
                    {v.unverified.length > 0
                      ? `To confirm: ${v.unverified.map((k) => PACK_KEY_LABELS[k as RulePackKey] ?? k).join(', ')}`
                      : 'Every value confirmed.'}
                  </Text>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        </Stack>
      )}
    </Stack>
  );
}

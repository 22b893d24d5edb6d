// The practice settings an administrator changes besides the important notices: the practice
// itself (name, state, time zone, the privacy officer's contact) and the [policy] settings (each
// step's business days, the escalation ladder, the practice target for kinds without a legal date,
// break-glass minutes). Each form sends only what it changes (PATCH /api/practice); a refusal is
// shown at the form and what was typed stays.
import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { practiceSettingsChangeSchema } from '../../../shared/schemas/practice-settings';
import {
  DEFAULT_TASK_BUSINESS_DAYS,
  TASK_LABELS,
  TASK_TYPES,
  type TaskType,
} from '../../../shared/workflow-tasks';
import { useUpdatePractice } from '../../api/hooks';
import type { PracticeView } from '../../api/types';
import { ActionError } from '../../components/States';
import { type FieldErrors, zodErrors } from '../../lib/form-errors';

function Saved({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <Alert color="green" role="status">
      Saved.
    </Alert>
  );
}

function timeZones(current: string): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  const zones = all.filter(
    (z) => z.startsWith('America/') || z.startsWith('Pacific/Honolulu') || z === 'UTC',
  );
  return zones.includes(current) ? zones : [current, ...zones];
}

export function PracticeDetailsForm({ practice }: { practice: PracticeView }) {
  const update = useUpdatePractice();
  const initial = useMemo(
    () => ({
      name: practice.name,
      state: practice.state,
      timeZone: practice.timeZone,
      officerName: practice.privacyOfficer.name ?? '',
      officerEmail: practice.privacyOfficer.email ?? '',
      officerPhone: practice.privacyOfficer.phone ?? '',
    }),
    [practice],
  );
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  useEffect(() => setV(initial), [initial]);
  const set = (key: keyof typeof v) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setDone(false);
    setV({ ...v, [key]: e.currentTarget.value });
  };
  const zones = useMemo(() => timeZones(practice.timeZone), [practice.timeZone]);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (!v.name.trim()) found.name = 'Write the practice’s name.';
    if (!/^[A-Za-z]{2}$/.test(v.state.trim())) found.state = 'Two letters, such as CA or NY.';
    if (v.officerEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.officerEmail.trim()))
      found.officerEmail = 'Enter an email address.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
    update.mutate(
      {
        name: v.name.trim(),
        state: v.state.trim().toUpperCase(),
        timeZone: v.timeZone,
        privacyOfficer: {
          name: orNull(v.officerName),
          email: orNull(v.officerEmail),
          phone: orNull(v.officerPhone),
        },
      },
      { onSuccess: () => setDone(true) },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label="The practice">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="Practice name"
            required
            value={v.name}
            onChange={set('name')}
            error={errors.name}
          />
          <TextInput
            label="State"
            description="Its rule pack applies with the federal rules."
            required
            value={v.state}
            onChange={set('state')}
            error={errors.state}
            maxLength={2}
          />
          <Select
            label="Time zone"
            description="Due dates end at midnight here."
            data={zones}
            value={v.timeZone}
            onChange={(z) => z && setV({ ...v, timeZone: z })}
            searchable
            allowDeselect={false}
          />
        </SimpleGrid>
        <Title order={3} size="h5" mt="xs">
          Privacy officer
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput label="Privacy officer’s name" value={v.officerName} onChange={set('officerName')} />
          <TextInput
            label="Privacy officer’s email"
            type="email"
            value={v.officerEmail}
            onChange={set('officerEmail')}
            error={errors.officerEmail}
          />
          <TextInput
            label="Privacy officer’s phone"
            type="tel"
            value={v.officerPhone}
            onChange={set('officerPhone')}
          />
        </SimpleGrid>
        <ActionError error={update.error} />
        <Saved show={done} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            Save the practice details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const RUNGS = [
  { key: 'assignee', label: 'Remind the person holding the step' },
  { key: 'supervisor', label: 'Tell their supervisor' },
  { key: 'secondSupervisor', label: 'Tell the supervisor’s supervisor' },
  { key: 'privacyOfficer', label: 'Tell the privacy officer' },
] as const;

type Policy = {
  steps: Record<TaskType, number | string>;
  ladder: Record<(typeof RUNGS)[number]['key'], number | string>;
  target: number | string;
  breakGlass: number | string;
};

export function PolicyForm({ practice }: { practice: PracticeView }) {
  const update = useUpdatePractice();
  const s = practice.settings;
  const initial = useMemo<Policy>(
    () => ({
      steps: Object.fromEntries(
        TASK_TYPES.map((t) => [t, s.stepBusinessDays[t] ?? DEFAULT_TASK_BUSINESS_DAYS[t]]),
      ) as Record<TaskType, number>,
      ladder: { ...s.ladderBusinessDays },
      target: s.targetCalendarDays,
      breakGlass: s.breakGlassMinutes,
    }),
    [s],
  );
  const [v, setV] = useState<Policy>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  useEffect(() => setV(initial), [initial]);
  const num = (x: number | string) => (typeof x === 'number' ? x : Number.NaN);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const body = {
      stepBusinessDays: Object.fromEntries(TASK_TYPES.map((t) => [t, num(v.steps[t])])),
      ladderBusinessDays: Object.fromEntries(RUNGS.map((r) => [r.key, num(v.ladder[r.key])])),
      targetCalendarDays: num(v.target),
      breakGlassMinutes: num(v.breakGlass),
    };
    const found = zodErrors(practiceSettingsChangeSchema, body);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    update.mutate({ settings: body }, { onSuccess: () => setDone(true) });
  };
  const change = (apply: (p: Policy) => Policy) => {
    setDone(false);
    setV(apply);
  };
  const wholeDays = 'A whole number of days, 0 to 60.';
  return (
    <form onSubmit={submit} noValidate aria-label="Steps and deadlines">
      <Stack gap="sm">
        <Title order={3} size="h5">
          Business days for each step
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" style={{ alignItems: 'end' }}>
          {TASK_TYPES.map((t) => (
            <NumberInput
              key={t}
              label={TASK_LABELS[t]}
              min={0}
              max={60}
              allowDecimal={false}
              value={v.steps[t]}
              onChange={(x) => change((p) => ({ ...p, steps: { ...p.steps, [t]: x } }))}
              error={errors[`stepBusinessDays.${t}`] ? wholeDays : undefined}
            />
          ))}
        </SimpleGrid>
        <Title order={3} size="h5" mt="xs">
          When a step is late
        </Title>
        <Text size="sm" c="dimmed">
          Business days after the step&rsquo;s due date (0: as soon as it is late). Each rung is climbed once.
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" style={{ alignItems: 'end' }}>
          {RUNGS.map((r) => (
            <NumberInput
              key={r.key}
              label={r.label}
              min={0}
              max={60}
              allowDecimal={false}
              value={v.ladder[r.key]}
              onChange={(x) => change((p) => ({ ...p, ladder: { ...p.ladder, [r.key]: x } }))}
              error={errors[`ladderBusinessDays.${r.key}`] ? wholeDays : undefined}
            />
          ))}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs" style={{ alignItems: 'end' }}>
          <NumberInput
            label="Practice target (calendar days)"
            description="For requests the law gives no date, such as a school’s or an insurer’s."
            min={1}
            max={365}
            allowDecimal={false}
            value={v.target}
            onChange={(x) => change((p) => ({ ...p, target: x }))}
            error={errors.targetCalendarDays ? 'A whole number of days, 1 to 365.' : undefined}
          />
          <NumberInput
            label="Emergency access lasts (minutes)"
            description="How long the privacy officer’s break-glass access to a request lasts."
            min={5}
            max={1440}
            allowDecimal={false}
            value={v.breakGlass}
            onChange={(x) => change((p) => ({ ...p, breakGlass: x }))}
            error={errors.breakGlassMinutes ? 'Minutes, 5 to 1440.' : undefined}
          />
        </SimpleGrid>
        <ActionError error={update.error} />
        <Saved show={done} />
        <Group justify="flex-end">
          <Button type="submit" loading={update.isPending}>
            Save steps and deadlines
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// The questions of each screen. Every input has a visible label; an error is shown beside its field
// (Mantine links it with aria-describedby and marks the input aria-invalid).
import { Checkbox, FileInput, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PORTAL_INTAKE_KINDS, PORTAL_RECORD_CLASSES } from '../../../shared/schemas/portal-intake';
import { type Answers, type DeliveryFormat, documentFields, type Files, type RecordClass } from './flow';
import type { StepErrors } from './validate';

export interface FieldProps {
  a: Answers;
  set: (patch: Partial<Answers>) => void;
  errors: StepErrors;
}

function useErr(errors: StepErrors) {
  const { t } = useTranslation('intake');
  return (key: string) => (errors[key] ? t(errors[key] as 'required') : undefined);
}

export function ChoiceFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Radio.Group
      label={t('choice.title')}
      labelProps={{ style: hiddenLabel }}
      value={a.kind ?? ''}
      onChange={(v) => set({ kind: v as Answers['kind'] })}
      error={err('kind')}
    >
      <Stack gap="sm" mt="xs">
        {PORTAL_INTAKE_KINDS.map((k) => (
          <Radio key={k} value={k} label={t(`choice.${k}`)} />
        ))}
      </Stack>
    </Radio.Group>
  );
}

export function RequesterFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  const org = a.kind === 'third_party' || a.kind === 'legal_process';
  return (
    <Stack>
      <TextInput
        label={t('requester.name')}
        autoComplete="name"
        required
        value={a.requesterName}
        onChange={(e) => set({ requesterName: e.currentTarget.value })}
        error={err('requesterName')}
      />
      {a.kind === 'parent_guardian' && (
        <TextInput
          label={t('requester.relationship')}
          description={t('requester.relationshipHint')}
          required
          value={a.relationship}
          onChange={(e) => set({ relationship: e.currentTarget.value })}
          error={err('relationship')}
        />
      )}
      {org && (
        <TextInput
          label={`${t('requester.organization')} ${t('optional')}`}
          autoComplete="organization"
          value={a.organization}
          onChange={(e) => set({ organization: e.currentTarget.value })}
        />
      )}
    </Stack>
  );
}

export function ClientFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  const self = a.kind === 'own_records' || a.kind === 'send_to_someone';
  const auto = (v: string) => (self ? v : 'off');
  return (
    <Stack>
      <Text>{t('client.hint')}</Text>
      <TextInput
        label={t('client.firstName')}
        autoComplete={auto('given-name')}
        required
        value={a.firstName}
        onChange={(e) => set({ firstName: e.currentTarget.value })}
        error={err('firstName')}
      />
      <TextInput
        label={t('client.lastName')}
        autoComplete={auto('family-name')}
        required
        value={a.lastName}
        onChange={(e) => set({ lastName: e.currentTarget.value })}
        error={err('lastName')}
      />
      <TextInput
        type="date"
        label={t('client.dateOfBirth')}
        autoComplete={auto('bday')}
        required
        value={a.dateOfBirth}
        onChange={(e) => set({ dateOfBirth: e.currentTarget.value })}
        error={err('dateOfBirth')}
      />
    </Stack>
  );
}

export function RecipientFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Stack>
      <TextInput
        label={t('recipient.name')}
        required
        value={a.recipientName}
        onChange={(e) => set({ recipientName: e.currentTarget.value })}
        error={err('recipientName')}
      />
      <TextInput
        label={`${t('recipient.organization')} ${t('optional')}`}
        value={a.recipientOrganization}
        onChange={(e) => set({ recipientOrganization: e.currentTarget.value })}
      />
      <TextInput
        type="email"
        label={`${t('recipient.email')} ${t('optional')}`}
        value={a.recipientEmail}
        onChange={(e) => set({ recipientEmail: e.currentTarget.value })}
        error={err('recipientEmail')}
      />
      <Textarea
        label={`${t('recipient.address')} ${t('optional')}`}
        autosize
        minRows={2}
        value={a.recipientAddress}
        onChange={(e) => set({ recipientAddress: e.currentTarget.value })}
      />
    </Stack>
  );
}

export function RecordsFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Stack>
      <Checkbox.Group
        label={t('records.legend')}
        value={a.records}
        onChange={(v) => set({ records: v as RecordClass[] })}
        error={err('records')}
      >
        <Stack gap="sm" mt="xs">
          {PORTAL_RECORD_CLASSES.map((c) => (
            <Checkbox key={c} value={c} label={t(`records.${c}`)} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Text>{t('records.dates')}</Text>
      <TextInput
        type="date"
        label={`${t('records.dateFrom')} ${t('optional')}`}
        value={a.dateFrom}
        onChange={(e) => set({ dateFrom: e.currentTarget.value })}
      />
      <TextInput
        type="date"
        label={`${t('records.dateTo')} ${t('optional')}`}
        value={a.dateTo}
        onChange={(e) => set({ dateTo: e.currentTarget.value })}
        error={err('dateTo')}
      />
    </Stack>
  );
}

export function PurposeFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Textarea
      label={t('purpose.label')}
      description={t('purpose.hint')}
      required
      autosize
      minRows={2}
      value={a.purpose}
      onChange={(e) => set({ purpose: e.currentTarget.value })}
      error={err('purpose')}
    />
  );
}

export function LegalFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Stack>
      <Radio.Group
        label={t('legal.kind')}
        value={a.legalDocument ?? ''}
        onChange={(v) => set({ legalDocument: v as Answers['legalDocument'] })}
        error={err('legalDocument')}
      >
        <Stack gap="sm" mt="xs">
          <Radio value="subpoena" label={t('legal.subpoena')} />
          <Radio value="court_order" label={t('legal.court_order')} />
        </Stack>
      </Radio.Group>
      <TextInput
        type="date"
        label={t('legal.dueDate')}
        required
        value={a.documentDueDate}
        onChange={(e) => set({ documentDueDate: e.currentTarget.value })}
        error={err('documentDueDate')}
      />
    </Stack>
  );
}

export function DeliveryFields({ a, set }: FieldProps) {
  const { t } = useTranslation('intake');
  return (
    <Radio.Group
      label={t('delivery.legend')}
      labelProps={{ style: hiddenLabel }}
      value={a.deliveryFormat}
      onChange={(v) => set({ deliveryFormat: v as DeliveryFormat })}
    >
      <Stack gap="sm" mt="xs">
        {(['secure_download', 'mail', 'pickup', 'inspection'] as const).map((f) => (
          <Radio key={f} value={f} label={t(`delivery.${f}`)} />
        ))}
      </Stack>
    </Radio.Group>
  );
}

export function DocumentsFields({
  a,
  errors,
  files,
  setFile,
}: FieldProps & { files: Files; setFile: (field: keyof Files, file: File | null) => void }) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Stack>
      <Text>{t('documents.hint')}</Text>
      {documentFields(a.kind!).map(({ field, required }) => (
        <FileInput
          key={field}
          label={required ? t(`documents.${field}`) : `${t(`documents.${field}`)} ${t('optional')}`}
          required={required}
          clearable
          clearButtonProps={{ 'aria-label': t('documents.remove') }}
          accept="application/pdf,image/jpeg,image/png"
          value={files[field] ?? null}
          onChange={(f) => setFile(field, f)}
          error={err(field)}
        />
      ))}
    </Stack>
  );
}

export function EmailFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Stack>
      <Text>{t('email.hint')}</Text>
      <TextInput
        type="email"
        label={t('email.label')}
        autoComplete="email"
        inputMode="email"
        required
        value={a.email}
        onChange={(e) => set({ email: e.currentTarget.value })}
        error={err('email')}
      />
      <TextInput
        type="tel"
        label={`${t('email.phone')} ${t('optional')}`}
        autoComplete="tel"
        value={a.phone}
        onChange={(e) => set({ phone: e.currentTarget.value })}
      />
      {/* The honeypot: off screen and out of the tab order, so only a robot fills it. */}
      <div aria-hidden="true" style={offScreen}>
        <label htmlFor="intake-website">Website</label>
        <input
          id="intake-website"
          name="website"
          tabIndex={-1}
          autoComplete="off"
          value={a.website}
          onChange={(e) => set({ website: e.currentTarget.value })}
        />
      </div>
    </Stack>
  );
}

export function CodeFields({ a, set, errors }: FieldProps) {
  const { t } = useTranslation('intake');
  const err = useErr(errors);
  return (
    <Stack>
      <Text>{t('code.sentTo', { email: a.email.trim() })}</Text>
      <TextInput
        label={t('code.label')}
        inputMode="numeric"
        autoComplete="one-time-code"
        required
        value={a.code}
        // WCAG 3.3.8: a pasted code is taken as the email shows it; no maxLength to cut "123 456" short.
        onChange={(e) => set({ code: e.currentTarget.value.replace(/\D/g, '').slice(0, 6) })}
        error={err('code')}
        styles={{ input: { fontSize: 24, letterSpacing: 6, maxWidth: 200 } }}
      />
    </Stack>
  );
}

const hiddenLabel = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;
const offScreen = {
  position: 'absolute',
  left: -10_000,
  top: 'auto',
  width: 1,
  height: 1,
  overflow: 'hidden',
} as const;

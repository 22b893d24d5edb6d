// Add or change one of the practice's own templates for letters, reports and verbal-discussion notes
// (issue 6, procedure step 4). The facts a template may name are offered as chips: a click puts the
// placeholder where the cursor was (in the title or the text), and each is explained in plain words.
// The server refuses any other placeholder (400 naming it): that refusal shows at the field that has it.
import { Button, Checkbox, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useRef, useState } from 'react';
import {
  DRAFT_KIND_LABELS,
  DRAFT_KINDS,
  type DraftKind,
  type DraftTemplatePlaceholder,
  type PracticeTemplateView,
  practiceTemplateSchema,
} from '../../../shared/schemas/drafts';
import { ApiError } from '../../api/client';
import { ActionError } from '../../components/States';
import { apiFieldErrors, type FieldErrors, zodErrors } from '../../lib/form-errors';
import { type LetterTemplateInput, useSaveLetterTemplate } from './letter-templates-api';

/** What each placeholder becomes when a therapist starts a document from the template. */
export const PLACEHOLDER_HELP: Readonly<Record<DraftTemplatePlaceholder, string>> = {
  client: 'the client’s full name',
  dateOfBirth: 'the client’s date of birth, such as 14 July 1988',
  recipient: 'who the letter is for: the requester, or whoever the therapist names when starting it',
  purpose: 'why the records were asked for, as the request says',
  datesOfService: 'the dates of service asked for, such as “from 1 January 2026 to 31 December 2026”',
  records: 'the kinds of records asked for',
  therapist: 'the client’s therapist',
  practice: 'your practice’s name',
};

const KIND_HINTS: Readonly<Record<DraftKind, string>> = {
  letter: 'Offered on requests answered by a letter or report.',
  report: 'Offered on requests answered by a letter or report.',
  verbal_notes: 'Offered on requests answered by a verbal discussion.',
};

type Field = 'title' | 'body';

/** The names a "Not known: {{a}}, {{b}}." refusal lists. */
function unknownNames(message: string): string[] {
  const after = message.split('Not known:')[1] ?? '';
  return [...after.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1] ?? '');
}

const names = (text: string, name: string) =>
  new RegExp(`\\{\\{\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`).test(text);

/** The server's refusal at the fields it concerns: an unknown placeholder at the field that has it. */
export function serverErrors(error: unknown, v: Pick<LetterTemplateInput, Field>): FieldErrors {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  const out = apiFieldErrors(error);
  const unknown = unknownNames(error.message);
  if (unknown.length === 0) return out;
  const at = (f: Field) => unknown.some((n) => names(v[f], n));
  // The server names what it does not know; the chips above already list what it does.
  const message = `Not known: ${unknown.map((n) => `{{${n}}}`).join(', ')}. Use only the facts listed above, written as they are shown.`;
  delete out.body;
  if (at('title')) out.title = message;
  if (at('body') || !at('title')) out.body = message;
  return out;
}

export function LetterTemplateForm({
  template,
  placeholders,
  onDone,
  onSaved,
}: {
  template: PracticeTemplateView | null;
  placeholders: DraftTemplatePlaceholder[];
  onDone: () => void;
  onSaved: (label: string) => void;
}) {
  const save = useSaveLetterTemplate(template?.id ?? null);
  const [v, setV] = useState<LetterTemplateInput>({
    kind: template?.kind ?? 'letter',
    label: template?.label ?? '',
    description: template?.description ?? '',
    title: template?.title ?? '',
    body: template?.body ?? '',
    active: template?.active ?? true,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const refs = { title: useRef<HTMLInputElement>(null), body: useRef<HTMLTextAreaElement>(null) };
  const lastField = useRef<Field>('body');

  const set = <K extends keyof LetterTemplateInput>(key: K, value: LetterTemplateInput[K]) => {
    setV((old) => ({ ...old, [key]: value }));
    setErrors((old) => {
      const { [key]: _, ...rest } = old;
      return rest;
    });
  };

  const insert = (p: DraftTemplatePlaceholder) => {
    const field = lastField.current;
    const el = refs[field].current;
    const text = `{{${p}}}`;
    const current = v[field];
    const start = el?.selectionStart ?? current.length;
    const end = el?.selectionEnd ?? current.length;
    set(field, current.slice(0, start) + text + current.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found = zodErrors(practiceTemplateSchema, v);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(v, {
      onSuccess: (t) => {
        onSaved(t.label);
        onDone();
      },
      onError: (err) => setErrors(serverErrors(err, v)),
    });
  };
  const fieldError = (k: string) => errors[k];
  const shownAtField = Object.keys(errors).length > 0;

  return (
    <form onSubmit={submit} noValidate aria-label={template ? `Change ${template.label}` : 'New template'}>
      <Stack gap="sm">
        <TextInput
          label="Name"
          description="What the therapist picks from, such as “Letter to a probation officer”."
          required
          value={v.label}
          onChange={(e) => set('label', e.currentTarget.value)}
          error={fieldError('label')}
          maxLength={100}
        />
        <Radio.Group
          label="What it writes"
          description={KIND_HINTS[v.kind]}
          value={v.kind}
          onChange={(k) => set('kind', k as DraftKind)}
          required
        >
          <Group gap="lg" mt={6}>
            {DRAFT_KINDS.map((k) => (
              <Radio key={k} value={k} label={DRAFT_KIND_LABELS[k]} />
            ))}
          </Group>
        </Radio.Group>
        <TextInput
          label="Short description"
          description="Optional: when to use it."
          value={v.description}
          onChange={(e) => set('description', e.currentTarget.value)}
          error={fieldError('description')}
          maxLength={300}
        />
        <Stack gap={6} component="section" aria-labelledby="placeholders-title">
          <Text size="sm" fw={500} id="placeholders-title">
            Facts filled in from the request
          </Text>
          <Text size="sm" c="dimmed">
            Click one to put it where your cursor is in the title or the text. When a letter is started, each
            is replaced by the request&rsquo;s own words.
          </Text>
          <Stack gap={4} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
            {placeholders.map((p) => (
              <Group key={p} gap="xs" wrap="nowrap" component="li" align="baseline">
                <Button
                  variant="light"
                  size="compact-sm"
                  radius="xl"
                  ff="monospace"
                  style={{ flexShrink: 0 }}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => insert(p)}
                  aria-label={`Insert {{${p}}}: ${PLACEHOLDER_HELP[p]}`}
                >
                  {`{{${p}}}`}
                </Button>
                <Text size="sm">{PLACEHOLDER_HELP[p]}</Text>
              </Group>
            ))}
          </Stack>
        </Stack>
        <TextInput
          ref={refs.title}
          label="Title"
          required
          value={v.title}
          onFocus={() => {
            lastField.current = 'title';
          }}
          onChange={(e) => set('title', e.currentTarget.value)}
          error={fieldError('title')}
        />
        <Textarea
          ref={refs.body}
          label="Text"
          description="Leave a blank line between paragraphs."
          required
          autosize
          minRows={8}
          maxRows={24}
          value={v.body}
          onFocus={() => {
            lastField.current = 'body';
          }}
          onChange={(e) => set('body', e.currentTarget.value)}
          error={fieldError('body')}
        />
        <Checkbox
          label="Offer this template when a letter or notes are started"
          description="Switched off, nothing new starts from it; documents already started keep its name."
          checked={v.active}
          onChange={(e) => set('active', e.currentTarget.checked)}
        />
        {!shownAtField && <ActionError error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {template ? 'Save the changes' : 'Add the template'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

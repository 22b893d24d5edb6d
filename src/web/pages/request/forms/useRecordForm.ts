// A form for a compliance record (an authorization, a revocation, a LEGAL-2 record, a link…): like
// useActionForm, values are checked against the body's zod schema before sending, the API's refusal
// is shown at the fields it names and above the button, and nothing typed is lost when a save fails.
import { useForm } from '@mantine/form';
import type { UseMutationResult } from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiError } from '../../../api/client';
import { apiFieldErrors, zodErrors } from '../../../lib/form-errors';

export interface RecordFormOptions<V, R> {
  // biome-ignore lint/suspicious/noExplicitAny: any mutation taking a body
  mutation: UseMutationResult<R, Error, any>;
  schema: z.ZodType;
  initialValues: V;
  toBody: (values: V) => unknown;
  /** What the mutation is called with (default: the body). */
  toVariables?: (body: unknown) => unknown;
  fieldFor?: (bodyKey: string) => string;
  /** After a save: e.g. clear the form or close it. */
  onSaved?: (result: R, values: V) => void;
}

export function useRecordForm<V extends Record<string, unknown>, R = unknown>(opts: RecordFormOptions<V, R>) {
  const rename = (errors: Record<string, string>) =>
    opts.fieldFor
      ? Object.fromEntries(Object.entries(errors).map(([k, m]) => [opts.fieldFor!(k), m]))
      : errors;
  const form = useForm<V>({
    mode: 'controlled',
    initialValues: opts.initialValues,
    validate: (values) => rename(zodErrors(opts.schema, opts.toBody(values))),
  });
  const submit = form.onSubmit((values) => {
    const body = opts.toBody(values);
    opts.mutation.mutate(opts.toVariables ? opts.toVariables(body) : body, {
      onSuccess: (result: R) => opts.onSaved?.(result, values),
      onError: (err: Error) => {
        if (err instanceof ApiError) form.setErrors(rename(apiFieldErrors(err)));
      },
    });
  });
  return { form, submit, mutation: opts.mutation };
}

// One workflow action as a form: values checked against the action's shared zod schema before
// sending, the API's refusal shown at the fields it names (and in full above the button), and
// nothing typed lost when a save fails.
import { useForm } from '@mantine/form';
import type { z } from 'zod';
import { ApiError } from '../../../api/client';
import { useRequestAction } from '../../../api/hooks';
import { apiFieldErrors, zodErrors } from '../../../lib/form-errors';

export interface ActionFormOptions<V> {
  requestId: string;
  /** The action's path under /api/requests/:id/ ("client-discussion"). */
  path: string;
  schema: z.ZodType;
  initialValues: V;
  toBody: (values: V) => unknown;
  /** Form keys for body keys that differ ("narrowedScope.documentClasses" → "scopeClasses"). */
  fieldFor?: (bodyKey: string) => string;
}

export function useActionForm<V extends Record<string, unknown>>(opts: ActionFormOptions<V>) {
  const action = useRequestAction(opts.requestId, opts.path);
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
    action.mutate(opts.toBody(values), {
      onError: (err) => {
        if (err instanceof ApiError) form.setErrors(rename(apiFieldErrors(err)));
      },
    });
  });
  return { form, submit, action };
}

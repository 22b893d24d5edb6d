// What each screen needs before Continue, as the keys of the words to show beside each field.
import { intakeSubmissionSchema } from '../../../shared/schemas/portal-intake';
import { type Answers, documentFields, type Files, type StepId } from './flow';

export type StepErrors = Partial<Record<string, string>>;

const EMAIL = intakeSubmissionSchema.shape.email;

export function validateStep(step: StepId, a: Answers, files: Files): StepErrors {
  const e: StepErrors = {};
  const need = (key: keyof Answers, value: string) => {
    if (!value.trim()) e[key] = 'required';
  };
  switch (step) {
    case 'choice':
      if (!a.kind) e.kind = 'choice.pick';
      break;
    case 'requester':
      need('requesterName', a.requesterName);
      if (a.kind === 'parent_guardian') need('relationship', a.relationship);
      break;
    case 'client':
      need('firstName', a.firstName);
      need('lastName', a.lastName);
      need('dateOfBirth', a.dateOfBirth);
      break;
    case 'recipient':
      need('recipientName', a.recipientName);
      if (a.recipientEmail.trim() && !EMAIL.safeParse(a.recipientEmail).success)
        e.recipientEmail = 'email.invalid';
      break;
    case 'records':
      if (a.records.length === 0) e.records = 'records.pick';
      if (a.dateFrom && a.dateTo && a.dateFrom > a.dateTo) e.dateTo = 'records.badRange';
      break;
    case 'purpose':
      need('purpose', a.purpose);
      break;
    case 'legal':
      if (!a.legalDocument) e.legalDocument = 'choice.pick';
      need('documentDueDate', a.documentDueDate);
      break;
    case 'documents':
      for (const { field, required } of documentFields(a.kind!)) {
        const file = files[field];
        if (required && !file) e[field] = 'documents.needed';
        if (file && file.size > 25 * 1024 * 1024) e[field] = 'documents.tooLarge';
      }
      break;
    case 'email':
      if (!EMAIL.safeParse(a.email).success) e.email = 'email.invalid';
      break;
    case 'code':
      if (!/^\d{6}$/.test(a.code.trim())) e.code = 'code.invalid';
      break;
    case 'delivery':
      break;
  }
  return e;
}

// rule AUTH-1…AUTH-5, AUTH-7: the checks of a client's authorization, element by element, so staff see
// exactly which one fails (45 CFR 164.508(b)(2), (c)). Pure functions over the recorded fields.
import type { LocalDate } from '../../shared/time.js';

export type AuthorizationRule = 'AUTH-1' | 'AUTH-2' | 'AUTH-3' | 'AUTH-4' | 'AUTH-5' | 'AUTH-7' | 'SCOPE-1';

export type AuthorizationElement =
  | 'description'
  | 'discloser'
  | 'recipient'
  | 'purpose'
  | 'expiration'
  | 'signature'
  | 'signatureDate'
  | 'representativeAuthority'
  | 'statementRevocation'
  | 'statementConditioning'
  | 'statementRedisclosure'
  | 'improperCompound'
  | 'conditionsTreatment'
  | 'knownFalse'
  | 'revocation'
  | 'psychotherapyNotes'
  | 'signerCopy';

export interface ValidationFailure {
  element: AuthorizationElement;
  rule: AuthorizationRule;
  message: string;
}

export interface AuthorizationValidation {
  valid: boolean;
  failures: ValidationFailure[];
}

/** The fields the checks read (a row of `authorizations`, or the body of a new one). */
export interface AuthorizationFields {
  description: string | null;
  discloser: string | null;
  recipient: string | null;
  purpose: string | null;
  expiresOn: LocalDate | null;
  expiryEvent: string | null;
  signedOn: LocalDate | null;
  signerName: string | null;
  signedByRepresentative: boolean;
  representativeAuthority: string | null;
  statementRevocation: boolean;
  statementConditioning: boolean;
  statementRedisclosure: boolean;
  improperCompound: boolean;
  conditionsTreatment: boolean;
  knownFalse: boolean;
  psychotherapyNotesOnly: boolean;
  documentClasses: readonly string[];
  revocationReceivedAt: Date | null;
  /** rule AUTH-7: signed on the form the practice prepared (then the signer must get a copy). */
  preparedByPractice?: boolean;
  /** rule AUTH-7: when the signer was given their copy (null until recorded). */
  signerCopyGivenOn?: LocalDate | null;
}

/** "As of" for the time-dependent defects: the practice's local date and the instant. */
export interface AsOf {
  today: LocalDate;
  now: Date;
}

const blank = (v: string | null | undefined): boolean => !v || v.trim() === '';

// rule AUTH-1: the core elements of 164.508(c)(1), each by name.
const CORE_ELEMENTS: readonly {
  element: AuthorizationElement;
  missing: (a: AuthorizationFields) => boolean;
  message: string;
}[] = [
  {
    element: 'description',
    missing: (a) => blank(a.description),
    message: 'The description of the information to be disclosed is missing.',
  },
  {
    element: 'discloser',
    missing: (a) => blank(a.discloser),
    message: 'Who may disclose the information is missing.',
  },
  {
    element: 'recipient',
    missing: (a) => blank(a.recipient),
    message: 'Who receives the information is missing.',
  },
  {
    element: 'purpose',
    missing: (a) => blank(a.purpose),
    message: 'The purpose is missing ("at the request of the individual" is enough when the client asks).',
  },
  {
    element: 'expiration',
    missing: (a) => !a.expiresOn && blank(a.expiryEvent),
    message: 'Neither an expiration date nor an expiration event is given.',
  },
  { element: 'signature', missing: (a) => blank(a.signerName), message: 'The signature is missing.' },
  { element: 'signatureDate', missing: (a) => !a.signedOn, message: 'The date of the signature is missing.' },
  {
    element: 'representativeAuthority',
    missing: (a) => a.signedByRepresentative && blank(a.representativeAuthority),
    message: 'Signed by a representative, but their authority to act for the client is not described.',
  },
];

// rule AUTH-2: the required statements of 164.508(c)(2).
const STATEMENTS: readonly {
  element: AuthorizationElement;
  present: (a: AuthorizationFields) => boolean;
  message: string;
}[] = [
  {
    element: 'statementRevocation',
    present: (a) => a.statementRevocation,
    message: 'The statement of the right to revoke in writing, and how, is missing.',
  },
  {
    element: 'statementConditioning',
    present: (a) => a.statementConditioning,
    message: 'The statement on whether treatment may be conditioned on signing is missing.',
  },
  {
    element: 'statementRedisclosure',
    present: (a) => a.statementRedisclosure,
    message:
      'The statement that the recipient may redisclose the information, which may lose its protection, is missing.',
  },
];

// rule AUTH-3: defects staff found on the form (164.508(b)(2)).
const DEFECTS: readonly {
  element: AuthorizationElement;
  found: (a: AuthorizationFields) => boolean;
  message: string;
}[] = [
  {
    element: 'improperCompound',
    found: (a) => a.improperCompound,
    message: 'It is an improper compound authorization (combined with another document).',
  },
  {
    element: 'conditionsTreatment',
    found: (a) => a.conditionsTreatment,
    message: 'It conditions treatment on signing, which is not allowed here.',
  },
  { element: 'knownFalse', found: (a) => a.knownFalse, message: 'It is known to be materially false.' },
];

/** rule AUTH-4: psychotherapy notes combined with any other information make the form improper. */
function combinesPsychotherapyNotes(a: AuthorizationFields): boolean {
  const others = a.documentClasses.filter((c) => c !== 'psychotherapy_notes');
  const namesNotes = a.psychotherapyNotesOnly || a.documentClasses.includes('psychotherapy_notes');
  return namesNotes && others.length > 0;
}

export function isRevoked(a: Pick<AuthorizationFields, 'revocationReceivedAt'>, now: Date): boolean {
  // rule AUTH-5: effective from receipt.
  return !!a.revocationReceivedAt && a.revocationReceivedAt.getTime() <= now.getTime();
}

export function isExpired(a: Pick<AuthorizationFields, 'expiresOn'>, today: LocalDate): boolean {
  // The expiration date is the last day it may be relied on.
  return !!a.expiresOn && a.expiresOn < today;
}

/** Every failing element by name, with its rule; valid when there is none. */
export function validateAuthorization(a: AuthorizationFields, asOf: AsOf): AuthorizationValidation {
  const failures: ValidationFailure[] = [];
  for (const c of CORE_ELEMENTS) {
    if (c.missing(a)) failures.push({ element: c.element, rule: 'AUTH-1', message: `${c.message} (AUTH-1)` });
  }
  for (const s of STATEMENTS) {
    if (!s.present(a))
      failures.push({ element: s.element, rule: 'AUTH-2', message: `${s.message} (AUTH-2)` });
  }
  for (const d of DEFECTS) {
    if (d.found(a)) failures.push({ element: d.element, rule: 'AUTH-3', message: `${d.message} (AUTH-3)` });
  }
  if (isExpired(a, asOf.today)) {
    failures.push({
      element: 'expiration',
      rule: 'AUTH-3',
      message: `It expired on ${a.expiresOn}: nothing may be released on it (AUTH-3).`,
    });
  }
  if (isRevoked(a, asOf.now)) {
    failures.push({
      element: 'revocation',
      rule: 'AUTH-3',
      message: `The client revoked it in writing (received ${a.revocationReceivedAt!.toISOString()}): nothing may be released on it (AUTH-3, AUTH-5).`,
    });
  }
  if (combinesPsychotherapyNotes(a)) {
    failures.push({
      element: 'psychotherapyNotes',
      rule: 'AUTH-4',
      message:
        'Psychotherapy notes need their own authorization, not combined with one for other information (AUTH-4).',
    });
  }
  if (a.preparedByPractice && !a.signerCopyGivenOn) {
    failures.push({
      element: 'signerCopy',
      rule: 'AUTH-7',
      message:
        "The client signed the practice's own form, but giving the signer a copy is not recorded: give them a copy and record how and when (AUTH-7).",
    });
  }
  return { valid: failures.length === 0, failures };
}

/**
 * rule AUTH-7: the day the signer was given their copy of the practice's form: not before they
 * signed it, and not in the future. Null when the date is possible.
 */
export function signerCopyDateError(
  givenOn: LocalDate,
  signedOn: LocalDate | null,
  today: LocalDate,
): string | null {
  if (givenOn > today) return `The signer's copy cannot be given in the future (after ${today}) (AUTH-7).`;
  if (signedOn && givenOn < signedOn)
    return `The signer's copy cannot be given before the form was signed (${signedOn}) (AUTH-7).`;
  return null;
}

/** A problem with the body of a new authorization, for a 400 naming the field and the rule. */
export interface DateError {
  field: 'expiresOn' | 'signedOn' | 'dateTo';
  rule: AuthorizationRule;
  message: string;
}

type DateFields = Pick<AuthorizationFields, 'expiresOn' | 'signedOn'> & {
  dateFrom: LocalDate | null;
  dateTo: LocalDate | null;
};

/** Impossible dates are refused at once: expiry before signature, a future signature, a reversed range. */
export function impossibleDates(a: DateFields, today: LocalDate): DateError[] {
  const errors: DateError[] = [];
  if (a.signedOn && a.signedOn > today) {
    errors.push({
      field: 'signedOn',
      rule: 'AUTH-1',
      message: `The signature date ${a.signedOn} is in the future (AUTH-1).`,
    });
  }
  if (a.signedOn && a.expiresOn && a.expiresOn < a.signedOn) {
    errors.push({
      field: 'expiresOn',
      rule: 'AUTH-1',
      message: `The expiration date ${a.expiresOn} is before the signature date ${a.signedOn} (AUTH-1).`,
    });
  }
  if (a.dateFrom && a.dateTo && a.dateTo < a.dateFrom) {
    errors.push({
      field: 'dateTo',
      rule: 'SCOPE-1',
      message: `The authorized range ends (${a.dateTo}) before it starts (${a.dateFrom}) (SCOPE-1).`,
    });
  }
  return errors;
}

const norm = (v: string | null): string => (v ?? '').trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * rule AUTH-5: the same signed form recorded on another request of the client (same signer, same
 * signature date, same recipient). A revocation of the form reaches every request relying on it.
 */
export function isSameSignedForm(
  a: Pick<AuthorizationFields, 'signedOn' | 'signerName' | 'recipient'>,
  b: Pick<AuthorizationFields, 'signedOn' | 'signerName' | 'recipient'>,
): boolean {
  if (!a.signedOn || blank(a.signerName)) return false;
  return (
    a.signedOn === b.signedOn &&
    norm(a.signerName) === norm(b.signerName) &&
    norm(a.recipient) === norm(b.recipient)
  );
}

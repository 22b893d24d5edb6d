import { describe, expect, it } from 'vitest';
import {
  type AuthorizationElement,
  type AuthorizationFields,
  type AuthorizationRule,
  impossibleDates,
  isSameSignedForm,
  signerCopyDateError,
  validateAuthorization,
} from './authorization.js';

const asOf = { today: '2026-06-15', now: new Date('2026-06-15T18:00:00Z') };

/** A complete, valid authorization; each case changes one thing. */
const complete: AuthorizationFields = {
  description: 'Progress notes and treatment plan, Jan–Jun 2026',
  discloser: 'Riverbend Counseling',
  recipient: 'Jordan Law LLP',
  purpose: 'Personal injury claim',
  expiresOn: '2026-12-31',
  expiryEvent: null,
  signedOn: '2026-06-01',
  signerName: 'Alex Client',
  signedByRepresentative: false,
  representativeAuthority: null,
  statementRevocation: true,
  statementConditioning: true,
  statementRedisclosure: true,
  improperCompound: false,
  conditionsTreatment: false,
  knownFalse: false,
  psychotherapyNotesOnly: false,
  documentClasses: ['progress_notes', 'treatment_plans'],
  revocationReceivedAt: null,
};

const CASES: [string, Partial<AuthorizationFields>, AuthorizationElement, AuthorizationRule][] = [
  ['AUTH-1: no description of the information', { description: null }, 'description', 'AUTH-1'],
  ['AUTH-1: a blank description', { description: '   ' }, 'description', 'AUTH-1'],
  ['AUTH-1: no one named to disclose', { discloser: null }, 'discloser', 'AUTH-1'],
  ['AUTH-1: no recipient', { recipient: '' }, 'recipient', 'AUTH-1'],
  ['AUTH-1: no purpose', { purpose: null }, 'purpose', 'AUTH-1'],
  ['AUTH-1: neither expiry date nor event', { expiresOn: null, expiryEvent: null }, 'expiration', 'AUTH-1'],
  ['AUTH-1: no signature', { signerName: null }, 'signature', 'AUTH-1'],
  ['AUTH-1: no signature date', { signedOn: null }, 'signatureDate', 'AUTH-1'],
  [
    'AUTH-1: a representative signed without describing their authority',
    { signedByRepresentative: true, representativeAuthority: null },
    'representativeAuthority',
    'AUTH-1',
  ],
  [
    'AUTH-2: no statement of the right to revoke',
    { statementRevocation: false },
    'statementRevocation',
    'AUTH-2',
  ],
  [
    'AUTH-2: no statement on conditioning',
    { statementConditioning: false },
    'statementConditioning',
    'AUTH-2',
  ],
  [
    'AUTH-2: no statement on redisclosure',
    { statementRedisclosure: false },
    'statementRedisclosure',
    'AUTH-2',
  ],
  ['AUTH-3: an improper compound authorization', { improperCompound: true }, 'improperCompound', 'AUTH-3'],
  ['AUTH-3: conditions treatment on signing', { conditionsTreatment: true }, 'conditionsTreatment', 'AUTH-3'],
  ['AUTH-3: known to be false', { knownFalse: true }, 'knownFalse', 'AUTH-3'],
  ['AUTH-3: expired yesterday', { expiresOn: '2026-06-14' }, 'expiration', 'AUTH-3'],
  [
    'AUTH-3, AUTH-5: revoked (effective from receipt)',
    { revocationReceivedAt: new Date('2026-06-15T17:59:00Z') },
    'revocation',
    'AUTH-3',
  ],
  [
    'AUTH-4: psychotherapy notes combined with other information',
    { documentClasses: ['psychotherapy_notes', 'progress_notes'] },
    'psychotherapyNotes',
    'AUTH-4',
  ],
  [
    'AUTH-4: a psychotherapy-notes-only form that also lists other records',
    { psychotherapyNotesOnly: true, documentClasses: ['assessments'] },
    'psychotherapyNotes',
    'AUTH-4',
  ],
];

describe('AUTH-1, AUTH-2, AUTH-3, AUTH-4: each failing element is named', () => {
  it('AUTH-1, AUTH-2: a complete authorization is valid', () => {
    expect(validateAuthorization(complete, asOf)).toEqual({ valid: true, failures: [] });
  });

  it.each(CASES)('%s', (_title, change, element, rule) => {
    const result = validateAuthorization({ ...complete, ...change }, asOf);
    expect(result.valid).toBe(false);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ element, rule });
    expect(result.failures[0]!.message).toContain(rule);
  });

  it('AUTH-1: an expiry event instead of a date is enough; a representative with authority is valid', () => {
    const r = validateAuthorization(
      {
        ...complete,
        expiresOn: null,
        expiryEvent: 'End of the claim',
        signedByRepresentative: true,
        representativeAuthority: 'Parent of a minor',
      },
      asOf,
    );
    expect(r.valid).toBe(true);
  });

  it('AUTH-3: an authorization expiring today may still be relied on today; a revocation received later is not yet in effect', () => {
    expect(validateAuthorization({ ...complete, expiresOn: '2026-06-15' }, asOf).valid).toBe(true);
    const later = { ...complete, revocationReceivedAt: new Date('2026-06-15T19:00:00Z') };
    expect(validateAuthorization(later, asOf).valid).toBe(true);
  });

  it('AUTH-4: an authorization for psychotherapy notes only is valid', () => {
    const r = validateAuthorization(
      { ...complete, psychotherapyNotesOnly: true, documentClasses: ['psychotherapy_notes'] },
      asOf,
    );
    expect(r.valid).toBe(true);
  });

  it('AUTH-1, AUTH-2: an empty form lists every missing element and statement', () => {
    const r = validateAuthorization(
      {
        ...complete,
        description: null,
        discloser: null,
        recipient: null,
        purpose: null,
        expiresOn: null,
        signedOn: null,
        signerName: null,
        statementRevocation: false,
        statementConditioning: false,
        statementRedisclosure: false,
      },
      asOf,
    );
    expect(r.failures.map((f) => f.element)).toEqual([
      'description',
      'discloser',
      'recipient',
      'purpose',
      'expiration',
      'signature',
      'signatureDate',
      'statementRevocation',
      'statementConditioning',
      'statementRedisclosure',
    ]);
  });
});

describe('AUTH-1, SCOPE-1: impossible dates', () => {
  const dates = {
    signedOn: '2026-06-01',
    expiresOn: '2026-12-31',
    dateFrom: '2026-01-01',
    dateTo: '2026-06-30',
  };
  it.each([
    ['AUTH-1: expiry before signature', { expiresOn: '2026-05-31' }, 'expiresOn', 'AUTH-1'],
    [
      'AUTH-1: signature in the future',
      { signedOn: '2026-06-16', expiresOn: '2026-12-31' },
      'signedOn',
      'AUTH-1',
    ],
    ['SCOPE-1: a reversed range', { dateFrom: '2026-07-01' }, 'dateTo', 'SCOPE-1'],
  ] as const)('%s', (_t, change, field, rule) => {
    expect(impossibleDates({ ...dates, ...change }, asOf.today)).toEqual([
      expect.objectContaining({ field, rule }),
    ]);
  });

  it('AUTH-1: possible dates pass, and missing ones are left to the validation', () => {
    expect(impossibleDates(dates, asOf.today)).toEqual([]);
    expect(
      impossibleDates({ signedOn: null, expiresOn: null, dateFrom: null, dateTo: null }, asOf.today),
    ).toEqual([]);
  });
});

describe('AUTH-5: the same signed form on another request', () => {
  it('AUTH-5: same signer, date and recipient (ignoring case and spacing) is the same form', () => {
    const a = { signedOn: '2026-06-01', signerName: 'Alex Client', recipient: 'Jordan Law LLP' };
    expect(isSameSignedForm(a, { ...a, signerName: ' alex  client ' })).toBe(true);
    expect(isSameSignedForm(a, { ...a, recipient: 'Other LLP' })).toBe(false);
    expect(isSameSignedForm(a, { ...a, signedOn: '2026-06-02' })).toBe(false);
    expect(isSameSignedForm({ ...a, signedOn: null }, { ...a, signedOn: null })).toBe(false);
  });
});

describe("AUTH-7: the signer's copy of the practice's own form", () => {
  it("AUTH-7: a form the practice prepared is not valid until the signer's copy is recorded", () => {
    const r = validateAuthorization({ ...complete, preparedByPractice: true, signerCopyGivenOn: null }, asOf);
    expect(r.valid).toBe(false);
    expect(r.failures).toEqual([expect.objectContaining({ element: 'signerCopy', rule: 'AUTH-7' })]);
    expect(r.failures[0]!.message).toContain('AUTH-7');
    expect(
      validateAuthorization({ ...complete, preparedByPractice: true, signerCopyGivenOn: '2026-06-02' }, asOf),
    ).toEqual({ valid: true, failures: [] });
  });

  it("AUTH-7: a form the client brought (not the practice's) needs no recorded copy", () => {
    expect(validateAuthorization({ ...complete, preparedByPractice: false }, asOf).valid).toBe(true);
  });

  it('AUTH-7: the copy is given on or after the signature, and not in the future', () => {
    expect(signerCopyDateError('2026-06-01', '2026-06-01', asOf.today)).toBeNull();
    expect(signerCopyDateError('2026-06-15', '2026-06-01', asOf.today)).toBeNull();
    expect(signerCopyDateError('2026-05-31', '2026-06-01', asOf.today)).toContain(
      'before the form was signed',
    );
    expect(signerCopyDateError('2026-06-16', '2026-06-01', asOf.today)).toContain('future');
    expect(signerCopyDateError('2026-06-16', null, asOf.today)).toContain('AUTH-7');
  });
});

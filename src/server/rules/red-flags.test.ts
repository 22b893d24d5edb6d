import { describe, expect, it } from 'vitest';
import { type FlagFacts, systemRedFlags } from './red-flags.js';

const base: FlagFacts = {
  request: {
    id: 'r',
    practiceId: 'p',
    clientId: 'c',
    kind: 'client_access',
    documentClasses: ['progress_notes'],
    purpose: 'Personal use',
    notes: null,
    requesterRelationship: 'client',
    requesterOrganization: null,
    requesterName: 'Alex',
    requesterEmail: 'alex@example.test',
  },
  clientIsMinor: false,
  identityVerified: true,
  authorityProven: true,
  assuranceRecorded: false,
  authorizationExpiries: [],
  duplicateNumbers: [],
  today: '2026-11-28',
};

const codes = (f: FlagFacts) => systemRedFlags(f).map((x) => x.code);

describe('system red flags', () => {
  it('REV-6: a plain, verified access request raises none', () => {
    expect(codes(base)).toEqual([]);
  });

  it.each([
    [
      'psychotherapy notes requested',
      { request: { ...base.request, documentClasses: ['psychotherapy_notes'] } },
      'psychotherapy_notes',
    ],
    ['a minor client', { clientIsMinor: true }, 'minor_client'],
    [
      "a representative's authority unproven",
      { request: { ...base.request, kind: 'representative' }, authorityProven: false },
      'representative_unproven',
    ],
    [
      'custody in the purpose',
      { request: { ...base.request, purpose: 'Custody evaluation' } },
      'custody_or_litigation',
    ],
    ['a subpoena', { request: { ...base.request, kind: 'subpoena' } }, 'subpoena_without_assurance'],
    ['Part 2 material', { request: { ...base.request, documentClasses: ['part2'] } }, 'part2_material'],
    [
      'an authorization expiring in 10 days',
      { authorizationExpiries: ['2026-12-08'] },
      'authorization_expiring',
    ],
    ['an unverified requester', { identityVerified: false }, 'identity_unverified'],
    ['another open request for the same records', { duplicateNumbers: ['R-2026-0001'] }, 'duplicate_request'],
  ] as const)('REV-6: %s raises %s', (_what, change, code) => {
    expect(codes({ ...base, ...change } as FlagFacts)).toContain(code);
  });

  it('REV-6: an authorization expiring next month, or already expired, is not "about to expire"', () => {
    expect(codes({ ...base, authorizationExpiries: ['2027-01-30', '2026-11-01'] })).not.toContain(
      'authorization_expiring',
    );
  });

  it('REV-6: a subpoena with the assurance recorded is no longer flagged for it, but still for litigation', () => {
    const f = { ...base, request: { ...base.request, kind: 'subpoena' }, assuranceRecorded: true };
    expect(codes(f)).toEqual(['custody_or_litigation']);
  });
});

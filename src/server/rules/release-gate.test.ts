import { describe, expect, it } from 'vitest';
import { type GateAuthorization, type GateFacts, releaseBlockers, scopeClasses } from './release-gate.js';

const valid: GateAuthorization = {
  valid: true,
  failures: [],
  psychotherapyNotesOnly: false,
  part2Consent: false,
  revoked: false,
};
const identity = { subject: 'identity', proofKind: null };
const base: GateFacts = {
  kind: 'client_access',
  documentClasses: ['progress_notes'],
  authorizations: [],
  verifications: [identity],
  approvals: [],
};
/** rule LEGAL-2: a subpoena's satisfactory assurance and the privacy officer's privilege record. */
const legal2 = [
  { kind: 'satisfactory_assurance', detail: { basis: 'qualified_protective_order' } },
  { kind: 'privilege_addressed', detail: { addressedBy: 'counsel_advice' } },
];
const rules = (f: Partial<GateFacts>) => releaseBlockers({ ...base, ...f }).map((b) => b.rule);

describe('the release gate names each rule that blocks', () => {
  it('VER-1: nothing goes out before the requester’s identity is verified', () => {
    expect(rules({})).toEqual([]);
    expect(rules({ verifications: [] })).toEqual(['VER-1']);
  });

  it('AUTH-1, AUTH-3, AUTH-5: KIND-3 and KIND-2 need a valid, unrevoked, unexpired authorization', () => {
    for (const kind of ['authorization', 'client_directed'] as const) {
      expect(rules({ kind })).toEqual(['AUTH-1']);
      expect(rules({ kind, authorizations: [valid] })).toEqual([]);
      const defective: GateAuthorization = {
        ...valid,
        valid: false,
        failures: [{ element: 'signature', rule: 'AUTH-1', message: 'The signature is missing.' }],
      };
      expect(rules({ kind, authorizations: [defective] })).toEqual(['AUTH-3']);
      expect(rules({ kind, authorizations: [{ ...defective, revoked: true }] })).toEqual(['AUTH-5']);
    }
    const msg = releaseBlockers({ ...base, kind: 'authorization', authorizations: [] })[0]!.message;
    expect(msg).toContain("Record the client's signed authorization");
  });

  it('AUTH-4: psychotherapy notes need their own authorization or the privacy officer’s exception', () => {
    const pn = { documentClasses: ['psychotherapy_notes'] };
    expect(rules(pn)).toEqual(['AUTH-4']);
    expect(rules({ ...pn, authorizations: [{ ...valid, psychotherapyNotesOnly: true }] })).toEqual([]);
    expect(rules({ ...pn, approvals: [{ kind: 'psychotherapy_notes' }] })).toEqual([]);
    // A general authorization never releases them.
    expect(rules({ ...pn, kind: 'authorization', authorizations: [valid] })).toEqual(['AUTH-4']);
    // A psychotherapy-notes-only authorization never releases other records.
    const both = {
      kind: 'authorization' as const,
      documentClasses: ['psychotherapy_notes', 'progress_notes'],
    };
    expect(rules({ ...both, authorizations: [{ ...valid, psychotherapyNotesOnly: true }] })).toEqual([
      'AUTH-4',
    ]);
    expect(rules({ ...both, authorizations: [valid, { ...valid, psychotherapyNotesOnly: true }] })).toEqual(
      [],
    );
  });

  it('REP-1: a representative’s authority is recorded with its proof', () => {
    expect(rules({ kind: 'representative' })).toEqual(['REP-1']);
    expect(
      rules({ kind: 'representative', verifications: [identity, { subject: 'authority', proofKind: null }] }),
    ).toEqual(['REP-1']);
    expect(
      rules({
        kind: 'representative',
        verifications: [identity, { subject: 'authority', proofKind: 'custody_order' }],
      }),
    ).toEqual([]);
  });

  it('LEGAL-2: a subpoena goes out only with satisfactory assurance and the privilege record, both', () => {
    const sub = { kind: 'subpoena' as const };
    const message = (f: Partial<GateFacts>) => releaseBlockers({ ...base, ...sub, ...f })[0]?.message;
    expect(rules(sub)).toEqual(['LEGAL-2']);
    expect(message({})).toContain('Record both');
    expect(rules({ ...sub, approvals: [legal2[0]!] })).toEqual(['LEGAL-2']);
    expect(message({ approvals: [legal2[0]!] })).toContain('how psychotherapist-patient privilege');
    expect(rules({ ...sub, approvals: [legal2[1]!] })).toEqual(['LEGAL-2']);
    expect(message({ approvals: [legal2[1]!] })).toContain('satisfactory assurance');
    expect(rules({ ...sub, approvals: legal2 })).toEqual([]);
    // Privilege on the client's authorization counts while that authorization is valid and unrevoked.
    const onAuth = [
      legal2[0]!,
      { kind: 'privilege_addressed', detail: { addressedBy: 'client_authorization', authorizationId: 'a1' } },
    ];
    expect(rules({ ...sub, approvals: onAuth, authorizations: [{ ...valid, id: 'a1' }] })).toEqual([]);
    expect(
      rules({ ...sub, approvals: onAuth, authorizations: [{ ...valid, id: 'a1', revoked: true }] }),
    ).toEqual(['LEGAL-2']);
    expect(message({ approvals: onAuth, authorizations: [{ ...valid, id: 'a1', valid: false }] })).toContain(
      'revoked or no longer valid',
    );
    expect(rules({ ...sub, approvals: onAuth, authorizations: [{ ...valid, id: 'a2' }] })).toEqual([
      'LEGAL-2',
    ]);
    // A court order (KIND-5) is not held by LEGAL-2.
    expect(rules({ kind: 'court_order' })).toEqual([]);
  });

  it('LEGAL-3: Part 2 records on a subpoena need a Part 2 court order or the client’s Part 2 consent', () => {
    const sub = {
      kind: 'subpoena' as const,
      documentClasses: ['part2', 'progress_notes'],
      approvals: legal2,
    };
    expect(rules(sub)).toEqual(['LEGAL-3']);
    expect(rules({ ...sub, approvals: [...legal2, { kind: 'part2_court_order' }] })).toEqual([]);
    expect(rules({ ...sub, authorizations: [{ ...valid, part2Consent: true }] })).toEqual([]);
    expect(rules({ ...sub, authorizations: [{ ...valid, part2Consent: true, valid: false }] })).toEqual([
      'LEGAL-3',
    ]);
    expect(rules({ kind: 'court_order', documentClasses: ['part2'] })).toEqual([]);
  });

  it('AUTH-4: the approved scope decides what would go out', () => {
    const row = { documentClasses: ['psychotherapy_notes', 'progress_notes'], approvedScope: null };
    expect(scopeClasses(row)).toEqual(['psychotherapy_notes', 'progress_notes']);
    expect(scopeClasses({ ...row, approvedScope: { documentClasses: ['progress_notes'] } })).toEqual([
      'progress_notes',
    ]);
    expect(scopeClasses({ ...row, approvedScope: { decision: 'release' } })).toEqual(row.documentClasses);
  });
});

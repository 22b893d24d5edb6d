// Who signs the authorization form in the portal, as a table over the facts (KIND-2, KIND-3, AUTH-1,
// AUTH-5), and the recipient the client named on her request.
import { describe, expect, it } from 'vitest';
import { namedRecipient, type SignFacts, signDecision } from './form.js';

const directed: SignFacts = {
  kind: 'client_directed',
  requesterRelationship: 'client',
  stage: 'request_made',
  recipientName: 'Bright Path',
  recipientOrganization: null,
  recipientEmail: null,
  recipientAddress: '500 K Street',
  authorizations: [],
};
const signedHere = { signerCopyMethod: 'portal', preparedByPractice: true };
const onPaper = { signerCopyMethod: null, preparedByPractice: false };

describe('signDecision', () => {
  it.each([
    ['KIND-2: the client directs a copy to someone she named', directed, 'to_sign'],
    ['KIND-2: at any open stage', { ...directed, stage: 'invoice' }, 'to_sign'],
    ['AUTH-1: signed here already', { ...directed, authorizations: [signedHere] }, 'signed'],
    [
      'AUTH-1: an authorization already on record (signed on paper): staff handle any other',
      { ...directed, authorizations: [onPaper] },
      'practice_prepares',
    ],
    [
      'AUTH-1: no recipient named, no form with a missing element',
      { ...directed, recipientName: null, recipientAddress: null },
      'practice_prepares',
    ],
    ['KIND-2: the request has ended', { ...directed, stage: 'withdrawn' }, 'practice_prepares'],
    [
      'KIND-2: the portal requester is not the client',
      { ...directed, requesterRelationship: 'advocate' },
      'client_signs',
    ],
    [
      'KIND-3, AUTH-1: a third party cannot sign for the client',
      { ...directed, kind: 'authorization' },
      'client_signs',
    ],
    [
      'KIND-1: the client’s own copy needs no authorization',
      { ...directed, kind: 'client_access' },
      'not_needed',
    ],
    [
      'KIND-6: a representative stands in the client’s shoes',
      { ...directed, kind: 'representative' },
      'not_needed',
    ],
    ['KIND-4: a subpoena', { ...directed, kind: 'subpoena' }, 'not_needed'],
  ] as const)('%s', (_title, facts, state) => {
    expect(signDecision(facts as SignFacts)).toBe(state);
  });
});

describe('namedRecipient', () => {
  it('KIND-2: reads the request’s recipient fields, none without a name', () => {
    expect(namedRecipient(directed)).toEqual({
      name: 'Bright Path',
      organization: null,
      address: '500 K Street',
      email: null,
    });
    expect(namedRecipient({ ...directed, recipientName: null })).toBeNull();
  });
});

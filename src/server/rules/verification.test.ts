import { describe, expect, it } from 'vitest';
import { barrierCheckApplies, barrierMessage, barriersIn } from './verification.js';

describe('VER-1: a verification method must not be a barrier for a client', () => {
  it.each([
    ['Client must send a notarized copy of the request', 'notarization'],
    ['Notarised ID required', 'notarization'],
    ['Ask the client to see a notary', 'notarization'],
    ['In-person visit required with photo ID', 'in_person_visit'],
    ['Client must come in to the office with ID', 'in_person_visit'],
    ['Has to visit the office', 'in_person_visit'],
    ['Appear in person at reception', 'in_person_visit'],
    ['Download our app and verify there', 'proprietary_app'],
    ['Verified through our proprietary app', 'proprietary_app'],
  ])('VER-1: "%s" is refused (%s)', (method, barrier) => {
    expect(barriersIn(method).map((b) => b.barrier)).toContain(barrier);
  });

  it.each([
    'Called the client back at the number on file',
    'Photo ID by secure upload',
    'Photo ID checked in person at the front desk (the client walked in)',
    'Date of birth and address matched the chart',
    'Signed request received by fax with a copy of the driver licence',
  ])('VER-1: "%s" is a reasonable means', (method) => {
    expect(barriersIn(method)).toEqual([]);
  });

  it('VER-1: the check applies to the client and to a representative’s identity, not to third parties or proof of authority', () => {
    expect(barrierCheckApplies('client_access', 'identity')).toBe(true);
    expect(barrierCheckApplies('client_directed', 'identity')).toBe(true);
    expect(barrierCheckApplies('representative', 'identity')).toBe(true);
    expect(barrierCheckApplies('representative', 'authority')).toBe(false);
    expect(barrierCheckApplies('authorization', 'identity')).toBe(false);
    expect(barrierCheckApplies('subpoena', 'identity')).toBe(false);
  });

  it('VER-1: the message names the rule and explains each barrier', () => {
    const msg = barrierMessage(barriersIn('Notarized form and in-person visit required'));
    expect(msg).toContain('VER-1');
    expect(msg).toContain('notarized');
    expect(msg).toContain('come to the office');
  });
});

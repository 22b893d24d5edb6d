// The mail policy as a table: every role × every action (rule SEC-2).
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/roles.js';
import { decideMail, type MailAction } from './mail.js';

const ACTIONS: MailAction[] = ['status', 'outbox.view', 'outbox.read_code', 'triage.view', 'triage.resolve'];

describe('SEC-2 mail policy: the outbox and triage are for support and the privacy officer', () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = action === 'status' || role === 'support' || role === 'privacy_officer';
      it(`${role} ${expected ? 'may' : 'may not'} ${action}`, () => {
        expect(decideMail({ roles: [role], active: true }, action).allowed).toBe(expected);
      });
    }
  }
  it('a deactivated account may do nothing', () => {
    for (const action of ACTIONS)
      expect(decideMail({ roles: ['support'], active: false }, action).allowed).toBe(false);
  });
});

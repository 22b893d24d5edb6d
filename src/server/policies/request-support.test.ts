import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import { canExtendDeadline, canQuoteFee, canRecordPayment, canWriteToRequester } from './request-support.js';

const actor = (role: Role) => ({ id: 'u', practiceId: 'p', roles: [role], active: true });

describe('side work on a request', () => {
  it.each(ROLES)('SEC-2, FEE-3, FEE-6, TIME-2: what a %s may do beside the workflow', (role) => {
    const a = actor(role);
    expect(canWriteToRequester(a)).toBe(role === 'support');
    expect(canRecordPayment(a)).toBe(role === 'support');
    expect(canQuoteFee(a)).toBe(role === 'support');
    expect(canExtendDeadline(a)).toBe(role === 'support' || role === 'privacy_officer');
  });
});

import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/roles.js';
import { canDoPayment, PAYMENT_ACTIONS, type PaymentAction, paymentAbilities } from './payments.js';

const actor = (role: Role, over: { practiceId?: string; active?: boolean } = {}) => ({
  id: 'u',
  practiceId: over.practiceId ?? 'p',
  roles: [role],
  active: over.active ?? true,
});

const expected: Record<Role, readonly PaymentAction[]> = {
  admin: [],
  support: PAYMENT_ACTIONS,
  therapist: [],
  supervisor: [],
  clinical_services: [],
  privacy_officer: ['view', 'download_receipt'],
};

describe('payments policy', () => {
  const table = ROLES.flatMap((role) => PAYMENT_ACTIONS.map((action) => [role, action] as const));

  it.each(table)('SEC-2, FEE-6: a %s may %s a payment only as the table says', (role, action) => {
    const decision = canDoPayment(actor(role), 'p', action);
    expect(decision.allowed).toBe(expected[role].includes(action));
    if (!decision.allowed) expect(decision.reason.length).toBeGreaterThan(10);
  });

  it.each(ROLES)('SEC-2: a %s of another practice, or deactivated, may do nothing', (role) => {
    for (const action of PAYMENT_ACTIONS) {
      expect(canDoPayment(actor(role, { practiceId: 'other' }), 'p', action).allowed).toBe(false);
      expect(canDoPayment(actor(role, { active: false }), 'p', action).allowed).toBe(false);
    }
  });

  it('SEC-2: abilities list exactly what the policy allows', () => {
    expect(paymentAbilities(actor('support'), 'p')).toEqual([...PAYMENT_ACTIONS]);
    expect(paymentAbilities(actor('privacy_officer'), 'p')).toEqual(['view', 'download_receipt']);
    expect(paymentAbilities(actor('therapist'), 'p')).toEqual([]);
    expect(paymentAbilities(actor('supervisor'), 'p')).toEqual([]);
  });
});

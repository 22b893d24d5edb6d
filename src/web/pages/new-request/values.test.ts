// The new-request form's body: staff record the requester's language (issue 7), English unless
// chosen, and the body passes the same schema the server validates with.
import { describe, expect, it } from 'vitest';
import { createRequestSchema } from '../../../shared/schemas/requests';
import type { ClientView } from '../../api/types';
import { initialValues, toBody } from './values';

const filled = () => ({
  ...initialValues(),
  kind: 'client_access' as const,
  // toBody reads only the chosen client's id.
  client: { id: '0b5e0f7c-2a51-4a7e-9c1b-0c1f2d3e4f50' } as unknown as ClientView,
  requester: {
    name: 'Ana Ruiz',
    organization: '',
    relationship: 'client',
    email: '',
    phone: '',
    address: '',
  },
  receivedAt: '2026-11-28T09:30',
});

describe('the new-request form body', () => {
  it('sends English unless staff choose Spanish, and the server schema accepts both', () => {
    const english = toBody(filled());
    expect(english.language).toBe('en');
    expect(createRequestSchema.parse(english).language).toBe('en');
    const spanish = toBody({ ...filled(), language: 'es' });
    expect(createRequestSchema.parse(spanish).language).toBe('es');
  });
});

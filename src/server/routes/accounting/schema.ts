// Shared bits of the accounting routes' schemas (the OpenAPI contract and the serializer).
import { z } from 'zod';

export const TAG = 'accounting';

export const clientParams = z.object({ clientId: z.uuid('must be an id (UUID)') });
export const accountingRequestParams = z.object({
  clientId: z.uuid('must be an id (UUID)'),
  id: z.uuid('must be an id (UUID)'),
});

const errorSchema = z.looseObject({ error: z.string(), message: z.string() });
export const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
};

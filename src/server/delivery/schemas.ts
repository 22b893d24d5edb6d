// The zod schemas of the packet and secure-link routes (they also make the OpenAPI document).
import { z } from 'zod';
import { CODE_DIGITS, TOKEN_PATTERN } from './codes.js';

// The staff bodies are shared with the web app (src/shared/schemas/request-extras.ts).
export {
  assemblePacketSchema,
  createLinkSchema,
  revokeLinkSchema,
} from '../../shared/schemas/request-extras.js';

const code = z
  .string()
  .trim()
  .regex(new RegExp(`^[0-9]{${CODE_DIGITS}}$`), `${CODE_DIGITS} digits`);

export const confirmLinkSchema = z.strictObject({
  code: code.describe('The confirmation code sent to the recipient'),
  phoneCode: code.optional().describe('The code read out by phone (when the link asks for it)'),
  dateOfBirth: z.iso
    .date()
    .optional()
    .describe('The client’s date of birth, YYYY-MM-DD (when the link asks for it)'),
});

export const downloadLinkSchema = z.strictObject({ grant: z.string().min(1).max(100) });

export const tokenParams = z.object({ token: z.string().regex(TOKEN_PATTERN, 'not a link token') });

// The zod schemas of the packet and secure-link routes (they also make the OpenAPI document).
import { z } from 'zod';
import { SECOND_CHANNELS } from '../db/schema-packets.js';
import { CODE_DIGITS, TOKEN_PATTERN } from './codes.js';

export const createLinkSchema = z.strictObject({
  recipientEmail: z
    .email()
    .max(320)
    .optional()
    .describe('Where the link goes; the requester’s email when absent'),
  recipientName: z.string().trim().min(1).max(300).optional(),
  secondChannel: z
    .enum(SECOND_CHANNELS)
    .optional()
    .describe(
      'REL-2: a third-party recipient also passes a phone code (the default) or the client’s date of birth',
    ),
  expiresInDays: z.number().int().min(1).max(90).optional().describe('30 when absent'),
  maxDownloads: z.number().int().min(1).max(20).optional().describe('5 when absent'),
});

export const revokeLinkSchema = z.strictObject({ reason: z.string().trim().min(1).max(1000) });

export const assemblePacketSchema = z.strictObject({
  fileIds: z
    .array(z.uuid())
    .max(500)
    .optional()
    .describe('Every record file of the request once, in packet order; upload order when absent'),
});

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

// The requester portal's status link, code and status page (issue 7): the bodies it accepts and the
// view it answers, shared by the server and the portal web app. Stages are told in plain words: the
// server answers a `PortalStage` key and each language says it its own way.
import { z } from 'zod';
import type { Stage } from '../workflow-stages.js';

export const PORTAL_LANGUAGES = ['en', 'es'] as const;
export type PortalLanguage = (typeof PORTAL_LANGUAGES)[number];

export function isPortalLanguage(value: unknown): value is PortalLanguage {
  return value === 'en' || value === 'es';
}

/** The remembered choice, else the browser's first English or Spanish preference, else English. */
export function detectLanguage(stored: string | null, preferred: readonly string[]): PortalLanguage {
  if (isPortalLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isPortalLanguage(base)) return base;
  }
  return 'en';
}

/** What a requester is told of each stage. */
export const PORTAL_STAGES = [
  'received',
  'reviewing',
  'payment',
  'preparing',
  'ready',
  'denied',
  'no_records',
  'withdrawn',
  'cancelled',
] as const;
export type PortalStage = (typeof PORTAL_STAGES)[number];

/** The five steps shown in order (the ends are told instead of the last step). */
export const PORTAL_STEPS = ['received', 'reviewing', 'payment', 'preparing', 'ready'] as const;

export const PORTAL_STAGE_OF: Readonly<Record<Stage, PortalStage>> = {
  request_made: 'received',
  client_review: 'reviewing',
  invoice: 'payment',
  preparation: 'preparing',
  released: 'ready',
  denied: 'denied',
  no_records: 'no_records',
  withdrawn: 'withdrawn',
  cancelled: 'cancelled',
};

/** A status link's token: base64url of 32 random bytes. */
export const portalTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'Not a link token.'),
});
export const portalNumberParams = z.object({ number: z.string().min(1).max(40) });

export const portalCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6 digits of the code from the email.'),
});

/** A message to the practice: plain text only (shown inert everywhere). */
export const portalMessageSchema = z.object({
  body: z
    .string()
    .trim()
    .min(1, 'Write a message first.')
    .max(4000, 'Keep the message under 4,000 characters, or send two.'),
});

export const portalLanguageSchema = z.object({ language: z.enum(PORTAL_LANGUAGES) });

const iso = z.iso.datetime();

export const portalLinkViewSchema = z.object({
  practiceName: z.string(),
  practicePhone: z.string().nullable(),
  practiceEmail: z.string().nullable(),
  /** "j•••@example.org": where the code goes. */
  maskedEmail: z.string(),
  mailDelivered: z.boolean(),
  language: z.enum(PORTAL_LANGUAGES),
});
export type PortalLinkView = z.infer<typeof portalLinkViewSchema>;

export const portalSessionViewSchema = z.object({
  requestNumber: z.string(),
  csrfToken: z.string(),
  language: z.enum(PORTAL_LANGUAGES),
});
export type PortalSessionView = z.infer<typeof portalSessionViewSchema>;

export const portalStatusSchema = z.object({
  requestNumber: z.string(),
  stage: z.enum(PORTAL_STAGES),
  receivedOn: z.iso.date(),
  /** The legal answer date (the practice's local date). */
  dueOn: z.iso.date(),
  /** TIME-2: the date was extended once; the first date is kept. */
  extended: z.boolean(),
  originalDueOn: z.iso.date().nullable(),
  endedOn: z.iso.date().nullable(),
  /** The requester is the client (else a parent, a representative or a third party: the words change). */
  requesterIsClient: z.boolean(),
  practice: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() }),
  messages: z.array(
    z.object({
      id: z.uuid(),
      fromYou: z.boolean(),
      /** The practice's name for its messages (never a staff member's private details). */
      author: z.string(),
      body: z.string(),
      at: iso,
    }),
  ),
  invoice: z
    .object({
      amountCents: z.number().int(),
      lines: z.array(z.object({ label: z.string(), amountCents: z.number().int() })),
      paidAt: iso.nullable(),
      voided: z.boolean(),
    })
    .nullable(),
  /** The invoice can be paid now, online (Stripe keys set). */
  canPayOnline: z.boolean(),
  /** The invoice can be paid now, and online payment is not set up: pay the practice directly. */
  payDirectly: z.boolean(),
  canDownloadReceipt: z.boolean(),
  /** Released records waiting for this requester: 'portal' downloads here; 'second_channel' needs the secure link's email and its second code. */
  download: z.enum(['none', 'portal', 'second_channel', 'used_up']),
});
export type PortalStatus = z.infer<typeof portalStatusSchema>;

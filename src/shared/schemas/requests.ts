// The request DTOs shared by the API and the web app.
import { z } from 'zod';
import {
  CHANNELS,
  DELIVERABLES,
  DELIVERY_FORMATS,
  DOCUMENT_CLASSES,
  OTHER_LEGAL_SUBTYPES,
  REQUEST_KINDS,
} from '../request-kinds.js';

const localDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish();

export const requesterSchema = z.object({
  name: text(200),
  organization: optionalText(200),
  relationship: optionalText(200),
  email: z.email().max(320).nullish(),
  phone: optionalText(50),
  address: optionalText(500),
});

/** rule KIND-2, AUTH-1: the named person or body the client directs the copy to. */
export const recipientSchema = z.object({
  name: text(200),
  organization: optionalText(200),
  email: z.string().trim().toLowerCase().pipe(z.email().max(320)).nullish(),
  address: optionalText(500),
});
export type RecipientInput = z.infer<typeof recipientSchema>;

export const createRequestSchema = z
  .object({
    kind: z.enum(REQUEST_KINDS),
    kindSubtype: z.enum(OTHER_LEGAL_SUBTYPES).nullish(),
    clientId: z.uuid(),
    /** Defaults to the client's assigned therapist. */
    therapistId: z.uuid().nullish(),
    requester: requesterSchema,
    /** rule KIND-2: whom the client directs the copy to (only on a client-directed request). */
    recipient: recipientSchema.nullish(),
    documentClasses: z.array(z.enum(DOCUMENT_CLASSES)).min(1).max(DOCUMENT_CLASSES.length),
    dateFrom: localDate.nullish(),
    dateTo: localDate.nullish(),
    purpose: optionalText(1000),
    deliverable: z.enum(DELIVERABLES),
    deliveryFormat: z.enum(DELIVERY_FORMATS),
    /** rule TIME-1: when the request first reached the practice, on any channel. */
    receivedAt: z.iso.datetime({ offset: true }),
    channel: z.enum(CHANNELS),
    neededBy: localDate.nullish(),
    /** rule TIME-5: the return or compliance date from a subpoena or order. */
    documentDueDate: localDate.nullish(),
    notes: optionalText(4000),
    /** Issue 7: the requester's language for the portal and the requester emails (the portal form sets it). */
    language: z.enum(['en', 'es']).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'other_legal' && !v.kindSubtype) {
      ctx.addIssue({
        code: 'custom',
        path: ['kindSubtype'],
        message: 'Choose the legal basis for this request (KIND-8).',
      });
    }
    if (v.kind !== 'other_legal' && v.kindSubtype) {
      ctx.addIssue({
        code: 'custom',
        path: ['kindSubtype'],
        message: 'Only other legal requests have a subtype.',
      });
    }
    if (v.kind !== 'client_directed' && v.recipient) {
      ctx.addIssue({
        code: 'custom',
        path: ['recipient'],
        message: 'Only a copy the client directs to someone has a recipient (KIND-2).',
      });
    }
    if ((v.kind === 'subpoena' || v.kind === 'court_order') && !v.documentDueDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['documentDueDate'],
        message: 'Enter the return or compliance date from the document (TIME-5).',
      });
    }
    if (v.dateFrom && v.dateTo && v.dateFrom > v.dateTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['dateTo'],
        message: 'The end of the date range is before its start.',
      });
    }
  });

export type CreateRequestInput = z.infer<typeof createRequestSchema>;

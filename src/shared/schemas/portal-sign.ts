// Authorization signing in the requester portal (issue 7; rules AUTH-1, AUTH-2, AUTH-7, VER-1): what
// the client is asked to sign, the body of a signature, and the answers. Shared by the server (the
// edge's validation) and the portal's sign page.
import { z } from 'zod';

/** A drawn signature: a PNG data URL from the page's canvas, bounded before anything decodes it. */
export const MAX_DRAWN_SIGNATURE_CHARS = 200_000;
/** The drawn signature's largest size in pixels (a phone canvas at 3x is well inside). */
export const MAX_DRAWN_SIGNATURE_SIDE = 2400;
export const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

/** Whether the client can sign here, and if not, why (the page says it in the requester's words). */
export const PORTAL_SIGN_STATES = [
  /** Waiting for the client's signature. */
  'to_sign',
  /** Signed here: the signed copy can be downloaded. */
  'signed',
  /** This kind of request needs no signature from the requester (KIND-1, KIND-6, KIND-4/5, KIND-7). */
  'not_needed',
  /** The client's authorization is theirs to sign, not this requester's (KIND-3: a third party asks). */
  'client_signs',
  /** The practice prepares the form itself (no recipient on file, or the request has ended). */
  'practice_prepares',
] as const;
export type PortalSignState = (typeof PORTAL_SIGN_STATES)[number];

export const portalSignSectionSchema = z.object({
  heading: z.string(),
  /** The section's words in the form's order: paragraphs, lists, and label/value rows. */
  blocks: z.array(
    z.discriminatedUnion('type', [
      z.object({ type: z.literal('paragraph'), text: z.string() }),
      z.object({ type: z.literal('list'), items: z.array(z.string()) }),
      z.object({
        type: z.literal('fields'),
        rows: z.array(z.object({ label: z.string(), value: z.string() })),
      }),
    ]),
  ),
});
export type PortalSignSection = z.infer<typeof portalSignSectionSchema>;

export const portalSignViewSchema = z.object({
  state: z.enum(PORTAL_SIGN_STATES),
  /** The form's title and sections as structured text (the exact words of the PDF). */
  title: z.string().nullable(),
  sections: z.array(portalSignSectionSchema),
  /**
   * The form's language: the request's (a request made in Spanish signs a form written in Spanish).
   * The page marks the form's words with it, and adds a summary only under an English form on a page
   * read in another language.
   */
  formLanguage: z.enum(['en', 'es']),
  /** SHA-256 (hex) of the exact PDF bytes at `pdfUrl`: send it back when signing. */
  sha256: z.string().nullable(),
  pdfUrl: z.string().nullable(),
  /** The client's name as the practice has it (the signer). */
  signerName: z.string().nullable(),
  signed: z
    .object({
      signedAt: z.iso.datetime(),
      signerName: z.string(),
      formSha256: z.string(),
      downloadUrl: z.string(),
    })
    .nullable(),
});
export type PortalSignView = z.infer<typeof portalSignViewSchema>;

const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'The form’s fingerprint (SHA-256, 64 hexadecimal characters) is missing.');

/** rule AUTH-1: a signature is the client's typed full name, or their drawn mark. */
export const portalSignatureSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('typed'),
    typedName: z
      .string()
      .trim()
      .min(2, 'Type your full name to sign.')
      .max(200, 'That name is too long (200 characters at most).'),
  }),
  z.object({
    method: z.literal('drawn'),
    image: z
      .string()
      .max(
        MAX_DRAWN_SIGNATURE_CHARS,
        'The drawn signature is too large. Clear it and sign again, or type your name instead.',
      )
      .startsWith(PNG_DATA_URL_PREFIX, 'The drawn signature must be a PNG image. Type your name instead.'),
  }),
]);
export type PortalSignature = z.infer<typeof portalSignatureSchema>;

/** Only the hash seen, the signature and the consents: date, time and IP come from the server. */
export const portalSignBodySchema = z.strictObject({
  sha256: sha256Hex,
  signature: portalSignatureSchema,
  consent: z.strictObject({
    /** I read the form and want these records shared as it says. */
    readAndAgree: z.literal(true, 'Tick the box to say you read the form and agree.'),
    /** I agree to sign electronically, and that this is my signature. */
    electronicSignature: z.literal(true, 'Tick the box to agree to sign electronically.'),
  }),
});
export type PortalSignBody = z.infer<typeof portalSignBodySchema>;

export const portalSignedSchema = z.object({
  signedAt: z.iso.datetime(),
  signerName: z.string(),
  formSha256: z.string(),
  signedSha256: z.string(),
  downloadUrl: z.string(),
});
export type PortalSigned = z.infer<typeof portalSignedSchema>;

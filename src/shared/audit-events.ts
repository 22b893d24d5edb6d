// The typed list of audit events (rule SEC-3). Every change, view of health information, download,
// failed login and refused access is one of these.
import { z } from 'zod';

export const AUDIT_EVENT_TYPES = [
  // accounts and access
  'auth.login_succeeded',
  'auth.login_failed',
  'auth.locked_out',
  'auth.mfa_succeeded',
  'auth.mfa_failed',
  'auth.mfa_enrolled',
  'auth.recovery_code_used',
  'auth.logout',
  'auth.session_expired',
  'access.refused',
  'access.break_glass',
  // administration
  'practice.created',
  'practice.updated',
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.sign_in_link_created',
  'supervision.linked',
  'supervision.unlinked',
  'audit.viewed',
  // clients
  'client.created',
  'client.updated',
  'client.viewed',
  'client.listed',
  // requests and the workflow
  'request.created',
  'request.viewed',
  'request.listed',
  'request.intake_completed',
  'request.client_discussion_submitted',
  'request.client_discussion_attempted',
  'request.supervisor_review_submitted',
  'request.review_escalated',
  'request.invoice_recorded',
  'request.payment_recorded',
  'request.preparation_submitted',
  'request.preparation_approved',
  'request.changes_requested',
  'request.released',
  'request.denied',
  'request.no_records',
  'request.withdrawn',
  'request.cancelled',
  'request.reopened',
  'request.received_at_changed',
  'task.waiting_on_requester',
  'task.resumed',
  'task.reassigned',
  'thread.message_posted',
  'file.uploaded',
  'file.downloaded',
  'file.integrity_failed',
  /** The same file (SHA-256) uploaded again for the same purpose: answered with the one already there. */
  'file.upload_duplicate',
  'disclosure.recorded',
  // packets and secure delivery links (REL-2, REL-5, SCOPE-1, PART2-1, AUTH-5)
  'packet.assembly_requested',
  'packet.assembled',
  'packet.assembly_blocked',
  'packet.source_read',
  'packet.released',
  /** rule REL-1: the address sheet of a packet going by mail was printed. */
  'packet.address_sheet_printed',
  'packet.superseded',
  'delivery_link.created',
  'delivery_link.opened',
  'delivery_link.code_accepted',
  'delivery_link.code_rejected',
  'delivery_link.locked',
  'delivery_link.refused',
  'delivery_link.downloaded',
  'delivery_link.revoked',
  // the disclosure log and the accounting of disclosures (REL-3, REL-4, TIME-4, FEE-7)
  'disclosure.impermissible_recorded',
  'disclosure.listed',
  'accounting.requested',
  'accounting.extended',
  'accounting.viewed',
  'accounting.fulfilled',
  'accounting.suspension_recorded',
  'accounting.suspensions_listed',
  'accounting.requests_listed',
  'request.preparation_changes_requested',
  'request.no_records_recorded',
  'request.denial_review_reopened',
  'request.red_flag_added',
  'request.merged',
  // authorizations, verification and exceptions (AUTH-1…AUTH-5, VER-1, REP-1)
  'authorization.recorded',
  'authorization.revoked',
  'authorization.listed',
  // the practice's own authorization form and the signer's copy (AUTH-7)
  'authorization.form_prepared',
  'authorization.signer_copy_recorded',
  'verification.recorded',
  'privacy.exception_approved',
  // the two clocks and the escalation ladder (TIME-2, TIME-6)
  'request.deadline_extended',
  'request.legal_due_notice',
  'task.escalated',
  'practice.holidays_updated',
  // rule packs and fees (TIME-3, FEE-3)
  'rule_pack.version_added',
  'request.fee_quoted',
  'request.fee_quote_accepted',
  // legal process (LEGAL-2): a subpoena's satisfactory assurance and how privilege was addressed
  'privacy.assurance_recorded',
  'privacy.privilege_recorded',
  // the per-request email thread (issue 5): delivery, receipt, triage, the outbox's codes
  'mail.sent',
  'mail.failed',
  'mail.received',
  'mail.triage_viewed',
  'mail.triage_resolved',
  'mail.outbox_code_read',
  /** An admin changed the emails' words (issue 5): the template keys changed, never the words. */
  'mail.templates_changed',
  /** `keys rotate` finished (SEC-4): one row per practice, with counts and the new key's fingerprint only. */
  'keys.rotated',
  // prepared documents: letters, reports and verbal-discussion notes (issue 6, procedure step 4);
  // ids, kinds and version numbers only, never the words (they are health information)
  'draft.created',
  'draft.viewed',
  'draft.version_saved',
  'draft.version_submitted',
  'draft.commented',
  'draft.version_approved',
  'draft.changes_requested',
  'draft.previewed',
  /** An admin added or changed one of the practice's own templates (its name and kind only). */
  'draft.template_saved',
  // payments of a release's invoice (issue 7, FEE-4): Stripe Checkout, its webhook, refunds, voids, receipts
  'payment.checkout_started',
  'payment.checkout_expired',
  /** Stripe reported a payment that does not settle the invoice (amount, already paid, voided): for support. */
  'payment.discrepancy_recorded',
  'payment.refund_recorded',
  'payment.invoice_voided',
  'payment.receipt_downloaded',
  /** A webhook whose signature is missing, forged or too old: refused, recorded without its payload. */
  'payment.webhook_refused',
  'payment.webhook_replayed',
  /** A refund Stripe reported before the payment it belongs to: kept and applied when the payment arrives. */
  'payment.webhook_deferred',
  // the public request form at /request (issue 7): codes, abuse refusals and submissions, with no staff actor
  /** A verification code was emailed (never the code or the address). */
  'portal_intake.code_sent',
  /** A wrong, expired, used or locked code at submission (the code's tries counted). */
  'portal_intake.code_rejected',
  /** A refusal before any code check: honeypot, proof of work, rate limit (never an unmatched client). */
  'portal_intake.refused',
  /** A request made through the form: its number, kind and files (and whether its client was matched). */
  'portal_intake.submitted',
  /** Support named the real client of a request the form could not match (the provisional client kept). */
  'request.client_matched',
  // the requester portal's access and status page (issue 7): no staff actor; the requester's address in data
  'portal.link_opened',
  /** A status link with a wrong, expired or locked token, or a portal call with no or another request's session. */
  'portal.refused',
  'portal.code_sent',
  'portal.code_accepted',
  'portal.code_rejected',
  'portal.link_locked',
  'portal.session_ended',
  'portal.status_viewed',
  'portal.message_sent',
  'portal.records_downloaded',
  // authorization signing in the portal (issue 7; AUTH-7): no staff actor, the requester's address in data
  /** The form to sign was read (its SHA-256), on the page or as the PDF. */
  'portal.authorization_viewed',
  /** The client signed the form: the files, both hashes and the method (typed or drawn). */
  'portal.authorization_signed',
  /** The signer's copy was downloaded from the portal. */
  'portal.signed_copy_downloaded',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const auditEventSchema = z.object({
  type: z.enum(AUDIT_EVENT_TYPES),
  requestId: z.uuid().nullish(),
  clientId: z.uuid().nullish(),
  /** Never secrets (passwords, tokens, codes): rule SEC-5. */
  data: z.record(z.string(), z.unknown()).default({}),
});

export type AuditEvent = z.input<typeof auditEventSchema>;

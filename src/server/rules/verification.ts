// rule VER-1: identity (and a representative's or third party's authority) is verified by
// reasonable means, and verification must not become a barrier: no notarization, no in-person visit
// and no proprietary app may be required of a client. The method is free text, so the check is a
// short list of phrases that say such a thing was required; each carries the reason shown to staff.
import { isAccessKind, type RequestKind } from '../../shared/request-kinds.js';

export interface Barrier {
  barrier: 'notarization' | 'in_person_visit' | 'proprietary_app';
  pattern: RegExp;
  why: string;
}

export const VERIFICATION_BARRIERS: readonly Barrier[] = [
  {
    barrier: 'notarization',
    // "notarized form", "notarised", "notary", "notarization"
    pattern: /\bnotar(?:y|i[sz]ed|i[sz]ation|i[sz]e)\b/i,
    why: 'A client may not be required to have a form notarized.',
  },
  {
    barrier: 'in_person_visit',
    // "in-person visit", "must come in", "visit the office", "appear in person", "in person only"
    pattern:
      /\b(?:in[\s-]person\s+(?:visit|only|required|appointment)|(?:must|has to|have to|needs? to|required to)\s+(?:come\s+in|visit|appear)|appear\s+in\s+person|visit\s+(?:the|our)\s+(?:office|clinic|practice))\b/i,
    why: 'A client may not be required to come to the office to prove who they are when a remote check is practicable.',
  },
  {
    barrier: 'proprietary_app',
    // "proprietary app", "download our app", "through our app", "install the app", "app only"
    pattern:
      /\b(?:proprietary\s+app|(?:download|install|use|through|via|in)\s+(?:our|the)\s+(?:mobile\s+)?app|app\s+only|mobile\s+app)\b/i,
    why: 'A client may not be required to use a particular app.',
  },
];

/**
 * Does the check apply? To the client's own requests (KIND-1, KIND-2) whatever is verified, and to
 * the identity of a representative who stands in the client's shoes (KIND-6). A representative's
 * proof of authority (a court order, a power of attorney) may well carry a notary's seal.
 */
export function barrierCheckApplies(kind: RequestKind, subject: 'identity' | 'authority'): boolean {
  return isAccessKind(kind) && (subject === 'identity' || kind !== 'representative');
}

/** The barriers a verification method names (empty when it is a reasonable means). */
export function barriersIn(method: string): Barrier[] {
  return VERIFICATION_BARRIERS.filter((b) => b.pattern.test(method));
}

/** The 400 message for a method that is a barrier, naming VER-1. */
export function barrierMessage(found: readonly Barrier[]): string {
  return `This verification method is a barrier for a client (VER-1): ${found.map((b) => b.why).join(' ')} Use a reasonable remote means, such as a call back to the number on file or a photo ID sent through a secure upload.`;
}

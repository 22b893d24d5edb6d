// The shapes of the compliance, packet and delivery answers (the response schemas of
// src/server/routes/requests/{authorizations,legal,fees,clocks}.ts, routes/packets and
// routes/links/staff.ts). Where src/shared already has the view schema, its type is reused.
import type {
  AuthorizationFormView,
  AuthorizationView,
  ComplianceAbility,
  ExceptionView,
  ReleaseBlocker,
  VerificationView,
} from '../../shared/schemas/authorizations';
import type { LegalRecordView } from '../../shared/schemas/legal';
import type { RequestDetails } from './types';

export type {
  AuthorizationFormView,
  AuthorizationView,
  ComplianceAbility,
  ExceptionView,
  LegalRecordView,
  ReleaseBlocker,
  VerificationView,
};

/** rule TIME-3: the rules a request is decided under (presenters/rules.ts, rulesViewSchema). */
export interface RulesView {
  accessDeadlineDays: number | null;
  accessExtension: { days: number; count: number; source: string; verified: boolean } | null;
  fees: {
    regime: 'access' | 'third_party' | 'none';
    allowedComponents: string[] | null;
    flatElectronicCapCents: { value: number } | null;
    perPageCapCents: { value: number } | null;
  };
  warnings: { rule: string; message: string }[];
}

/** rule FEE-3: a fee quote (presenters/rules.ts, feeQuoteViewSchema). */
export interface FeeQuoteView {
  id: string;
  basis: string;
  lines: { code: string; description: string; quantity?: number; unitCents?: number; amountCents: number }[];
  totalCents: number;
  quotedAt: string;
  acceptedAt: string | null;
}

/** What the request details carry beyond types.ts's RequestDetails (the server's requestDetailsSchema). */
export interface ComplianceDetails {
  authorizations: AuthorizationView[];
  verifications: VerificationView[];
  /** AUTH-4's exceptions, and a subpoena's LEGAL-2 records (kinds 'satisfactory_assurance', 'privilege_addressed'). */
  exceptions: ExceptionView[];
  complianceAbilities: ComplianceAbility[];
  rules?: RulesView;
  approvedScope: Record<string, unknown> | null;
  clocks: RequestDetails['clocks'] & {
    legal: RequestDetails['clocks']['legal'] & {
      extended: { from: string; fromDue: string; reason: string; at: string } | null;
    };
  };
}

export type FullRequest = Omit<RequestDetails, 'clocks'> & ComplianceDetails;

/** The request details with the compliance part typed (the server always sends it). */
export function full(request: RequestDetails): FullRequest {
  return request as unknown as FullRequest;
}

export type PacketStatus = 'queued' | 'ready' | 'blocked' | 'superseded' | 'released';

/** rule REL-5: one version of the packet (routes/packets/index.ts, packetView). */
export interface PacketView {
  id: string;
  requestId: string;
  version: number;
  status: PacketStatus;
  sourceFileIds: string[];
  fileId: string | null;
  sha256: string | null;
  pageCount: number | null;
  size: number | null;
  part2: boolean;
  problem: string | null;
  requestedBy: { id: string; name: string };
  requestedAt: string;
  assembledAt: string | null;
  releasedAt: string | null;
}

export type PacketAbility = 'assemble_packet' | 'download_packet' | 'send_link' | 'revoke_link';

export interface PacketList {
  packets: PacketView[];
  abilities: PacketAbility[];
}

export type SecondChannel = 'none' | 'phone_code' | 'date_of_birth';
export type LinkState = 'active' | 'expired' | 'revoked' | 'locked' | 'used_up';

/** rule REL-2: a secure link as staff see it (routes/links/staff.ts, linkView): never the token. */
export interface LinkView {
  id: string;
  packetId: string;
  packetVersion: number;
  recipientName: string;
  recipientEmail: string;
  secondChannel: SecondChannel;
  state: LinkState;
  attempts: number;
  downloads: number;
  maxDownloads: number;
  expiresAt: string;
  lockedAt: string | null;
  revokedAt: string | null;
  revokedBy: { id: string; name: string } | null;
  revokeReason: string | null;
  authorizationId: string | null;
  createdBy: { id: string; name: string };
  createdAt: string;
}

/** POST …/packets/:packetId/links: the phone code is in this answer only, once. */
export interface CreatedLink {
  link: LinkView;
  phoneCode: string | null;
}

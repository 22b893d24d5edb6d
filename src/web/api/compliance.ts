// Query hooks for the compliance records, fees, packets and secure links of a request. Every write
// refreshes the request page (its release blockers, red flags and abilities may change with it).
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, post } from './client';
import type {
  AuthorizationFormView,
  CreatedLink,
  FeeQuoteView,
  LinkView,
  PacketList,
  RulesView,
} from './compliance-types';
import { keys } from './hooks';

const base = (requestId: string) => `/api/requests/${encodeURIComponent(requestId)}`;

export const complianceKeys = {
  rules: (requestId: string) => ['request', requestId, 'rules'] as const,
  packets: (requestId: string) => ['request', requestId, 'packets'] as const,
  links: (requestId: string) => ['request', requestId, 'links'] as const,
};

const retry = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

/** After a write: the request page and everything hanging under it ('request', id, …) refresh. */
function refreshRequest(qc: QueryClient, requestId: string) {
  void qc.invalidateQueries({ queryKey: keys.request(requestId) });
  void qc.invalidateQueries({ queryKey: keys.myTasks });
  void qc.invalidateQueries({ queryKey: keys.allRequests });
}

/**
 * A compliance write (POST /api/requests/:id/<path>) that answers a record, not the request:
 * authorizations, revocations, the signer's copy, exceptions, LEGAL-2 records, fee quotes.
 */
export function useComplianceWrite<T = unknown>(requestId: string, path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => post<T>(`${base(requestId)}/${path}`, body),
    onSuccess: () => refreshRequest(qc, requestId),
  });
}

/** rule AUTH-7: prepare the practice's plain-language form (a PDF stored on the request). */
export function usePrepareAuthorizationForm(requestId: string) {
  return useComplianceWrite<AuthorizationFormView>(requestId, 'authorization-form');
}

/** rule TIME-3, FEE-3: the rules the request is decided under, and its fee quotes (newest first). */
export function useRules(requestId: string, enabled = true) {
  return useQuery({
    queryKey: complianceKeys.rules(requestId),
    queryFn: () => get<{ rules: RulesView; feeQuotes: FeeQuoteView[] }>(`${base(requestId)}/rules`),
    enabled,
    retry,
  });
}

/**
 * rule REL-5: the packets, newest version first. While a version is being assembled (a job), the list
 * asks again every two seconds, and stops as soon as nothing is queued.
 */
export function usePackets(requestId: string) {
  return useQuery({
    queryKey: complianceKeys.packets(requestId),
    queryFn: () => get<PacketList>(`${base(requestId)}/packets`),
    refetchInterval: (q) => (q.state.data?.packets.some((p) => p.status === 'queued') ? 2000 : false),
    retry,
  });
}

/** rule REL-2: the secure links with their state and counters (never the token or a code). */
export function useLinks(requestId: string) {
  return useQuery({
    queryKey: complianceKeys.links(requestId),
    queryFn: async () => (await get<{ links: LinkView[] }>(`${base(requestId)}/links`)).links,
    retry,
  });
}

export function useAssemblePacket(requestId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { fileIds?: string[] }) => post(`${base(requestId)}/packets`, body),
    onSuccess: () => refreshRequest(qc, requestId),
  });
}

export function useCreateLink(requestId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ packetId, body }: { packetId: string; body: unknown }) =>
      post<CreatedLink>(`${base(requestId)}/packets/${encodeURIComponent(packetId)}/links`, body),
    onSuccess: () => refreshRequest(qc, requestId),
  });
}

export function useRevokeLink(requestId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ linkId, reason }: { linkId: string; reason: string }) =>
      post<LinkView>(`${base(requestId)}/links/${encodeURIComponent(linkId)}/revoke`, { reason }),
    onSuccess: () => refreshRequest(qc, requestId),
  });
}

export const packetFileUrl = (requestId: string, packetId: string) =>
  `${base(requestId)}/packets/${encodeURIComponent(packetId)}/file`;

export const fileUrl = (requestId: string, fileId: string) =>
  `${base(requestId)}/files/${encodeURIComponent(fileId)}`;

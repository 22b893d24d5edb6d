// Query hooks for a request's letters, reports and verbal-discussion notes (issue 6, procedure step 4).
// Every write refreshes the request page under ('request', id, …): its abilities, its files (an
// approved letter becomes one) and what the approval still waits for.
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DraftsListView, DraftView } from '../../shared/schemas/drafts';
import { ApiError, get, post } from './client';
import { keys } from './hooks';

const base = (requestId: string) => `/api/requests/${encodeURIComponent(requestId)}/drafts`;
const versionBase = (requestId: string, draftId: string, versionId: string) =>
  `${base(requestId)}/${encodeURIComponent(draftId)}/versions/${encodeURIComponent(versionId)}`;

export const draftKeys = {
  list: (requestId: string) => ['request', requestId, 'drafts'] as const,
};

const retry = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

function refresh(qc: QueryClient, requestId: string) {
  void qc.invalidateQueries({ queryKey: keys.request(requestId) });
  void qc.invalidateQueries({ queryKey: keys.myTasks });
}

export function useDrafts(requestId: string) {
  return useQuery({
    queryKey: draftKeys.list(requestId),
    queryFn: () => get<DraftsListView>(base(requestId)),
    retry,
  });
}

export function useCreateDraft(requestId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => post<DraftView>(base(requestId), body),
    onSuccess: () => refresh(qc, requestId),
  });
}

export function useSaveDraftVersion(requestId: string, draftId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) =>
      post<DraftView>(`${base(requestId)}/${encodeURIComponent(draftId)}/versions`, body),
    onSuccess: () => refresh(qc, requestId),
  });
}

export type VersionAction = 'submit' | 'comments' | 'approval' | 'changes';

/** Send, comment, approve or ask for changes on one version. */
export function useVersionAction(
  requestId: string,
  draftId: string,
  versionId: string,
  action: VersionAction,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) =>
      post<DraftView>(`${versionBase(requestId, draftId, versionId)}/${action}`, body),
    onSuccess: () => refresh(qc, requestId),
  });
}

/** The approved PDF (the stored file) or a preview, through the audited read path. */
export const draftPdfUrl = (requestId: string, draftId: string, versionId: string) =>
  `${versionBase(requestId, draftId, versionId)}/pdf`;

// Mail (issue 5): the delivery status (the banner), the outbox, reading a code out by phone, the
// triage queue and its two resolutions, and a request's delivery states.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, get, post } from './client';

export interface MailStatus {
  delivering: boolean;
  smtp: string | null;
  from: string;
  receiving: { smtpPort: number | null; imap: string | null };
  outbox: number;
  undelivered: number;
  failed: number;
  triage: number;
}

export interface OutboxEmail {
  id: string;
  requestId: string;
  requestNumber: string;
  thread: string;
  kind: string;
  messageId: string;
  recipients: string[];
  subject: string;
  text: string | null;
  carriesCode: boolean;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  status: string;
  label: string;
}

export interface TriageEmail {
  id: string;
  from: string | null;
  fromName: string | null;
  subject: string;
  reason: string | null;
  via: string;
  requestId: string | null;
  requestNumber: string | null;
  thread: string | null;
  receivedAt: string;
  size: number;
}

export interface TriageDetail {
  id: string;
  from: string | null;
  subject: string;
  reason: string | null;
  status: string;
  text: string;
  attachments: { name: string; size: number }[];
}

export interface RequestEmail {
  id: string;
  threadMessageId: string | null;
  thread: string;
  kind: string;
  status: string;
  label: string;
  attempts: number;
  sentAt: string | null;
}

export const mailKeys = {
  status: ['mail', 'status'] as const,
  outbox: (status?: string) => ['mail', 'outbox', status ?? 'all'] as const,
  triage: ['mail', 'triage'] as const,
  triageItem: (id: string) => ['mail', 'triage', id] as const,
  request: (requestId: string) => ['request', requestId, 'mail'] as const,
  templates: ['mail', 'templates'] as const,
};

const retry = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

export function useMailStatus() {
  return useQuery({
    queryKey: mailKeys.status,
    queryFn: () => get<MailStatus>('/api/mail/status'),
    staleTime: 60_000,
    retry,
  });
}

export function useOutbox(status?: string) {
  return useQuery({
    queryKey: mailKeys.outbox(status),
    queryFn: async () =>
      (await get<{ emails: OutboxEmail[] }>(`/api/mail/outbox${status ? `?status=${status}` : ''}`)).emails,
    retry,
  });
}

export function useReadCode() {
  return useMutation({
    mutationFn: (id: string) =>
      post<{ id: string; recipients: string[]; text: string }>(`/api/mail/outbox/${id}/read-code`),
  });
}

export function useTriage() {
  return useQuery({
    queryKey: mailKeys.triage,
    queryFn: async () => (await get<{ emails: TriageEmail[] }>('/api/mail/triage')).emails,
    retry,
  });
}

export function useTriageItem(id: string | null) {
  return useQuery({
    queryKey: mailKeys.triageItem(id ?? ''),
    queryFn: () => get<TriageDetail>(`/api/mail/triage/${id}`),
    enabled: Boolean(id),
    staleTime: Number.POSITIVE_INFINITY,
    retry,
  });
}

export function useResolveTriage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (
      input:
        | { id: string; action: 'attach'; requestId: string; thread: 'internal' | 'requester' }
        | { id: string; action: 'dismiss'; reason: string },
    ) =>
      input.action === 'attach'
        ? post(`/api/mail/triage/${input.id}/attach`, { requestId: input.requestId, thread: input.thread })
        : post(`/api/mail/triage/${input.id}/dismiss`, { reason: input.reason }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['mail'] });
      void qc.invalidateQueries({ queryKey: ['request'] });
    },
  });
}

/** The delivery state of each emailed message of a request (for the request page's threads). */
export function useRequestMail(requestId: string) {
  return useQuery({
    queryKey: mailKeys.request(requestId),
    queryFn: async () => (await get<{ emails: RequestEmail[] }>(`/api/requests/${requestId}/mail`)).emails,
    retry,
  });
}

// Email templates (admin): the practice's own words for the instructions email and the requester
// notices, and a preview on a sample request (no client data).
export interface MailTemplateText {
  subject: string;
  text: string;
}

export interface MailTemplate {
  key: string;
  label: string;
  placeholders: string[];
  default: MailTemplateText;
  custom: MailTemplateText | null;
}

export function useMailTemplates() {
  return useQuery({
    queryKey: mailKeys.templates,
    queryFn: async () => (await get<{ templates: MailTemplate[] }>('/api/mail/templates')).templates,
    retry,
  });
}

export function useSaveMailTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { key: string; template: MailTemplateText | null }) =>
      api<{ templates: MailTemplate[] }>('PUT', '/api/mail/templates', { [input.key]: input.template }),
    onSuccess: (data) => qc.setQueryData(mailKeys.templates, data.templates),
  });
}

export function usePreviewMailTemplate() {
  return useMutation({
    mutationFn: (input: { key: string; subject: string; text: string }) =>
      post<{ subject: string; text: string; sample: true }>('/api/mail/templates/preview', input),
  });
}

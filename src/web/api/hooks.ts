// React Query hooks over the API client: one key per resource, so a workflow action refreshes the
// request page, the list and "My tasks" at once.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, get, post, query, upload } from './client';
import type {
  AccountingRequestItem,
  AuditEventView,
  ClientList,
  DisclosureView,
  FileList,
  FileView,
  Instance,
  Me,
  MyTask,
  Person,
  PracticeView,
  RequestDetails,
  RequestList,
  RulePacks,
  RulePackView,
  SignInLink,
  SuperviseeTask,
  SupervisionLink,
  UserView,
} from './types';

export const keys = {
  instance: ['instance'] as const,
  me: ['me'] as const,
  myTasks: ['my-tasks'] as const,
  board: ['my-tasks', 'supervisees'] as const,
  supervisor: ['my-supervisor'] as const,
  requests: (filters: RequestFilters) => ['requests', filters] as const,
  allRequests: ['requests'] as const,
  request: (id: string) => ['request', id] as const,
  files: (requestId: string) => ['request', requestId, 'files'] as const,
  practice: ['practice'] as const,
  clients: (q: string) => ['clients', q] as const,
  users: ['users'] as const,
  supervision: ['supervision-links'] as const,
  rulePacks: ['rule-packs'] as const,
  audit: (filters: AuditFilters) => ['audit-events', filters] as const,
  disclosures: (clientId: string) => ['disclosures', clientId] as const,
  accounting: (state: 'open' | 'all') => ['accounting-requests', state] as const,
};

/** Retry a failed read once, unless the server said no (4xx): asking again would not help. */
const retry = (count: number, error: Error) =>
  count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500);

export function useInstance() {
  return useQuery({
    queryKey: keys.instance,
    queryFn: () => get<Instance>('/api/instance'),
    staleTime: Number.POSITIVE_INFINITY,
    retry,
  });
}

/** Who is signed in; a 401 means nobody (the sign-in page shows). */
export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: async () => {
      try {
        return await get<Me>('/api/me', { signInCall: true });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
    retry,
  });
}

export function useMyTasks() {
  return useQuery({
    queryKey: keys.myTasks,
    queryFn: async () => (await get<{ tasks: MyTask[] }>('/api/me/tasks')).tasks,
    // No polling: every request keeps the session alive, and the idle timeout (SEC-4) must bite when
    // nobody is there. The list refreshes on focus, on navigation and after each action.
    retry,
  });
}

/** The supervisor's board: the open tasks of the people they supervise (refreshed with My tasks). */
export function useSuperviseeTasks(enabled: boolean) {
  return useQuery({
    queryKey: keys.board,
    queryFn: async () => (await get<{ tasks: SuperviseeTask[] }>('/api/me/supervisees/tasks')).tasks,
    enabled,
    retry,
  });
}

export function useMySupervisor(enabled: boolean) {
  return useQuery({
    queryKey: keys.supervisor,
    queryFn: async () => (await get<{ supervisor: Person | null }>('/api/me/supervisor')).supervisor,
    staleTime: 10 * 60_000,
    enabled,
    retry,
  });
}

export interface RequestFilters {
  stage?: string[];
  kind?: string[];
  overdue?: boolean;
  therapistId?: string;
  escalated?: boolean;
  awaitingPayment?: boolean;
  q?: string;
  sort?: 'legal_due' | 'received' | 'number';
  limit?: number;
}

export function useRequests(filters: RequestFilters, enabled = true) {
  return useQuery({
    queryKey: keys.requests(filters),
    queryFn: () => get<RequestList>(`/api/requests${query({ ...filters })}`),
    placeholderData: keepPreviousData,
    enabled,
    retry,
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: keys.request(id),
    queryFn: () => get<RequestDetails>(`/api/requests/${encodeURIComponent(id)}`),
    retry,
  });
}

export function useClients(q: string, enabled = true) {
  return useQuery({
    queryKey: keys.clients(q),
    queryFn: () => get<ClientList>(`/api/clients${query({ q: q.trim(), limit: 20 })}`),
    placeholderData: keepPreviousData,
    enabled,
    retry,
  });
}

/** The practice's active staff, names and roles (GET /api/staff), e.g. the therapists a request can go to. */
export function useStaff(role: 'therapist' | 'supervisor' | 'support' | null, enabled = true) {
  return useQuery({
    queryKey: ['staff', role ?? 'all'],
    queryFn: () =>
      get<{ staff: { id: string; name: string; roles: string[] }[] }>(
        `/api/staff${query({ role: role ?? '' })}`,
      ),
    staleTime: 60_000,
    enabled,
    retry,
  });
}

/**
 * A workflow action on a request (POST /api/requests/:id/<path>). The answer is the request as the
 * caller now sees it: it replaces the cached page, and the lists refresh.
 */
export function useRequestAction(requestId: string, path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) =>
      post<RequestDetails>(`/api/requests/${encodeURIComponent(requestId)}/${path}`, body),
    onSuccess: (details) => {
      qc.setQueryData(keys.request(requestId), details);
      void qc.invalidateQueries({ queryKey: keys.myTasks });
      void qc.invalidateQueries({ queryKey: keys.allRequests });
    },
  });
}

export function useCreateRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => post<RequestDetails>('/api/requests', body),
    onSuccess: (details) => {
      qc.setQueryData(keys.request(details.id), details);
      void qc.invalidateQueries({ queryKey: keys.myTasks });
      void qc.invalidateQueries({ queryKey: keys.allRequests });
    },
  });
}

/** The files of a request: the uploads, and the letters and packets Release Desk wrote. */
export function useRequestFiles(requestId: string) {
  return useQuery({
    queryKey: keys.files(requestId),
    queryFn: () => get<FileList>(`/api/requests/${encodeURIComponent(requestId)}/files`),
    retry,
  });
}

/** Add a file (multipart); the request page refreshes too (its blockers may change). */
export function useUploadFile(requestId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (form: FormData) =>
      upload<FileView>(`/api/requests/${encodeURIComponent(requestId)}/files`, form),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.request(requestId) });
    },
  });
}

/** The practice and its settings (the important notices among them). */
export function usePractice() {
  return useQuery({
    queryKey: keys.practice,
    queryFn: async () => (await get<{ practice: PracticeView }>('/api/practice')).practice,
    staleTime: 5 * 60_000,
    retry,
  });
}

/** An admin's change to the practice settings (PATCH /api/practice). */
export function useUpdatePractice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: unknown) =>
      (await api<{ practice: PracticeView }>('PATCH', '/api/practice', body)).practice,
    onSuccess: (practice) => {
      qc.setQueryData(keys.practice, practice);
    },
  });
}

// Administration (admin): staff accounts, supervision links, rule packs.

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: keys.users,
    queryFn: async () => (await get<{ users: UserView[] }>('/api/users')).users,
    enabled,
    retry,
  });
}

/** Add a staff member: the answer carries the one-time sign-in link to hand over. */
export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; name: string; roles: string[] }) =>
      post<{ user: UserView; signInLink: SignInLink }>('/api/users', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.users }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; name?: string; roles?: string[] }) =>
      api<{ user: UserView }>('PATCH', `/api/users/${encodeURIComponent(id)}`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.users }),
  });
}

export function useDeactivateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      post<{ user: UserView; sessionsEnded: number; tasksReassigned: number }>(
        `/api/users/${encodeURIComponent(id)}/deactivate`,
      ),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.users });
      void qc.invalidateQueries({ queryKey: keys.supervision });
    },
  });
}

export function useNewSignInLink() {
  return useMutation({
    mutationFn: (id: string) =>
      post<{ signInLink: SignInLink }>(`/api/users/${encodeURIComponent(id)}/sign-in-link`),
  });
}

export function useSupervisionLinks(enabled = true) {
  return useQuery({
    queryKey: keys.supervision,
    queryFn: async () => (await get<{ links: SupervisionLink[] }>('/api/supervision-links')).links,
    enabled,
    retry,
  });
}

export function useLinkSupervisor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { superviseeId: string; supervisorId: string }) =>
      post<{ links: SupervisionLink[] }>('/api/supervision-links', body),
    onSuccess: (answer) => {
      qc.setQueryData(keys.supervision, answer.links);
      void qc.invalidateQueries({ queryKey: keys.users });
    },
  });
}

export function useUnlinkSupervisor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (superviseeId: string) =>
      api<{ links: SupervisionLink[] }>(
        'DELETE',
        `/api/supervision-links/${encodeURIComponent(superviseeId)}`,
      ),
    onSuccess: (answer) => {
      qc.setQueryData(keys.supervision, answer.links);
      void qc.invalidateQueries({ queryKey: keys.users });
    },
  });
}

export function useRulePacks() {
  return useQuery({
    queryKey: keys.rulePacks,
    queryFn: () => get<RulePacks>('/api/rule-packs'),
    retry,
  });
}

export function useAddRulePackVersion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => post<{ pack: RulePackView }>('/api/rule-packs', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.rulePacks }),
  });
}

// The privacy officer: the audit log, a client's disclosure log, the accounting requests.

export interface AuditFilters {
  type?: string;
  requestId?: string;
  clientId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export function useAuditEvents(filters: AuditFilters) {
  return useQuery({
    queryKey: keys.audit(filters),
    queryFn: () =>
      get<{ events: AuditEventView[]; nextBefore: number | null }>(
        `/api/audit-events${query({ ...filters })}`,
      ),
    placeholderData: keepPreviousData,
    retry,
  });
}

export function useDisclosures(clientId: string | null) {
  return useQuery({
    queryKey: keys.disclosures(clientId ?? ''),
    queryFn: async () =>
      (
        await get<{ disclosures: DisclosureView[] }>(
          `/api/clients/${encodeURIComponent(clientId ?? '')}/disclosures`,
        )
      ).disclosures,
    enabled: clientId !== null,
    retry,
  });
}

export function useAccountingRequests(state: 'open' | 'all', enabled = true) {
  return useQuery({
    queryKey: keys.accounting(state),
    queryFn: async () =>
      (await get<{ requests: AccountingRequestItem[] }>(`/api/accounting-requests${query({ state })}`))
        .requests,
    enabled,
    retry,
  });
}

// Hooks for a request's payment (issue 7): the payment view (invoice lines, paid or not, refunds, a
// void, online payment pages, discrepancies) and support's actions on it. Every write refreshes the
// request page too (its invoice changes).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PaymentSessionStatus, RefundSource } from '../../shared/schemas/payments';
import { ApiError, get, post } from './client';
import { keys } from './hooks';

export type PaymentAction = 'view' | 'start_checkout' | 'refund' | 'void' | 'download_receipt';

export interface PaymentSummaryView {
  invoice: {
    id: string;
    mode: string;
    amountCents: number;
    lines: { label: string; description: string; amountCents: number }[];
    sentAt: string | null;
    paidAt: string | null;
    paymentMethod: string | null;
    paymentReference: string | null;
    refundedCents: number;
    voided: { reason: string; voidedAt: string } | null;
  } | null;
  refunds: {
    id: string;
    source: RefundSource;
    amountCents: number;
    reason: string;
    reference: string | null;
    createdAt: string;
  }[];
  sessions: {
    id: string;
    status: PaymentSessionStatus;
    amountCents: number;
    url: string | null;
    expiresAt: string;
    createdAt: string;
    completedAt: string | null;
    problem: string | null;
  }[];
  online: boolean;
  payDirectly: string | null;
  abilities: PaymentAction[];
}

const base = (requestId: string) => `/api/requests/${encodeURIComponent(requestId)}/payments`;
const paymentKey = (requestId: string) => ['request', requestId, 'payments'] as const;

export function receiptUrl(requestId: string): string {
  return `${base(requestId)}/receipt.pdf`;
}

export function usePayments(requestId: string, enabled = true) {
  return useQuery({
    queryKey: paymentKey(requestId),
    queryFn: () => get<PaymentSummaryView>(base(requestId)),
    enabled,
    retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status < 500),
  });
}

/** POST /api/requests/:id/payments/<path>: checkout, refund, void. */
export function usePaymentWrite<T = unknown>(requestId: string, path: 'checkout' | 'refund' | 'void') {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => post<T>(`${base(requestId)}/${path}`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: keys.request(requestId) });
    },
  });
}

// The recipient's side of a secure link (rule REL-2), talking to the public routes
// /api/links/:token, /confirm and /download. No staff session, no CSRF token (the routes are
// public), nothing kept in storage: the token stays in the address bar, the one-download grant in
// memory only.

export type Need = 'code' | 'phoneCode' | 'dateOfBirth';

export interface OpenedLink {
  practiceName: string;
  /** Issue 5: how to reach the practice (contact details only). */
  practicePhone: string | null;
  practiceEmail: string | null;
  /** Issue 5: false when the practice has not set up email (the code may never arrive). */
  mailDelivered: boolean;
  message: string;
  needs: Need[];
  expiresAt: string;
  /** Issue 7: the request's language: the page speaks Spanish for a request made in Spanish. */
  language: 'en' | 'es';
}

export interface Grant {
  grant: string;
  grantExpiresAt: string;
  downloadsLeft: number;
}

export interface Confirmation {
  code: string;
  phoneCode?: string;
  dateOfBirth?: string;
}

/** A refusal in the server's own words: 403 wrong code, 404 no such link, 410 gone, 429 too fast. */
export class LinkError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Issue 7: a gone link (410) says its request's language, so the page can speak it. */
    readonly language: 'en' | 'es' | null = null,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

const NETWORK = 'The server could not be reached. Check your connection and try again.';

async function call(url: string, body?: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        accept: 'application/json, application/pdf',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new LinkError(0, 'network', NETWORK);
  }
  if (res.ok) return res;
  const parsed = (await res.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    language?: string;
  };
  const message =
    res.status === 429
      ? 'Too many tries from this connection. Wait a minute, then try again.'
      : (parsed.message ??
        (res.status >= 500
          ? 'Something went wrong on our side. Try again in a few minutes.'
          : res.statusText));
  const language = parsed.language === 'es' || parsed.language === 'en' ? parsed.language : null;
  throw new LinkError(res.status, parsed.error ?? 'error', message, language);
}

const base = (token: string) => `/api/links/${encodeURIComponent(token)}`;

export async function openLink(token: string): Promise<OpenedLink> {
  return (await (await call(base(token))).json()) as OpenedLink;
}

export async function confirmLink(token: string, answers: Confirmation): Promise<Grant> {
  return (await (await call(`${base(token)}/confirm`, answers)).json()) as Grant;
}

export interface Download {
  blob: Blob;
  fileName: string;
}

/** The file name from `filename*=UTF-8''…` (or the plain `filename="…"`), else a plain one. */
export function fileNameOf(disposition: string | null): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      // fall through to the ASCII name
    }
  }
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? 'document.pdf';
}

export async function downloadViaLink(token: string, grant: string): Promise<Download> {
  const res = await call(`${base(token)}/download`, { grant });
  return { blob: await res.blob(), fileName: fileNameOf(res.headers.get('content-disposition')) };
}

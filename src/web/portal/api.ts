// The portal's fetch client (issue 7): same-origin JSON calls under /api/portal. The portal session
// lives in its own HttpOnly cookie (rd_portal, SameSite=Strict, path /api/portal) that this code
// never sees; writes carry the session's CSRF token in `x-csrf-token` (from the code confirmation
// or GET /api/portal/session). Errors carry a plain message the page can show as it is: the
// server's own words for a 4xx, the shell's words (in the requester's language) otherwise.

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

/** The words for failures the server could not describe, in the page's language. */
export interface FallbackWords {
  network: string;
  tooMany: string;
  server: string;
}

let csrfToken: string | null = null;
let language = 'en';
let fallback: FallbackWords = {
  network: 'We could not reach the practice’s server. Check your connection and try again.',
  tooMany: 'Too many tries. Please wait a minute, then try again.',
  server: 'Something went wrong on our side. Please try again in a few minutes.',
};

export function setPortalCsrf(token: string | null): void {
  csrfToken = token;
}

export function setFallbackWords(words: FallbackWords): void {
  fallback = words;
}

/** The page's language: the server writes its refusals in it (Accept-Language). */
export function setPortalLanguage(lng: string): void {
  language = lng;
}

type Method = 'GET' | 'POST';

async function send(method: Method, url: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/pdf',
    'accept-language': language,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      // The address may hold a status-link token: never send it anywhere as a Referer.
      referrerPolicy: 'no-referrer',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new PortalError(0, 'network', fallback.network);
  }
  if (res.ok) return res;
  const parsed = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
  const message =
    res.status === 429
      ? fallback.tooMany
      : res.status >= 500
        ? fallback.server
        : (parsed.message ?? fallback.server);
  throw new PortalError(res.status, parsed.error ?? 'error', message);
}

export async function getJson<T>(url: string): Promise<T> {
  return (await (await send('GET', url)).json()) as T;
}

export async function postJson<T>(url: string, body: unknown = {}): Promise<T> {
  return (await (await send('POST', url, body)).json()) as T;
}

export interface PortalFile {
  blob: Blob;
  fileName: string;
}

/** A PDF (receipt, released records) as a blob with the server's file name. */
export async function fetchFile(url: string, method: Method = 'GET', body?: unknown): Promise<PortalFile> {
  const res = await send(method, url, method === 'GET' ? undefined : (body ?? {}));
  const disposition = res.headers.get('content-disposition');
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  let fileName = disposition?.match(/filename="([^"]+)"/i)?.[1] ?? 'document.pdf';
  if (star) {
    try {
      fileName = decodeURIComponent(star);
    } catch {
      // keep the plain name
    }
  }
  return { blob: await res.blob(), fileName };
}

/** Hand a blob to the browser as a download. */
export function saveFile(file: PortalFile): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.rel = 'noreferrer';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

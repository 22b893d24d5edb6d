// The one way the web app talks to the API: same-origin fetch with the session cookie, the CSRF
// token on every write, and every failure turned into an ApiError carrying the server's own message
// (and its field errors), so a screen can show it next to the field or the button.

export interface FieldIssue {
  /** As the API names it: "body.requester.name". */
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
const signedOutListeners = new Set<(reason: string) => void>();
const activityListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server answers 401 to a signed-in call: the session has ended. */
export function onSignedOut(listener: (reason: string) => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

/** Called after every answered request (the server counts it as activity: idle timeout). */
export function onServerContact(listener: () => void): () => void {
  activityListeners.add(listener);
  return () => activityListeners.delete(listener);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface ErrorBody {
  error?: string;
  message?: string;
  fields?: FieldIssue[];
}

const NETWORK_MESSAGE = 'The server could not be reached. Check your connection and try again.';

async function send(method: Method, url: string, body: unknown, csrf: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A FormData body (a file upload) sets its own multipart content type and boundary.
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  try {
    return await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: multipart ? body : JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'network', NETWORK_MESSAGE);
  }
}

async function toError(res: Response): Promise<ApiError> {
  const parsed = (await res.json().catch(() => ({}))) as ErrorBody;
  const message =
    parsed.message ??
    (res.status >= 500 ? 'Something went wrong on our side. Nothing was changed.' : res.statusText);
  return new ApiError(res.status, parsed.error ?? 'error', message, parsed.fields ?? []);
}

async function ensureCsrf(): Promise<string | null> {
  if (csrfToken) return csrfToken;
  const res = await send('GET', '/api/auth/csrf', undefined, null);
  if (!res.ok) return null;
  csrfToken = ((await res.json()) as { csrfToken: string }).csrfToken;
  return csrfToken;
}

export interface CallOptions {
  /**
   * Calls made before anyone is signed in (sign-in itself, "who am I?"): a 401 there is a wrong
   * password or simply nobody signed in, not an ended session.
   */
  signInCall?: boolean;
}

export async function api<T>(
  method: Method,
  url: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<T> {
  const writes = method !== 'GET';
  let res = await send(method, url, body, writes && !opts.signInCall ? await ensureCsrf() : csrfToken);
  if (res.status === 403 && writes) {
    // A token from an earlier session (another tab signed in again): fetch the current one, once.
    const problem = await toError(res.clone());
    if (problem.code === 'csrf') {
      csrfToken = null;
      res = await send(method, url, body, await ensureCsrf());
    }
  }
  for (const listener of activityListeners) listener();
  if (res.ok) return (await res.json()) as T;
  const error = await toError(res);
  if (res.status === 401 && !opts.signInCall) {
    csrfToken = null;
    for (const listener of signedOutListeners) listener(error.message);
  }
  throw error;
}

export const get = <T>(url: string, opts?: CallOptions) => api<T>('GET', url, undefined, opts);
export const post = <T>(url: string, body: unknown = {}, opts?: CallOptions) =>
  api<T>('POST', url, body, opts);
/** A multipart upload: the same session, CSRF token and error handling as every other write. */
export const upload = <T>(url: string, form: FormData) => api<T>('POST', url, form);

/** A query string from the defined values ("?stage=a,b&q=x"). */
export function query(
  params: Record<string, string | number | boolean | string[] | undefined | null>,
): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) out.set(key, value.join(','));
    } else out.set(key, String(value));
  }
  const s = out.toString();
  return s ? `?${s}` : '';
}

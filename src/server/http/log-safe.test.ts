import { describe, expect, it } from 'vitest';
import { logSafeUrl } from './log-safe.js';

describe('logSafeUrl', () => {
  it.each([
    ['/api/requests?q=Avery&stage=intake', '/api/requests?[query omitted]'],
    ['/api/links/AbC_def-123/confirm', '/api/links/[token]/confirm'],
    ['/links/AbC_def-123', '/links/[token]'],
    ['/sign-in?token=abc', '/sign-in?[query omitted]'],
    ['/api/requests/5a0f/files', '/api/requests/5a0f/files'],
  ])('SEC-5: %s is logged as %s', (url, logged) => {
    expect(logSafeUrl(url)).toBe(logged);
  });
});

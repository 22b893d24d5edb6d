// The portal's shared words in English (layout, errors, the language switch). Spanish mirrors
// these keys in ../es/common.ts; the type below makes a missing Spanish key a compile error.
export const common = {
  skipToContent: 'Skip to main content',
  portalName: 'Records requests',
  language: 'Language',
  loading: 'Loading…',
  help: { intro: 'Questions? Contact {{name}}.', phone: 'Phone', email: 'Email' },
  footer: 'Your information is private. This page shows only your own request.',
  errors: {
    network: 'We could not reach the practice’s server. Check your connection and try again.',
    tooMany: 'Too many tries. Please wait a minute, then try again.',
    server: 'Something went wrong on our side. Please try again in a few minutes.',
    sessionEnded:
      'For your privacy, this page closed after a while without use. Open the link in your email again.',
    notFound: 'We could not find this page.',
  },
  notFoundTitle: 'Page not found',
  notFoundBody: 'Check the link in your email, or contact the practice.',
} as const;

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type CommonWords = Widen<typeof common>;

// Signing the authorization form in English (namespace `sign`). The form's own words come from the
// server (they are the exact words of the PDF); these are the page's.
export const sign = {
  title: 'Sign your permission form',
  loading: 'Loading the form…',
  intro:
    'You asked us to send a copy of your records to someone. The law asks for your signed permission first. Please read the form below, then sign at the bottom.',
  // Said above a form written in another language than the page's (the form is in the request's language).
  formIn: {
    en: '',
    es: 'This form is written in Spanish, the language of your request. If you want it in English, ask the practice before you sign.',
  },
  summaryHeading: '',
  pdfLink: 'Open the exact form as a PDF',
  fingerprint: 'Form fingerprint (SHA-256): {{sha256}}',
  signHeading: 'Sign',
  signAs: 'You are signing as {{name}}.',
  method: {
    label: 'How do you want to sign?',
    typed: 'Type your name',
    drawn: 'Draw your signature',
  },
  typedLabel: 'Type your full name',
  typedHint: 'Typing your name counts as your signature.',
  drawLabel: 'Draw your signature here with your finger or mouse',
  drawHint: 'If drawing is hard, choose “Type your name” above instead.',
  clear: 'Clear the drawing',
  drawFirst: 'Draw your signature first, or choose “Type your name”.',
  typedTooShort: 'Type your full name to sign: at least 2 letters.',
  consentMissing: 'Tick both boxes to sign.',
  consentRead: 'I read this form and I want these records shared as it says.',
  consentSign: 'I agree to sign electronically. This is my signature, the same as signing on paper.',
  submit: 'Sign the form',
  signing: 'Signing…',
  doneTitle: 'Thank you: your form is signed',
  done: 'You signed on {{date}}. Keep a copy for yourself. We also put it on your request page, and we emailed you a link to it.',
  nextStep: 'Next, we check who signed before we send any records. We may contact you.',
  download: 'Download your signed copy',
  back: 'Back to your request',
  states: {
    not_needed: 'Your request does not need a signed form from you.',
    client_signs: 'The client must sign this permission form themselves. The practice will send it to them.',
    practice_prepares:
      'The practice will prepare this form and send it to you. You do not need to do anything here now.',
  },
  statusCard: {
    heading: 'Your permission form',
    toSign: 'Please read and sign the form that lets us send your records.',
    signed: 'You signed the form. You can download your copy.',
    open: 'Read and sign the form',
    view: 'See your signed form',
  },
  // An English form speaks for itself on an English page; on a page in another language, a summary
  // in that language goes above each of its sections (a Spanish request's form is Spanish throughout).
  summaries: {
    intro: '',
    whoShares: '',
    whoGets: '',
    which: '',
    why: '',
    ends: '',
    rights: '',
    signHere: '',
  },
} as const;

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type SignWords = Widen<typeof sign>;

// The status link and status page in English (namespace `status`).
export const status = {
  placeholderTitle: 'Your request',
} as const;

type Widen<T> = { -readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type StatusWords = Widen<typeof status>;

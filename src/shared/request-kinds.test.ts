import { describe, expect, it } from 'vitest';
import {
  ACCESS_KINDS,
  CHANNEL_LABELS,
  CHANNELS,
  DELIVERABLE_LABELS,
  DELIVERABLES,
  DELIVERY_FORMAT_LABELS,
  DELIVERY_FORMATS,
  DOCUMENT_CLASS_LABELS,
  DOCUMENT_CLASSES,
  isAccessKind,
  isLegalProcessKind,
  isRequestKind,
  KIND_LABELS,
  KIND_RULE_IDS,
  OTHER_LEGAL_SUBTYPE_LABELS,
  OTHER_LEGAL_SUBTYPES,
  REQUEST_KINDS,
} from './request-kinds.js';

describe('request kinds', () => {
  it.each(REQUEST_KINDS.map((kind, i) => [kind, `KIND-${i + 1}`]))(
    'rule %s maps to %s in order',
    (kind, id) => {
      expect(KIND_RULE_IDS[kind]).toBe(id);
    },
  );

  it.each([
    ['client_access', true],
    ['client_directed', true],
    ['authorization', false],
    ['subpoena', false],
    ['court_order', false],
    ['representative', true],
    ['provider_continuity', false],
    ['other_legal', false],
  ] as const)('rule KIND-1/KIND-2/KIND-6: isAccessKind(%s) is %s', (kind, expected) => {
    expect(isAccessKind(kind)).toBe(expected);
    expect((ACCESS_KINDS as readonly string[]).includes(kind)).toBe(expected);
  });

  it.each(REQUEST_KINDS)('rule KIND-4/KIND-5: isLegalProcessKind(%s)', (kind) => {
    expect(isLegalProcessKind(kind)).toBe(kind === 'subpoena' || kind === 'court_order');
  });

  it.each([
    ['subpoena', true],
    ['SUBPOENA', false],
    ['records', false],
    [null, false],
  ])('isRequestKind(%j) is %s', (value, expected) => {
    expect(isRequestKind(value)).toBe(expected);
  });

  it('rule KIND-8: lists the other-legal subtypes', () => {
    expect(OTHER_LEGAL_SUBTYPES).toEqual([
      'required_by_law',
      'public_health_or_abuse',
      'health_oversight',
      'law_enforcement',
      'serious_threat',
    ]);
  });

  it('rule SCOPE-3: lists the document classes, psychotherapy notes among them', () => {
    expect(DOCUMENT_CLASSES).toHaveLength(8);
    expect(DOCUMENT_CLASSES).toContain('psychotherapy_notes');
    expect(DOCUMENT_CLASSES).toContain('part2');
  });

  it('rule REL-1: lists the delivery formats', () => {
    expect(DELIVERY_FORMATS).toEqual(['secure_download', 'mail', 'pickup', 'inspection', 'fax', 'email']);
  });

  it('rule TIME-1: lists the channels', () => {
    expect(CHANNELS).toEqual(['portal', 'email', 'fax', 'mail', 'phone', 'in_person']);
  });

  const labelSets: [string, readonly string[], Readonly<Record<string, string>>][] = [
    ['kind', REQUEST_KINDS, KIND_LABELS],
    ['other-legal subtype', OTHER_LEGAL_SUBTYPES, OTHER_LEGAL_SUBTYPE_LABELS],
    ['deliverable', DELIVERABLES, DELIVERABLE_LABELS],
    ['channel', CHANNELS, CHANNEL_LABELS],
    ['document class', DOCUMENT_CLASSES, DOCUMENT_CLASS_LABELS],
    ['delivery format', DELIVERY_FORMATS, DELIVERY_FORMAT_LABELS],
  ];

  it.each(labelSets)('every %s has a plain, distinct label and no snake_case', (_name, values, labels) => {
    expect(Object.keys(labels).sort()).toEqual([...values].sort());
    const texts = values.map((v) => labels[v]);
    for (const text of texts) expect(text).toMatch(/^[A-Z][^_]*$/);
    expect(new Set(texts).size).toBe(texts.length);
  });
});

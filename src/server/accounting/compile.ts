// Building the accounting from the disclosure log (rule REL-4) and writing it as CSV (RFC 4180).
// Pure: the entries, the suspensions, the period and today come in; the rows go out.
import type { AccountingEntryView } from '../../shared/schemas/accounting.js';
import { type LocalDate, localDate } from '../../shared/time.js';
import { type AccountingPackRules, accountability, isSuspended, type SuspensionFacts } from './rules.js';

export interface DisclosureFacts {
  id: string;
  kind: string;
  impermissible: boolean;
  disclosedAt: Date;
  recipientName: string;
  recipientAddress: string | null;
  description: string;
  purpose: string;
}

export interface CompiledAccounting {
  entries: AccountingEntryView[];
  /** Accountable entries in the period that a suspension leaves out for now (staff only). */
  leftOutWhileSuspended: number;
}

/**
 * rule REL-4: the accountable disclosures in the period (dates in the practice's zone), oldest
 * first, less those an agency's suspension covers while it lasts (164.528(a)(2)).
 */
export function compileAccounting(
  disclosures: readonly DisclosureFacts[],
  suspensions: readonly SuspensionFacts[],
  period: { from: LocalDate; to: LocalDate },
  today: LocalDate,
  timeZone: string,
  pack: AccountingPackRules = {},
): CompiledAccounting {
  const entries: AccountingEntryView[] = [];
  let leftOutWhileSuspended = 0;
  const sorted = [...disclosures].sort(
    (a, b) => a.disclosedAt.getTime() - b.disclosedAt.getTime() || a.id.localeCompare(b.id),
  );
  for (const d of sorted) {
    const date = localDate(d.disclosedAt, timeZone);
    if (date < period.from || date > period.to) continue;
    if (!accountability(d.kind, d.impermissible, pack).accountable) continue;
    if (isSuspended({ recipientName: d.recipientName, date }, suspensions, today)) {
      leftOutWhileSuspended++;
      continue;
    }
    entries.push({
      disclosureId: d.id,
      date,
      recipient: d.recipientName,
      address: d.recipientAddress ?? '',
      description: d.description,
      purpose: d.purpose,
    });
  }
  return { entries, leftOutWhileSuspended };
}

export const ACCOUNTING_CSV_HEADER = ['date', 'recipient', 'address', 'description', 'purpose'] as const;

/**
 * A cell a spreadsheet would run as a formula (CSV injection): one starting with =, +, -, @, a tab or
 * a carriage return (and their full-width forms, which some spreadsheets also accept). A recipient
 * named "=HYPERLINK(…)" must reach the client as text.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The value with a single quote in front when a spreadsheet would run it as a formula. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180: a field with a comma, a quote or a line break is quoted, and its quotes doubled; a
 * formula is neutralised first (neutraliseFormula).
 */
export function csvField(value: string): string {
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One row per accountable disclosure, CRLF line ends, a header row first (RFC 4180). */
export function accountingCsv(entries: readonly AccountingEntryView[]): string {
  const rows = [
    [...ACCOUNTING_CSV_HEADER],
    ...entries.map((e) => [e.date, e.recipient, e.address, e.description, e.purpose]),
  ];
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

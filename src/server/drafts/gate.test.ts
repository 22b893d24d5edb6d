// Table test of what prepared documents hold back (procedure step 4): the approval of what was
// prepared, per deliverable, and the verbal release.
import { describe, expect, it } from 'vitest';
import type { Deliverable } from '../../shared/request-kinds.js';
import {
  type GateDraft,
  LETTER_NEEDED,
  NOTES_NEEDED,
  outstandingDocuments,
  verbalNotesApproved,
} from './gate.js';

const letter = (state: GateDraft['latest']): GateDraft => ({
  kind: 'letter',
  label: 'Letter to a court',
  latest: state,
});
const report = (state: GateDraft['latest']): GateDraft => ({
  kind: 'report',
  label: 'Treatment summary',
  latest: state,
});
const notes = (state: GateDraft['latest']): GateDraft => ({
  kind: 'verbal_notes',
  label: 'Notes for a verbal discussion',
  latest: state,
});
const approved = { number: 2, state: 'approved' } as const;
const sent = { number: 3, state: 'submitted' } as const;
const asked = { number: 1, state: 'changes_requested' } as const;

describe('procedure step 4: what the approval of what was prepared waits for', () => {
  it.each<[string, Deliverable, GateDraft[], string[]]>([
    ['a letter request with no letter', 'letter_or_report', [], [LETTER_NEEDED]],
    [
      'a letter request whose only document is verbal notes',
      'letter_or_report',
      [notes(approved)],
      [LETTER_NEEDED],
    ],
    ['every letter and report approved', 'letter_or_report', [letter(approved), report(approved)], []],
    [
      'a report waiting for the supervisor',
      'letter_or_report',
      [letter(approved), report(sent)],
      ['Treatment summary: version 3 is waiting for the supervisor.'],
    ],
    [
      'a letter sent back for changes',
      'letter_or_report',
      [letter(asked)],
      ['Letter to a court: version 1 needs the changes the supervisor asked for.'],
    ],
    ['a verbal request with no notes', 'verbal', [], [NOTES_NEEDED]],
    [
      'a verbal request whose notes wait',
      'verbal',
      [notes(sent)],
      [NOTES_NEEDED, 'Notes for a verbal discussion: version 3 is waiting for the supervisor.'],
    ],
    ['a verbal request with approved notes', 'verbal', [notes(approved)], []],
    ['a copy: letters are optional', 'copy', [letter(sent)], []],
    ['a copy with nothing', 'copy', [], []],
  ])('procedure step 4: %s', (_, deliverable, drafts, expected) => {
    expect(outstandingDocuments(deliverable, drafts)).toEqual(expected);
  });

  it.each<[GateDraft[], boolean]>([
    [[], false],
    [[notes(sent)], false],
    [[letter(approved)], false],
    [[notes(asked), notes(approved)], true],
  ])('procedure step 4, REL-1: a verbal release needs approved notes (%#)', (drafts, ok) => {
    expect(verbalNotesApproved(drafts)).toBe(ok);
  });
});

// The federal baseline pack ('US'), version 1: HIPAA's access and accounting rules, its fee limits,
// and the 42 CFR 2.32 notice texts, with the citations of ../shared/domain/sources.md. Shipped data:
// a published version is never changed; a change ships as a new version (rule TIME-3).
import type { RulePackData } from '../../../shared/rule-packs.js';

/** rule PART2-1: statement 1 of 42 CFR 2.32(a)(1), as far as sources.md quotes it. */
const PART2_LONG_OPENING =
  'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information ' +
  'contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, ' +
  'State, or local authority, against the patient, unless authorized by the consent of the patient, except as ' +
  'provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, ' +
  'the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of ' +
  'the following applies:';

export const FEDERAL_PACK_V1: RulePackData = {
  title: 'Federal baseline: HIPAA Privacy Rule and 42 CFR Part 2',
  // rule TIME-2
  accessDeadline: {
    value: { days: 30, unit: 'calendar' },
    source: '45 CFR 164.524(b)(2) (sources.md 1.2)',
    verified: true,
    note: 'An outer limit: act (release or a written denial) as soon as possible.',
  },
  // rule TIME-2
  accessExtension: {
    value: { days: 30, count: 1 },
    source: '45 CFR 164.524(b)(2) (sources.md 1.2)',
    verified: true,
    note: 'Only with a written notice, sent within the first 30 days, giving the reason and the new date.',
  },
  // rule TIME-4
  accountingDeadline: {
    value: { days: 60, unit: 'calendar' },
    source: '45 CFR 164.528(c) (sources.md 1.3)',
    verified: true,
  },
  // rule TIME-4
  accountingExtension: {
    value: { days: 30, count: 1 },
    source: '45 CFR 164.528(c) (sources.md 1.3)',
    verified: true,
    note: 'With a written reason and date, within the 60 days.',
  },
  // rule FEE-1
  accessFeeComponents: {
    value: ['copy_labor', 'supplies', 'postage', 'summary_preparation'],
    source: '45 CFR 164.524(c)(4) (sources.md 1.2)',
    verified: true,
    note: 'Never verification, documentation, search and retrieval, system maintenance or capital costs, even where state law allows them.',
  },
  // rule FEE-2
  flatElectronicFeeCapCents: {
    value: 650,
    source: 'HHS access guidance (2016) and FAQ 2029 on the limited fee (sources.md 1.2)',
    verified: true,
    note: 'An optional flat fee, labour, supplies and postage included, for electronic copies of records kept electronically; not a universal cap.',
  },
  // rule FEE-7
  freeAccountingsPer12Months: {
    value: 1,
    source: '45 CFR 164.528(c) (sources.md 1.3)',
    verified: true,
    note: 'Later accountings in the same 12 months: a reasonable cost-based fee, told in advance, with a chance to withdraw or change the request.',
  },
  // rule FEE-6
  releaseMayWaitOnPayment: {
    value: false,
    source: 'compliance.md FEE-6; sources.md 1.2',
    verified: true,
    note: 'Conservative default, lawful under any reading: HIPAA does not settle whether delivery may wait on the copy fee (sources.md marks it unconfirmed), so the release never waits unless a state pack allows it.',
  },
  // rule PART2-1
  part2NoticeLong: {
    value: PART2_LONG_OPENING,
    source: '42 CFR 2.32(a)(1) (2024 final rule, 89 FR 12472), as quoted in sources.md 1.6',
    verified: false,
    note: 'sources.md quotes only the opening: the three conditions and the closing sentence ("A general authorization for the release of medical or other information is NOT sufficient…") must be copied from the eCFR before this text is used.',
  },
  // rule PART2-1
  part2NoticeShort: {
    value: '42 CFR part 2 prohibits unauthorized use or disclosure of these records.',
    source: '42 CFR 2.32(a)(2) (2024 final rule), as quoted in sources.md 1.6',
    verified: false,
    note: 'Seen verbatim on public forms (sources.md 1.6); confirm against the eCFR.',
  },
};

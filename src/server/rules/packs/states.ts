// State packs, version 1: the California, Texas and New York examples of compliance.md (TIME-3)
// with the citations of ../shared/domain/sources.md 1.8. Every value is unverified until the
// practice's counsel confirms it (TIME-3, FEE-5 and FEE-6 are tagged [law, verify]). A value more
// protective than the federal one (a shorter deadline, a lower cap) applies all the same; staff see
// a warning naming its statute, applied or not. Where sources.md gives no figure (a Texas fee cap, New York's deadline for copies), the
// value is left out. Shipped data: never changed once published; a change is a new version.
import type { RulePackData } from '../../../shared/rule-packs.js';

const COUNSEL = 'To be confirmed by the practice’s counsel (sources.md 1.8 is a secondary summary).';

export const CALIFORNIA_PACK_V1: RulePackData = {
  title: 'California: Health and Safety Code 123100–123149.5',
  // rule TIME-3
  accessDeadline: {
    value: { days: 15, unit: 'calendar' },
    source: 'Cal. Health & Safety Code §123110 (copies within 15 days of a written request; sources.md 1.8)',
    verified: false,
    note: `A summary in lieu of records: within 10 working days (30 if extraordinary). ${COUNSEL}`,
  },
  // rule TIME-3
  inspectionDeadline: {
    value: { days: 5, unit: 'business' },
    source: 'Cal. Health & Safety Code §123110 (inspection within 5 working days; sources.md 1.8)',
    verified: false,
    note: `Counted Monday to Friday; the practice's holidays are not taken out. ${COUNSEL}`,
  },
  // rule TIME-3: the lower fee for the client's own records.
  accessPerPageCapCents: {
    value: 25,
    source: 'Cal. Health & Safety Code §123110 (≤ $0.25 per page, $0.50 microfilm; sources.md 1.8)',
    verified: false,
    note: 'sources.md marks the fee text [VERIFY current fee text]. A copy supporting a public-benefit appeal is free.',
  },
  // rule FEE-5
  thirdPartyPerPageCapCents: {
    value: 10,
    source: 'Cal. Evid. Code §1158 (attorney requests before litigation; sources.md 1.8)',
    verified: false,
    note: 'sources.md: the 10¢ per page cap was litigated against Ciox, and §1158 covers an attorney’s pre-litigation request; counsel to confirm its reach to other third parties.',
  },
  // rule TIME-3: stored, but broader than HIPAA's grounds, so unusable for access requests.
  denialGrounds: {
    value: [
      {
        code: 'ca_adverse_consequences',
        description:
          'Substantial risk of significant adverse or detrimental consequences to the patient in seeing the mental-health records (reasons written into the record; a licensed professional chosen by the patient may inspect or copy them).',
        broaderThanHipaa: true,
      },
      {
        code: 'ca_minor_representative_detrimental',
        description:
          'A minor’s representative: access would be detrimental to the provider’s relationship with the minor or to the minor’s physical safety or psychological well-being.',
        broaderThanHipaa: true,
      },
    ],
    source: 'Cal. Health & Safety Code §123115(a), (b) (sources.md 1.8)',
    verified: false,
    note: COUNSEL,
  },
};

export const TEXAS_PACK_V1: RulePackData = {
  title: 'Texas: Health and Safety Code chapters 611 and 181',
  // rule TIME-3
  accessDeadline: {
    value: { days: 15, unit: 'calendar' },
    source:
      'Tex. Health & Safety Code §611.008 (mental-health records: 15 days after a written request; sources.md 1.8)',
    verified: false,
    note: `An electronic copy of an EHR is due within 15 business days (§181.102); the shorter 15 days applies. ${COUNSEL}`,
  },
  // rule FEE-6
  releaseMayWaitOnPayment: {
    value: true,
    source:
      'Tex. Health & Safety Code §611.008(b) (need not permit examination or copying until the fee is paid, except in a medical emergency; sources.md 1.8)',
    verified: false,
    note: `Only the release step waits; the legal clock keeps running, and never in a medical emergency. ${COUNSEL}`,
  },
  // rule TIME-3: stored, but broader than HIPAA's grounds, so unusable for access requests.
  denialGrounds: {
    value: [
      {
        code: 'tx_harmful_to_patient',
        description:
          'Portions harmful to the patient’s physical, mental, or emotional health (a signed, dated written statement naming the portion, the reason and the duration; decided again on each request; another professional chosen by the patient may examine or copy them).',
        broaderThanHipaa: true,
      },
    ],
    source: 'Tex. Health & Safety Code §611.0045 (sources.md 1.8)',
    verified: false,
    note: COUNSEL,
  },
};

export const NEW_YORK_PACK_V1: RulePackData = {
  title: 'New York: Public Health Law §18 and Mental Hygiene Law §33.16',
  // rule TIME-3
  inspectionDeadline: {
    value: { days: 10, unit: 'calendar' },
    source:
      'N.Y. Public Health Law §18 (an opportunity to inspect within 10 days of a written request; sources.md 1.8)',
    verified: false,
    note: COUNSEL,
  },
  // rule TIME-3: the lower fee for the client's own records.
  accessPerPageCapCents: {
    value: 75,
    source: 'N.Y. Public Health Law §18 (≤ $0.75 per page for paper copies; sources.md 1.8)',
    verified: false,
    note: 'No charge when the copy supports a government-benefit claim or appeal; access is never denied solely for inability to pay.',
  },
  // rule TIME-3: stored, but broader than HIPAA's grounds, so unusable for access requests.
  denialGrounds: {
    value: [
      {
        code: 'ny_personal_notes',
        description:
          'The practitioner’s personal notes and observations (excluded from access; may reach further than HIPAA’s psychotherapy notes).',
        broaderThanHipaa: true,
      },
      {
        code: 'ny_substantial_identifiable_harm',
        description:
          'OMH-licensed programs: access reasonably expected to cause substantial and identifiable harm (appeal to the clinical-record access review committee).',
        broaderThanHipaa: true,
      },
    ],
    source: 'N.Y. Public Health Law §18; Mental Hygiene Law §33.16 (sources.md 1.8)',
    verified: false,
    note: COUNSEL,
  },
};

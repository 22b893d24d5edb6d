// The packs Release Desk ships (rule TIME-3), seeded at boot when absent. A shipped version is
// published once and never changed: new law ships as a new version with its own effective date.
import type { RulePackData } from '../../../shared/rule-packs.js';
import { FEDERAL_PACK_V1 } from './federal.js';
import { CALIFORNIA_PACK_V1, NEW_YORK_PACK_V1, TEXAS_PACK_V1 } from './states.js';

export interface ShippedPack {
  jurisdiction: string;
  version: number;
  /**
   * The receipt date from which a request is decided under this version. Version 1 starts on the
   * effective date of the newest federal change it reflects, the 42 CFR Part 2 final rule
   * (16 April 2024, sources.md 1.6); it is not the date of each statute.
   */
  effectiveFrom: string;
  data: RulePackData;
  notes: string;
}

const V1_FROM = '2024-04-16';
const V1_NOTES =
  'Shipped with Release Desk from compliance.md and sources.md. To be reviewed by the practice’s counsel before relying on it.';

export const SHIPPED_PACKS: readonly ShippedPack[] = [
  { jurisdiction: 'US', version: 1, effectiveFrom: V1_FROM, data: FEDERAL_PACK_V1, notes: V1_NOTES },
  { jurisdiction: 'CA', version: 1, effectiveFrom: V1_FROM, data: CALIFORNIA_PACK_V1, notes: V1_NOTES },
  {
    jurisdiction: 'TX',
    version: 1,
    effectiveFrom: V1_FROM,
    data: TEXAS_PACK_V1,
    notes: `${V1_NOTES} Texas allows a "reasonable fee" with no cap in sources.md: none is recorded.`,
  },
  {
    jurisdiction: 'NY',
    version: 1,
    effectiveFrom: V1_FROM,
    data: NEW_YORK_PACK_V1,
    notes: `${V1_NOTES} sources.md gives New York's deadline for inspection only: copies follow HIPAA's.`,
  },
];

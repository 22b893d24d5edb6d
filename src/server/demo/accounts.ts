// The demo practice's people: its staff logins (all with the password below, all is_demo, so they
// may skip the second factor) and its fictional clients. Shared by the seed, the printout and the
// home page's banner.
import type { Role } from '../../shared/roles.js';

export const DEMO_BANNER = 'Demo — not for real records';
export const DEMO_PASSWORD = 'demo-password';

export const DEMO_PRACTICE = {
  name: 'Riverbend Counseling (demo)',
  state: 'CA',
  timeZone: 'America/Los_Angeles',
} as const;

export type DemoUserKey =
  | 'admin'
  | 'support'
  | 'therapist'
  | 'therapist2'
  | 'supervisor'
  | 'director'
  | 'clinical'
  | 'privacy';

export interface DemoLogin {
  key: DemoUserKey;
  email: string;
  name: string;
  roles: Role[];
  /** What the account is for, in a few words (printout and home page). */
  note: string;
}

export const DEMO_LOGINS: readonly DemoLogin[] = [
  { key: 'admin', email: 'admin@demo.test', name: 'Alex Morgan', roles: ['admin'], note: 'administrator' },
  { key: 'support', email: 'support@demo.test', name: 'Sam Ortiz', roles: ['support'], note: 'support team' },
  {
    key: 'therapist',
    email: 'therapist@demo.test',
    name: 'Dr. Maya Rivera',
    roles: ['therapist'],
    note: 'therapist',
  },
  {
    key: 'therapist2',
    email: 'therapist2@demo.test',
    name: 'Dr. Daniel Kim',
    roles: ['therapist'],
    note: 'therapist',
  },
  {
    key: 'supervisor',
    email: 'supervisor@demo.test',
    name: 'Dr. Helen Chen',
    roles: ['supervisor'],
    note: 'supervisor of both therapists',
  },
  {
    key: 'director',
    email: 'director@demo.test',
    name: 'Dr. Grace Okafor',
    roles: ['supervisor'],
    note: 'clinical director, supervises Dr. Chen',
  },
  {
    key: 'clinical',
    email: 'clinical@demo.test',
    name: 'Casey Nguyen',
    roles: ['clinical_services'],
    note: 'clinical services',
  },
  {
    key: 'privacy',
    email: 'privacy@demo.test',
    name: 'Priya Shah',
    roles: ['privacy_officer'],
    note: 'privacy officer',
  },
];

/** Who supervises whom: both therapists report to the supervisor, who reports to the director. */
export const DEMO_SUPERVISION: readonly [supervisee: DemoUserKey, supervisor: DemoUserKey][] = [
  ['therapist', 'supervisor'],
  ['therapist2', 'supervisor'],
  ['supervisor', 'director'],
];

export type DemoClientKey = 'jordan' | 'lukasz' | 'sofia' | 'lily' | 'marcus' | 'aisha' | 'thomas' | 'zoe';

export interface DemoClient {
  key: DemoClientKey;
  firstName: string;
  lastName: string;
  /** Years before this year, with a month and day; the minor is born 13 years ago. */
  born: { yearsAgo: number; monthDay: string };
  therapist: 'therapist' | 'therapist2';
  email: string | null;
  phone: string;
  address: string;
}

export const DEMO_CLIENTS: readonly DemoClient[] = [
  {
    key: 'jordan',
    firstName: 'Jordan',
    lastName: 'Ellis',
    born: { yearsAgo: 34, monthDay: '04-12' },
    therapist: 'therapist',
    email: 'jordan.ellis@example.test',
    phone: '(555) 010-2101',
    address: '14 Alder Street, Sacramento, CA 95814',
  },
  {
    key: 'lukasz',
    firstName: 'Łukasz',
    lastName: 'Nowak',
    born: { yearsAgo: 41, monthDay: '09-03' },
    therapist: 'therapist',
    email: 'lukasz.nowak@example.test',
    phone: '(555) 010-2102',
    address: '88 Willow Court, Davis, CA 95616',
  },
  {
    key: 'sofia',
    firstName: 'Sofía',
    lastName: 'Martínez',
    born: { yearsAgo: 27, monthDay: '01-22' },
    therapist: 'therapist',
    email: 'sofia.martinez@example.test',
    phone: '(555) 010-2103',
    address: '301 Poplar Avenue, Apt 4, Sacramento, CA 95818',
  },
  {
    key: 'lily',
    firstName: 'Lily',
    lastName: 'Harper',
    born: { yearsAgo: 13, monthDay: '06-30' },
    therapist: 'therapist',
    email: null,
    phone: '(555) 010-2104',
    address: '52 Birch Lane, Elk Grove, CA 95624',
  },
  {
    key: 'marcus',
    firstName: 'Marcus',
    lastName: 'Bell',
    born: { yearsAgo: 48, monthDay: '11-08' },
    therapist: 'therapist2',
    email: 'marcus.bell@example.test',
    phone: '(555) 010-2105',
    address: '7 Cedar Row, Roseville, CA 95678',
  },
  {
    key: 'aisha',
    firstName: 'Aisha',
    lastName: 'Rahman',
    born: { yearsAgo: 31, monthDay: '03-17' },
    therapist: 'therapist2',
    email: 'aisha.rahman@example.test',
    phone: '(555) 010-2106',
    address: '1200 Magnolia Drive, Folsom, CA 95630',
  },
  {
    key: 'thomas',
    firstName: 'Thomas',
    lastName: 'O’Brien',
    born: { yearsAgo: 56, monthDay: '07-04' },
    therapist: 'therapist2',
    email: 'thomas.obrien@example.test',
    phone: '(555) 010-2107',
    address: '45 Juniper Way, Sacramento, CA 95822',
  },
  {
    key: 'zoe',
    firstName: 'Zoë',
    lastName: 'Andersen',
    born: { yearsAgo: 38, monthDay: '12-01' },
    therapist: 'therapist2',
    email: 'zoe.andersen@example.test',
    phone: '(555) 010-2108',
    address: '9 Sequoia Circle, Rancho Cordova, CA 95670',
  },
];

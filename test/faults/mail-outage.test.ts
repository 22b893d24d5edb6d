// Issue 8, outages (quick, in `npm test`): the SMTP server down while staff post 20 notifications
// for 3 s (and until each email has been tried and failed); when it returns every email arrives,
// counted by distinct Message-ID at a real SMTP sink, with no raw duplicate. The sized run is
// mail-outage.long.test.ts (`npm run test:faults`).
import { describe, expect, it } from 'vitest';
import { runMailOutage } from './support/mail-outage.js';

describe('SMTP outage, quick (issue 8)', () => {
  it('the SMTP server down during 20 notifications: all arrive once it returns, none twice, none lost', async () => {
    const f = await runMailOutage({ notifications: 20, outageMs: 3_000, drainTimeoutMs: 60_000 });
    console.log(
      `[mail outage, quick] ${f.notifications} notifications, sink down ${(f.outageMs / 1000).toFixed(1)} s ` +
        `(${f.failedTries} failed tries): delivered ${f.delivered}/${f.emails} distinct, ${f.duplicates} raw duplicates, ` +
        `drained ${(f.drainMs / 1000).toFixed(1)} s after the return`,
    );
    expect(f.failedTries).toBeGreaterThanOrEqual(f.notifications);
    expect(f.missing).toEqual([]);
    expect(f.unknown).toEqual([]);
    expect(f.delivered).toBe(f.emails);
    expect(f.duplicates).toBe(0);
    expect(f.statuses).toEqual({ sent: f.emails });
  }, 120_000);
});

// Debian's Chromium (apt-get install chromium), driven by playwright-core: never a downloaded
// browser. Without it the journeys are skipped locally, and fail the run under CI=true.
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.RELEASE_DESK_CHROMIUM ?? '/usr/bin/chromium';

/** The flags that keep Chromium quiet on a closed network (stack-notes.md "Web and tests"). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export const MISSING_CHROMIUM = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium).`;

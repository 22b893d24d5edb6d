// Before the browser journeys: the production build of the web app (rebuilt only when its sources
// changed), and Debian's Chromium, which CI must have.
import { ensureWebBuild } from '../../src/server/http/web-build.js';
import { CHROMIUM_PATH, chromiumAvailable, MISSING_CHROMIUM } from './chromium.js';

export default async function setup() {
  if (!chromiumAvailable()) {
    if (process.env.CI === 'true')
      throw new Error(`${MISSING_CHROMIUM} CI runs the browser journeys always.`);
    console.warn(`[e2e] ${MISSING_CHROMIUM} The browser journeys are skipped.`);
    return;
  }
  const started = Date.now();
  const result = await ensureWebBuild({ log: (line) => console.log(`[e2e] ${line}`) });
  console.log(`[e2e] web app ${result} (${Date.now() - started} ms); browser ${CHROMIUM_PATH}`);
}

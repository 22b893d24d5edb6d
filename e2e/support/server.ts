// A real Release Desk server for a journey: the app on its own database (cloned from the migrated
// template, as in the integration tests), listening on a free port on 127.0.0.1.
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/server/config.js';
import { createTestApp, type TestApp } from '../../test/support/app.js';
import { type TestUser, totpCode } from '../../test/support/factories.js';

export interface Served extends TestApp {
  baseURL: string;
}

export async function serve(overrides: Partial<Config> = {}): Promise<Served> {
  const t = await createTestApp(overrides);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return Object.assign(t, { baseURL: `http://127.0.0.1:${port}` });
}

/** The code the person's authenticator app would show now (the test clock stands still). */
export function codeFor(t: TestApp, user: TestUser): string {
  if (!user.totpSecret) throw new Error(`${user.email} has no authenticator`);
  return totpCode(user.totpSecret, t.clock.now().getTime());
}

// The route inventory (test/support/route-inventory.ts) sees every route the app registered, and
// agrees with the OpenAPI document: each visible route is documented there, with its method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { apiRoutes, routeInventory } from '../support/route-inventory.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('route inventory', () => {
  it('lists every documented OpenAPI operation, and every listed API route is documented unless hidden', () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const m of Object.keys(ops)) {
        documented.add(`${m.toUpperCase()} ${p.replace(/\{([^}]+)\}/g, ':$1')}`);
      }
    }
    const inventory = routeInventory(t.app);
    const keys = new Set(inventory.map((r) => r.key));
    const missing = [...documented].filter((k) => !k.startsWith('HEAD ') && !keys.has(k));
    expect(missing).toEqual([]);
    const undocumented = apiRoutes(t.app)
      .filter((r) => !r.hidden && !documented.has(r.key))
      .map((r) => r.key);
    expect(undocumented).toEqual([]);
    const api = apiRoutes(t.app);
    console.log(
      `route inventory: ${api.length} API routes (${api.filter((r) => r.access === 'public').length} public, ${
        api.filter((r) => r.writes).length
      } writes)`,
    );
    if (process.env.PRINT_ROUTES)
      console.log(
        api
          .map(
            (r) =>
              `${r.key} ${r.access} ${r.writes ? 'W' : ''} ${Object.keys(r.schemas).join(',')}${r.multipart ? ' multipart' : ''}`,
          )
          .join('\n'),
      );
    expect(api.some((r) => r.key === 'GET /api/requests/:requestId')).toBe(true);
  });
});

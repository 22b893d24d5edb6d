// Fees through the HTTP API (FEE-1…FEE-6, TIME-3): support quotes the fee in advance by kind and
// rule pack, records the client's agreement, and the invoice then follows the quote line for line;
// a forbidden line is refused naming its rule, and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

interface Quote {
  id: string;
  basis: string;
  totalCents: number;
  lines: { code: string; description: string; amountCents: number }[];
  rules: Record<string, unknown>;
  acceptedAt: string | null;
}

describe('fees', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;
  let txClientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t, { state: 'CA' });
    const texas = await createPractice(t, { state: 'TX', timeZone: 'America/Chicago' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.txSupport = await createUser(t, texas, ['support']);
    u.txPrivacy = await createUser(t, texas, ['privacy_officer']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    txClientId = (await createClient(t, texas, await createUser(t, texas, ['therapist']))).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const pool = () => t.running.services.database.pool;
  const count = async (sql: string, params: unknown[]) =>
    (await pool().query<{ n: number }>(`select count(*)::int as n from ${sql}`, params)).rows[0]!.n;

  async function post(who: string, r: { id: string }, path: string, body: unknown = {}) {
    const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode >= 300) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }

  /** A request at the invoice stage (step 3), after intake, discussion and the supervisor's release. */
  async function atInvoice(overrides: Record<string, unknown> = {}): Promise<RequestDetails> {
    const r = await createRequestAs(as.support!, clientId, overrides);
    await post('support', r, 'intake', { verification: { method: 'Photo ID by secure upload' } });
    await post('therapist', r, 'client-discussion', { outcome: 'go_ahead' });
    const reviewed = (await post('supervisor', r, 'supervisor-review', {
      decision: 'release',
      consequences: 'None',
    })) as RequestDetails;
    expect(reviewed.stage).toBe('invoice');
    return reviewed;
  }

  const quote = (r: { id: string }, body: unknown, who = 'support') =>
    as[who]!.post(`/api/requests/${r.id}/fee-quote`, body);

  it('FEE-2: a client’s own records default to no fee — an empty quote is “none”, $0', async () => {
    const r = await createRequestAs(as.support!, clientId);
    const res = await quote(r, {});
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().quote).toMatchObject({ basis: 'none', totalCents: 0, lines: [] });
  });

  it('FEE-1, FEE-3 (sources.md 1.9): an access invoice with retrieval time is refused, and nothing changes', async () => {
    const r = await atInvoice();
    const refused = await quote(r, {
      lines: [
        { code: 'copy_labor', description: 'Copying, 15 minutes', amountCents: 600 },
        { code: 'retrieval', description: 'Retrieval from the archive, 1 hour', amountCents: 2500 },
      ],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('FEE-1');
    expect(refused.json().fields).toEqual([expect.objectContaining({ path: 'body.lines.1.code' })]);
    // Sending the invoice anyway: refused too, since no accepted quote carries that line.
    const invoice = await as.support!.post(`/api/requests/${r.id}/invoice`, {
      mode: 'sent',
      lines: [
        { description: 'Copying, 15 minutes', amountCents: 600 },
        { description: 'Retrieval from the archive, 1 hour', amountCents: 2500 },
      ],
    });
    expect(invoice.statusCode).toBe(400);
    expect(invoice.json().message).toContain('FEE-3');
    const after = (await as.support!.get(`/api/requests/${r.id}`)).json() as RequestDetails;
    expect(after.stage).toBe('invoice');
    expect(after.invoice).toBeNull();
    expect(await count('fee_quotes where request_id = $1', [r.id])).toBe(0);
    expect(
      await count(
        "audit_events where request_id = $1 and type in ('request.fee_quoted', 'request.invoice_recorded')",
        [r.id],
      ),
    ).toBe(0);
  });

  it.each(['search', 'retrieval', 'verification', 'review_time', 'system_costs'])(
    'FEE-1: a %s line on a client’s own records answers 400 naming FEE-1',
    async (code) => {
      const r = await createRequestAs(as.support!, clientId, {
        kind: 'representative',
        requester: { name: 'Parent' },
      });
      const res = await quote(r, { lines: [{ code, description: 'Staff time', amountCents: 1000 }] });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain('FEE-1');
      expect(await count('fee_quotes where request_id = $1', [r.id])).toBe(0);
    },
  );

  it('FEE-2: a flat fee up to $6.50 for an electronic copy; above it is refused naming FEE-2', async () => {
    const r = await createRequestAs(as.support!, clientId);
    const line = (amountCents: number) => ({
      basis: 'flat',
      lines: [{ code: 'flat_electronic', description: 'Electronic copy', amountCents }],
    });
    const over = await quote(r, line(700));
    expect(over.statusCode).toBe(400);
    expect(over.json().fields[0].message).toMatch(/\$6\.50.*FEE-2/);
    expect((await quote(r, line(650))).json().quote).toMatchObject({ basis: 'flat', totalCents: 650 });
  });

  /** California's caps as the practice's counsel confirmed them: a new version, values verified. */
  const CA_CONFIRMED = {
    jurisdiction: 'CA',
    effectiveFrom: '2026-01-01',
    notes: 'Counsel confirmed the per-page caps.',
    data: {
      title: 'California, caps confirmed',
      accessPerPageCapCents: {
        value: 25,
        source: 'Cal. Health & Safety Code §123110, confirmed by counsel',
        verified: true,
      },
      thirdPartyPerPageCapCents: {
        value: 10,
        source: 'Cal. Evid. Code §1158, confirmed by counsel',
        verified: true,
      },
    },
  };
  const copies = (unitCents: number) => ({
    basis: 'average_schedule',
    lines: [
      { code: 'per_page_copy', description: 'Paper copies', quantity: 40, unitCents },
      { code: 'postage', description: 'Mail', amountCents: 300 },
    ],
  });

  it('TIME-3: a state cap counsel has not confirmed is enforced all the same; the refusal and the quote’s warning say it is unconfirmed', async () => {
    const r = await createRequestAs(as.support!, clientId, { deliveryFormat: 'mail' });
    const over = await quote(r, copies(50));
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toMatch(/\$0\.25 a page.*§123110.*not yet confirmed by counsel/);
    expect(await count('fee_quotes where request_id = $1', [r.id])).toBe(0);
    const ok = await quote(r, copies(25));
    expect(ok.statusCode, ok.body).toBe(201);
    const q = ok.json().quote as Quote;
    expect(q).toMatchObject({ totalCents: 1300 });
    expect(q.rules).toMatchObject({
      perPageCapCents: { value: 25, jurisdiction: 'CA', verified: false, version: 1 },
    });
    const warnings = q.rules.warnings as { rule: string; message: string }[];
    expect(
      warnings.some(
        (w) =>
          w.rule === 'TIME-3' &&
          /^Applied: California’s \$0\.25 .*not yet confirmed by counsel.*§123110/.test(w.message),
      ),
    ).toBe(true);
  });

  it('TIME-3: once counsel confirms California’s lower fee, copies for the client over $0.25 a page are still refused naming §123110, and the warning is gone', async () => {
    const added = await as.privacy!.post('/api/rule-packs', CA_CONFIRMED);
    expect(added.statusCode, added.body).toBe(201);
    const r = await createRequestAs(as.support!, clientId, { deliveryFormat: 'mail' });
    const over = await quote(r, copies(50));
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toContain('§123110');
    expect(await count('fee_quotes where request_id = $1', [r.id])).toBe(0);
    const ok = (await quote(r, copies(25))).json().quote as Quote;
    expect(ok).toMatchObject({ totalCents: 1300 });
    // Confirmed: the same cap, without its warning.
    const warnings = ok.rules.warnings as { message: string }[];
    expect(warnings.some((w) => w.message.includes('$0.25'))).toBe(false);
    // FEE-3: the quote keeps the rule values it was computed under.
    expect(ok.rules).toMatchObject({
      regime: 'access',
      perPageCapCents: { value: 25, jurisdiction: 'CA', verified: true, version: 2 },
      packs: [
        expect.objectContaining({ jurisdiction: 'US' }),
        expect.objectContaining({ jurisdiction: 'CA', version: 2 }),
      ],
    });
  });

  it('FEE-5: an attorney’s request within the cap of Cal. Evid. Code §1158; over it refused naming the statute', async () => {
    const r = await createRequestAs(as.support!, clientId, {
      kind: 'authorization',
      requester: { name: 'Dana Lawyer', organization: 'Lawyer & Co' },
    });
    const copies = (unitCents: number) => ({
      lines: [
        { code: 'per_page_copy', description: 'Copies', quantity: 120, unitCents },
        { code: 'retrieval', description: 'Retrieval', amountCents: 1500 },
      ],
    });
    const over = await quote(r, copies(25));
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toMatch(/Evid\. Code §1158.*FEE-5/);
    expect((await quote(r, copies(10))).json().quote).toMatchObject({
      basis: 'statutory_schedule',
      totalCents: 2700,
    });
  });

  it.each([
    [
      'a code that is not a fee',
      { code: 'treatment_balance', description: 'Sessions in March', amountCents: 24000 },
    ],
    [
      'a line naming a past-due balance',
      { code: 'copy_labor', description: 'Past due balance', amountCents: 24000 },
    ],
  ])('FEE-4: %s is refused naming FEE-4, and no quote is stored', async (_what, line) => {
    const r = await createRequestAs(as.support!, clientId, {
      kind: 'authorization',
      requester: { name: 'Insurer' },
    });
    const res = await quote(r, { lines: [line] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('FEE-4');
    expect(await count('fee_quotes where request_id = $1', [r.id])).toBe(0);
  });

  it('FEE-5: another provider’s request (KIND-7) defaults to no fee', async () => {
    const r = await createRequestAs(as.support!, clientId, {
      kind: 'provider_continuity',
      requester: { name: 'Dr. Next', organization: 'Next Clinic' },
    });
    expect((await quote(r, {})).json().quote).toMatchObject({ basis: 'none', totalCents: 0 });
  });

  it('FEE-3, FEE-4, FEE-6: the invoice follows the accepted quote line for line, and the release does not wait on payment', async () => {
    const r = await atInvoice();
    const lines = [
      { description: 'Copying, 15 minutes', amountCents: 600 },
      { description: 'USB drive', amountCents: 500 },
    ];
    const invoice = (body: unknown) => as.support!.post(`/api/requests/${r.id}/invoice`, body);
    const noQuote = await invoice({ mode: 'sent', lines });
    expect(noQuote.statusCode).toBe(400);
    expect(noQuote.json().message).toMatch(/Quote the fee.*FEE-3/);

    const q = (
      await post('support', r, 'fee-quote', {
        lines: [
          { code: 'copy_labor', ...lines[0] },
          { code: 'supplies', ...lines[1] },
        ],
      })
    ).quote as Quote;
    const notAccepted = await invoice({ mode: 'sent', lines });
    expect(notAccepted.statusCode).toBe(400);
    expect(notAccepted.json().message).toMatch(/not agreed.*FEE-3/);

    const accepted = (
      await post('support', r, 'fee-quote/accept', { quoteId: q.id, note: 'Agreed by phone' })
    ).quote;
    expect(accepted.acceptedAt).not.toBeNull();
    const different = await invoice({ mode: 'sent', lines: [{ ...lines[0], amountCents: 900 }, lines[1]] });
    expect(different.statusCode).toBe(400);
    expect(different.json().message).toContain('FEE-3');
    const treatment = await invoice({
      mode: 'sent',
      lines: [...lines, { description: 'Unpaid session fees', amountCents: 9000 }],
    });
    expect(treatment.statusCode).toBe(400);
    expect(treatment.json().message).toContain('FEE-4');
    expect(await count('invoices where request_id = $1', [r.id])).toBe(0);

    const sent = (await post('support', r, 'invoice', { mode: 'sent', lines })) as RequestDetails;
    expect(sent.invoice).toMatchObject({
      mode: 'sent',
      amountCents: 1100,
      lines: [
        { code: 'copy_labor', description: 'Copying, 15 minutes', amountCents: 600 },
        { code: 'supplies', description: 'USB drive', amountCents: 500 },
      ],
      paidAt: null,
    });
    // FEE-6: unpaid, the request still goes on to preparation.
    expect(sent.stage).toBe('preparation');
    const after = await quote(r, {});
    expect(after.statusCode).toBe(409);
    const history = (
      await pool().query('select type from audit_events where request_id = $1 order by seq', [r.id])
    ).rows.map((x) => x.type);
    expect(history).toEqual(
      expect.arrayContaining([
        'request.fee_quoted',
        'request.fee_quote_accepted',
        'request.invoice_recorded',
      ]),
    );
  });

  it('FEE-3: only support quotes and records the agreement; another practice does not see the request; a stale or repeated agreement is refused', async () => {
    const r = await createRequestAs(as.support!, clientId);
    expect((await quote(r, {}, 'therapist')).statusCode).toBe(403); // the request's therapist: visible, not theirs
    expect((await quote(r, {}, 'privacy')).statusCode).toBe(403);
    expect((await quote(r, {}, 'txSupport')).statusCode).toBe(404);
    const first = (await post('support', r, 'fee-quote', {})).quote as Quote;
    const second = (await post('support', r, 'fee-quote', {})).quote as Quote;
    const stale = await as.support!.post(`/api/requests/${r.id}/fee-quote/accept`, { quoteId: first.id });
    expect(stale.statusCode).toBe(409);
    expect(
      (await as.privacy!.post(`/api/requests/${r.id}/fee-quote/accept`, { quoteId: second.id })).statusCode,
    ).toBe(403);
    await post('support', r, 'fee-quote/accept', { quoteId: second.id });
    expect(
      (await as.support!.post(`/api/requests/${r.id}/fee-quote/accept`, { quoteId: second.id })).statusCode,
    ).toBe(409);
    const { feeQuotes } = (await as.therapist!.get(`/api/requests/${r.id}/rules`)).json();
    expect(feeQuotes.map((x: Quote) => [x.id, !!x.acceptedAt])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
  });

  it('FEE-6: a Texas access request waits on payment only once counsel confirms §611.008(b); California never waits', async () => {
    const shipped = await createRequestAs(as.txSupport!, txClientId);
    const before = (await as.txSupport!.get(`/api/requests/${shipped.id}/rules`)).json().rules;
    expect(before.releaseMayWaitOnPayment).toMatchObject({ value: false, jurisdiction: 'US' });
    expect(
      before.warnings.some(
        (w: { rule: string; message: string }) => w.rule === 'FEE-6' && w.message.includes('§611.008(b)'),
      ),
    ).toBe(true);
    const added = await as.txPrivacy!.post('/api/rule-packs', {
      jurisdiction: 'TX',
      effectiveFrom: '2026-01-01',
      notes: 'Counsel confirmed §611.008(b).',
      data: {
        title: 'Texas, payment rule confirmed',
        releaseMayWaitOnPayment: {
          value: true,
          source: 'Tex. Health & Safety Code §611.008(b), confirmed',
          verified: true,
        },
      },
    });
    expect(added.statusCode, added.body).toBe(201);
    const confirmed = await createRequestAs(as.txSupport!, txClientId);
    const after = (await as.txSupport!.get(`/api/requests/${confirmed.id}/rules`)).json().rules;
    expect(after.releaseMayWaitOnPayment).toMatchObject({ value: true, jurisdiction: 'TX', verified: true });
    const ca = await createRequestAs(as.support!, clientId);
    const caRules = (await as.support!.get(`/api/requests/${ca.id}/rules`)).json().rules;
    expect(caRules.releaseMayWaitOnPayment).toMatchObject({ value: false, jurisdiction: 'US' });
  });
});

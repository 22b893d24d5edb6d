// The request page's compliance screens in the browser, on requests walked to their release task
// through the API: (a) support records the client's authorization, then its written revocation, and
// release is blocked (AUTH-5); (b) a subpoena's LEGAL-2 checklist, by support, and the privacy
// officer's privilege record unblock its release; (c) support assembles the packet with the records
// in the order chosen, and sends a secure link whose phone code is shown once (REL-5, REL-2).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPdf, toRelease, upload, validAuthorization, type World } from '../test/packets/support.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../test/support/factories.js';
import { runJobs } from '../test/support/requests.js';
import { type Agent, signIn as apiSignIn } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openPanel, type Person, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const NOW = '2027-03-01T18:00:00Z'; // Monday 10:00 in Los Angeles

interface Details {
  id: string;
  number: string;
  releaseBlockers: { rule: string; message: string }[];
  authorizations: { id: string; valid: boolean; revocation: unknown }[];
  exceptions: { kind: string }[];
}

describe.skipIf(!chromiumAvailable())(
  'request page: authorization, subpoena checklist, packet and secure link',
  () => {
    let server: Served;
    let browser: Browser;
    let w: World;
    const u: Record<string, TestUser> = {};
    const people: Person[] = [];
    const pages: Record<string, Page> = {};

    beforeAll(async () => {
      [server, browser] = await Promise.all([serve(), launch()]);
      server.clock.set(NOW);
      const practice = await createPractice(server, {
        name: 'Riverbend Counseling',
        timeZone: 'America/Los_Angeles',
      });
      u.support = await createUser(server, practice, ['support'], { name: 'Sam Ortiz' });
      u.therapist = await createUser(server, practice, ['therapist'], { name: 'Dr. Maya Rivera' });
      u.supervisor = await createUser(server, practice, ['supervisor'], { name: 'Dr. Lena Park' });
      u.clinical = await createUser(server, practice, ['clinical_services'], { name: 'Chris Lee' });
      u.privacy = await createUser(server, practice, ['privacy_officer'], { name: 'Priya Shah' });
      await linkSupervisor(server, u.therapist, u.supervisor);
      const client = await createClient(server, practice, u.therapist, {
        firstName: 'Jordan',
        lastName: 'Avery',
        dateOfBirth: '1988-07-14',
      });
      const as: Record<string, Agent> = {};
      for (const [k, user] of Object.entries(u)) as[k] = await apiSignIn(server, user);
      w = { t: server, u, as, client, practiceName: practice.name };
    });

    afterAll(async () => {
      for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
      await browser?.close();
      await server?.close();
    });

    /** One browser sign-in per person (a TOTP code is good once: the clock moves on first). */
    async function pageOf(who: 'support' | 'privacy'): Promise<Page> {
      if (!pages[who]) {
        server.clock.advance(31_000);
        pages[who] = await signInAs(browser, server, u[who]!, people);
      }
      return pages[who]!;
    }

    const details = async (id: string): Promise<Details> =>
      (await w.as.support!.get(`/api/requests/${id}`)).json();

    async function openTab(page: Page, requestId: string, tab: string) {
      await page.goto(`/requests/${requestId}`);
      await page.getByRole('tab', { name: tab }).click();
    }

    it('AUTH-1, AUTH-5: support records the authorization, then its revocation, and release is blocked', async () => {
      const r = await toRelease(w, {
        kind: 'authorization',
        requester: { name: 'Łukasz Nowak', organization: 'Harbor Clinic', email: 'lukasz@harbor.test' },
        documentClasses: ['progress_notes'],
        purpose: 'Continuing care',
      });
      const page = await pageOf('support');
      await openTab(page, r.id, 'Authorization and legal');
      const panel = page.getByRole('tabpanel', { name: 'Authorization and legal' });
      await panel.getByText('No authorization recorded yet.').waitFor();

      await openPanel(panel.getByRole('button', { name: 'Record a signed authorization' }));
      const form = page.getByRole('form', { name: 'Record an authorization' });
      await form.getByRole('button', { name: 'Fill in from the request' }).click();
      await expect
        .poll(() => form.getByLabel('Who receives it').inputValue())
        .toBe('Łukasz Nowak, Harbor Clinic');
      await form.getByLabel('Signed by', { exact: true }).fill('Jordan Avery');
      await form.getByLabel('Date of the signature').fill('2027-02-22');
      await form.getByLabel('Who may share it').fill('Riverbend Counseling');
      await form.getByLabel('Permission ends on').fill('2027-12-31');
      // The redisclosure statement is left unticked: the record says what is missing.
      await form.getByLabel(/may take back \(revoke\)/).check();
      await form.getByLabel('Whether treatment depends on signing').check();
      await form.getByRole('button', { name: 'Record the authorization' }).click();

      const card = panel.getByRole('article', { name: 'Authorization signed by Jordan Avery' });
      await card.getByText('Not valid', { exact: true }).waitFor();
      await card.getByText(/Not valid because/).waitFor();
      expect(await card.textContent()).toMatch(/redisclos/i);
      // The same form again, complete this time.
      await openPanel(panel.getByRole('button', { name: 'Record a signed authorization' }));
      await form.getByRole('button', { name: 'Fill in from the request' }).click();
      await form.getByLabel('Signed by', { exact: true }).fill('Jordan Avery');
      await form.getByLabel('Date of the signature').fill('2027-02-23');
      await form.getByLabel('Who may share it').fill('Riverbend Counseling');
      await form.getByLabel('Permission ends on').fill('2027-12-31');
      await form.getByLabel(/may take back \(revoke\)/).check();
      await form.getByLabel('Whether treatment depends on signing').check();
      await form.getByLabel(/may share it again/).check();
      await form.getByRole('button', { name: 'Record the authorization' }).click();
      const valid = panel.getByRole('article').filter({ hasText: '23 Feb 2027' });
      await valid.getByText('Valid', { exact: true }).waitFor();
      expect((await details(r.id)).releaseBlockers).toEqual([]);
      await screenshot(page, '40-authorization-recorded');
      await expectAccessible(page, '40-authorization-recorded');

      // The client revokes it in writing: an empty note is stopped in the browser, nothing is sent.
      // Each panel is used once it has finished opening (openPanel): a click while it still grows
      // can be lost (CI once saw no "Required." after a submit that never happened).
      await openPanel(valid.getByRole('button', { name: 'The client revoked it' }));
      const revoke = valid.getByRole('form', { name: 'Record the revocation' });
      await revoke.getByLabel('When the written revocation was received').fill('2027-03-01T09:15');
      await revoke.getByRole('button', { name: 'Record the revocation' }).click();
      await revoke.getByText('Required.').waitFor();
      await revoke
        .getByLabel('How it arrived and what it says')
        .fill('Letter from the client, received by mail.');
      await revoke.getByRole('button', { name: 'Record the revocation' }).click();
      await valid.getByText('Revoked', { exact: true }).waitFor();

      const after = await details(r.id);
      const blocker = after.releaseBlockers[0];
      expect(JSON.stringify(after.releaseBlockers)).toMatch(/revoke/i);
      const release = page.getByRole('form', { name: 'Record the release' });
      await release.getByText('Release is blocked').waitFor();
      await release.getByText(blocker!.message).waitFor();
      expect(await release.getByRole('button', { name: 'Record the release' }).isDisabled()).toBe(true);
      await screenshot(page, '41-authorization-revoked-release-blocked');
      await expectAccessible(page, '41-authorization-revoked-release-blocked');
    });

    it("LEGAL-2: a subpoena's checklist by support and the privacy officer's privilege record unblock its release", async () => {
      const r = await toRelease(w, {
        kind: 'subpoena',
        requester: {
          name: 'Counsel for plaintiff',
          organization: 'Hart & Lowe LLP',
          email: 'counsel@hartlowe.test',
        },
        documentDueDate: '2027-04-30',
        documentClasses: ['progress_notes'],
        purpose: 'Subpoena duces tecum in Lopez v. Acme',
      });
      expect((await details(r.id)).releaseBlockers.map((b) => b.rule)).toEqual(['LEGAL-2']);

      const page = await pageOf('support');
      await openTab(page, r.id, 'Authorization and legal');
      const checklist = page.getByRole('region', { name: 'Subpoena checklist' });
      await checklist.getByText('Satisfactory assurance: missing').waitFor();
      await checklist.getByText('Privilege: missing').waitFor();
      // Support may not record privilege: only the privacy officer's form is missing here.
      expect(
        await checklist.getByRole('button', { name: 'Record how privilege was addressed' }).count(),
      ).toBe(0);
      await screenshot(page, '42-subpoena-checklist-missing');
      await expectAccessible(page, '42-subpoena-checklist-missing');

      await openPanel(checklist.getByRole('button', { name: 'Record the satisfactory assurance' }));
      const form = checklist.getByRole('form', { name: 'Record the satisfactory assurance' });
      await form.getByLabel('Notice sent to the client on').fill('2027-02-01');
      // The time to object is not over yet: the API refuses, and says why next to the button.
      await form.getByLabel('Last day for the client to object').fill('2027-03-05');
      await form
        .getByLabel('The documents received')
        .fill("Counsel's written statement with a copy of the notice.");
      await form.getByRole('button', { name: 'Record the assurance' }).click();
      await form.getByText(/time to object runs until the end of 2027-03-05/).waitFor();
      await screenshot(page, '43-subpoena-assurance-refused');
      // Nothing typed was lost; with the right deadline it is recorded.
      expect(await form.getByLabel('The documents received').inputValue()).toContain('written statement');
      await form.getByLabel('Last day for the client to object').fill('2027-02-19');
      await form.getByRole('button', { name: 'Record the assurance' }).click();
      await checklist.getByText('Satisfactory assurance: on record').waitFor();

      const privacy = await pageOf('privacy');
      await openTab(privacy, r.id, 'Authorization and legal');
      const pChecklist = privacy.getByRole('region', { name: 'Subpoena checklist' });
      await openPanel(pChecklist.getByRole('button', { name: 'Record how privilege was addressed' }));
      const pForm = pChecklist.getByRole('form', { name: 'Record how privilege was addressed' });
      await pForm.getByLabel('A court order').check();
      await pForm.getByLabel('Details').fill('Order of Judge Ruiz, 20 Feb 2027, compels the progress notes.');
      await pForm.getByRole('button', { name: 'Record the privilege decision' }).click();
      await pChecklist.getByText('Privilege: on record').waitFor();
      await pChecklist.getByText(/no longer blocks release/).waitFor();
      expect((await details(r.id)).releaseBlockers).toEqual([]);
      await screenshot(privacy, '44-subpoena-checklist-complete');
      await expectAccessible(privacy, '44-subpoena-checklist-complete');

      // Support's page now offers the release, unblocked.
      await page.goto(`/requests/${r.id}`);
      const release = page.getByRole('form', { name: 'Record the release' });
      await release.waitFor();
      expect(await release.getByText('Release is blocked').count()).toBe(0);
      expect(await release.getByRole('button', { name: 'Record the release' }).isDisabled()).toBe(false);
    });

    it('REL-5, REL-2: support assembles the packet in the chosen order and sends a link whose phone code shows once', async () => {
      const r = await toRelease(w, {
        kind: 'authorization',
        requester: { name: 'Łukasz Nowak', organization: 'Harbor Clinic', email: 'lukasz@harbor.test' },
        documentClasses: ['progress_notes'],
      });
      const auth = await w.as.support!.post(
        `/api/requests/${r.id}/authorizations`,
        validAuthorization({ documentClasses: ['progress_notes'], recipient: 'Harbor Clinic' }),
      );
      expect(auth.statusCode, auth.body).toBe(201);
      const first = await upload(w, r.id, 'notes-february.pdf', await recordPdf('February note'), {
        documentClass: 'progress_notes',
        dateFrom: '2026-02-01',
        dateTo: '2026-02-28',
      });
      const second = await upload(w, r.id, 'notes-march.pdf', await recordPdf('March note', 2), {
        documentClass: 'progress_notes',
        dateFrom: '2026-03-01',
        dateTo: '2026-03-31',
      });

      const page = await pageOf('support');
      await openTab(page, r.id, 'Packet and delivery');
      const panel = page.getByRole('tabpanel', { name: 'Packet and delivery' });
      await panel.getByText('No packet yet.').waitFor();
      const assemble = panel.getByRole('form', { name: 'Assemble the packet' });
      // The list starts in upload order; the record shown second is moved to the top.
      const top = (await assemble.getByRole('listitem').first().textContent()) ?? '';
      const [lead, moved] = top.includes('notes-march.pdf') ? [second, first] : [first, second];
      await assemble.getByRole('button', { name: `Move ${moved.name} up` }).click();
      await expect
        .poll(async () => (await assemble.getByRole('listitem').first().textContent()) ?? '')
        .toContain(moved.name);
      await assemble.getByRole('button', { name: 'Assemble version 1' }).click();
      await panel.getByText('Being assembled', { exact: true }).waitFor();
      await runJobs(server);
      const v1 = panel.getByRole('article', { name: 'Packet version 1' });
      await v1.getByText('Ready', { exact: true }).waitFor();
      await v1.getByText(/SHA-256/).waitFor();
      await v1.getByRole('link', { name: 'Download version 1 (PDF)' }).waitFor();
      const packets = (await w.as.support!.get(`/api/requests/${r.id}/packets`)).json() as {
        packets: { sourceFileIds: string[]; sha256: string; pageCount: number }[];
      };
      expect(packets.packets[0]!.sourceFileIds).toEqual([moved.id, lead.id]);
      expect(await v1.textContent()).toContain(packets.packets[0]!.sha256);
      expect(await v1.textContent()).toContain(`${packets.packets[0]!.pageCount} pages`);

      const send = panel.getByRole('form', { name: 'Send a secure link' });
      expect(await send.getByLabel('Recipient’s email').inputValue()).toBe('lukasz@harbor.test');
      expect(await send.getByLabel('A code we read to them by phone').isChecked()).toBe(true);
      await send.getByRole('button', { name: 'Send the secure link' }).click();
      await panel.getByText('Read this code to the recipient by phone').waitFor();
      const code = ((await panel.getByText(/^\d{6}$/).textContent()) ?? '').trim();
      expect(code).toMatch(/^\d{6}$/);
      await panel.getByText('This code is shown only once', { exact: false }).waitFor();
      await screenshot(page, '45-secure-link-phone-code');
      await expectAccessible(page, '45-secure-link-phone-code');

      await panel.getByRole('button', { name: 'I have read it to them' }).click();
      const link = panel.getByRole('article', { name: 'Link to lukasz@harbor.test' });
      await link.getByText('Active', { exact: true }).waitFor();
      await link.getByText(/0 of 5 downloads used \(5 left\)/).waitFor();
      expect(await page.locator('body').textContent()).not.toContain(code);
      // Neither the page after a reload nor the API shows the code again.
      await openTab(page, r.id, 'Packet and delivery');
      await panel.getByRole('article', { name: 'Link to lukasz@harbor.test' }).waitFor();
      expect(await page.locator('body').textContent()).not.toContain(code);
      expect((await w.as.support!.get(`/api/requests/${r.id}/links`)).body).not.toContain(code);
      await screenshot(page, '46-packet-and-links');
      await expectAccessible(page, '46-packet-and-links');

      // Revoked with a reason: the link says so.
      await link.getByRole('button', { name: 'Revoke…' }).click();
      await link.getByLabel('Why revoke it').fill('Sent to the wrong address.');
      await link.getByRole('button', { name: 'Revoke the link' }).click();
      await link.getByText(/Revoked .* by Sam Ortiz: Sent to the wrong address\./).waitFor();
    });
  },
);

// The public request form in the browser (issue 7), on a phone: a client asks for their own records
// at /request (the kind first, one question per screen), enters the code from the email, and sees
// the confirmation with the request number; the same in Spanish with the keyboard only. Axe finds
// no serious or critical violation on any screen. The run PRINTS how many screens and fields a
// client passes through to submit a request for their own records (fewer is better).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailConfig, type Sink, startSink } from '../test/mail/support.js';
import { askCode, codeFrom, onePagePdf, submitForm } from '../test/portal/intake-helpers.js';
import { createClient, createPractice, createUser, type TestUser } from '../test/support/factories.js';
import { randomIp } from '../test/support/session.js';
import { expectAccessible } from './support/a11y.js';
import { launch, openAs, type Person, PHONE, screenshot } from './support/browser.js';
import { chromiumAvailable } from './support/chromium.js';
import { type Served, serve } from './support/server.js';
import { signInAs } from './support/sign-in.js';

const DOB = '1991-06-15';

/**
 * The answers a screen asks for: each text, date, email or code input is one, a group of radio
 * buttons or checkboxes is one; the hidden honeypot is not counted (people never see it).
 */
const COUNT_FIELDS = `(() => {
  const main = document.querySelector('main');
  const inputs = [...main.querySelectorAll('input, textarea, select')].filter(
    (el) => el.getAttribute('tabindex') !== '-1' && !el.closest('[aria-hidden="true"]'),
  );
  const groups = new Set();
  let fields = 0;
  for (const el of inputs) {
    const type = el.getAttribute('type');
    if (type === 'radio' || type === 'checkbox') {
      const group = el.closest('[role="radiogroup"], [role="group"], fieldset');
      groups.add(group ? group.id || group.outerHTML.slice(0, 80) : el.getAttribute('name') || el.id);
    } else fields++;
  }
  return fields + groups.size;
})()`;

describe.skipIf(!chromiumAvailable())('journey: a client asks for their own records at /request', () => {
  let server: Served;
  let browser: Browser;
  let sink: Sink;
  let support: TestUser;
  let practiceId: string;
  const people: Person[] = [];

  beforeAll(async () => {
    sink = await startSink();
    [server, browser] = await Promise.all([
      serve({ mail: mailConfig({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` }) }),
      launch(),
    ]);
    const practice = await createPractice(server, {
      name: 'Riverbend Counseling',
      privacyOfficerPhone: '555-0100',
    });
    practiceId = practice.id;
    support = await createUser(server, practice, ['support']);
    const therapist = await createUser(server, practice, ['therapist']);
    await createClient(server, practice, therapist, {
      firstName: 'Ngọc',
      lastName: 'Trần',
      dateOfBirth: DOB,
    });
  });

  afterAll(async () => {
    for (const p of people) expect(p.problems, 'no script errors or CSP violations').toEqual([]);
    await browser?.close();
    await server?.close();
    await sink?.stop();
  });

  const codeFor = async (email: string): Promise<string> => {
    for (let i = 0; i < 50; i++) {
      const m = sink.messages.filter((x) => x.rcptTo.includes(email)).at(-1);
      const code = m?.parsed.text?.match(/\b(\d{6})\b/)?.[1];
      if (code) return code;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no code emailed to ${email}`);
  };

  /** The screen's heading has the focus, and how many answers the screen asks for. */
  async function screen(page: Page, title: string | RegExp) {
    const h1 = page.getByRole('heading', { level: 1, name: title });
    await h1.waitFor();
    const focused = await page.evaluate('document.activeElement?.tagName');
    expect(focused, `focus on the heading of "${String(title)}"`).toBe('H1');
    return page.evaluate<number>(COUNT_FIELDS);
  }

  it('on a phone, in English: the kind, about you, which records, how, the email, the code, the confirmation', async () => {
    const p = await openAs(browser, server.baseURL, PHONE);
    people.push(p);
    const { page } = p;
    const email = 'ngoc@example.test';
    const counted: { title: string; fields: number }[] = [];
    const pass = async (title: string, fill: () => Promise<void>, button: string | RegExp = 'Continue') => {
      counted.push({ title, fields: await screen(page, title) });
      await expectAccessible(page, `the request form: ${title}`);
      await fill();
      await page.getByRole('button', { name: button }).click();
    };

    await page.goto('/request');
    await expect.poll(() => page.getByText('Riverbend Counseling').first().isVisible()).toBe(true);
    await screenshot(page, 'portal-intake-choice-phone');
    await pass('What would you like to do?', async () => {
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('alert').getByText('Please check the highlighted answers.').waitFor();
      await page.getByRole('radio', { name: 'Get a copy of my own records' }).check();
    });
    await pass('About you', async () => {
      await page.getByLabel('First name').fill('Ngọc');
      await page.getByLabel('Last name').fill('Trần');
      await page.getByLabel('Date of birth').fill(DOB);
    });
    await pass('Which records?', async () => undefined);
    await pass('How would you like to get them?', async () => undefined);
    await pass(
      'Where can we email you?',
      async () => {
        await page.getByLabel('Email address').fill(email);
        await screenshot(page, 'portal-intake-email-phone');
      },
      'Email me a code',
    );
    const powMs = Number(await page.locator('[data-pow-ms]').getAttribute('data-pow-ms'));
    await pass(
      'Enter your code',
      async () => {
        await page.getByLabel('6-digit code').fill(await codeFor(email));
        await screenshot(page, 'portal-intake-code-phone');
      },
      'Send my request',
    );
    await page.getByRole('heading', { level: 1, name: 'We have your request' }).waitFor();
    const number = (await page.getByTestId('request-number').textContent())!.trim();
    expect(number).toMatch(/^R-\d{4}-\d{4}$/);
    await page.getByText('ngoc@example.test').first().waitFor();
    await expectAccessible(page, 'the request form: confirmation');
    await screenshot(page, 'portal-intake-done-phone');
    const { rows } = await server.running.services.database.pool.query(
      'select kind, channel, language, requester_email from requests where number = $1',
      [number],
    );
    expect(rows[0]).toEqual({
      kind: 'client_access',
      channel: 'portal',
      language: 'en',
      requester_email: email,
    });

    const screens = counted.length + 1;
    const fields = counted.reduce((n, c) => n + c.fields, 0);
    console.log(
      `[portal-intake] own records: ${screens} screens (${counted.length} to answer + the confirmation), ${fields} fields (${counted.map((c) => `${c.title} ${c.fields}`).join('; ')}); proof of work solved in ${powMs} ms`,
    );
    expect(screens).toBeLessThanOrEqual(7);
  });

  it('en español, solo con el teclado: the same journey, every screen reached and answered by keyboard', async () => {
    const p = await openAs(browser, server.baseURL, PHONE);
    people.push(p);
    const { page } = p;
    const email = 'ngoc.es@example.test';
    await page.goto('/request');
    await page.getByRole('heading', { level: 1, name: 'What would you like to do?' }).waitFor();
    const keys = async (...list: string[]) => {
      for (const k of list) await page.keyboard.press(k);
    };
    /** Tab forward until `name` has the focus (as a keyboard user would). */
    const tabTo = async (role: 'radio' | 'textbox' | 'button', name: string | RegExp, key = 'Tab') => {
      const target = page.getByRole(role, { name }).first();
      for (let i = 0; i < 25; i++) {
        if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
        await page.keyboard.press(key);
      }
      throw new Error(`Tab never reached ${String(name)}`);
    };
    // The language switch is in the header, before the heading: back up to it, then the arrow key.
    await tabTo('radio', 'English', 'Shift+Tab');
    await keys('ArrowRight');
    await screen(page, '¿Qué desea hacer?');
    await tabTo('radio', 'Pedir una copia de mis propios expedientes');
    await keys('Space', 'Enter');
    await screen(page, 'Sobre usted');
    await tabTo('textbox', 'Nombre');
    await page.keyboard.type('Ngọc');
    await tabTo('textbox', 'Apellido');
    await page.keyboard.type('Trần');
    await tabTo('textbox', 'Fecha de nacimiento');
    await page.keyboard.type('06151991');
    await keys('Enter');
    await screen(page, '¿Qué expedientes?');
    await expectAccessible(page, 'el formulario: expedientes');
    await tabTo('button', 'Continuar');
    await keys('Enter');
    await screen(page, '¿Cómo desea recibirlos?');
    await tabTo('button', 'Continuar');
    await keys('Enter');
    await screen(page, '¿A qué correo le escribimos?');
    await tabTo('textbox', 'Correo electrónico');
    await page.keyboard.type(email);
    await keys('Enter');
    await screen(page, 'Escriba su código');
    await tabTo('textbox', 'Código de 6 dígitos');
    await page.keyboard.type('000000');
    await keys('Enter');
    // A wrong code is announced in words, and the field keeps the focus order.
    await page
      .getByRole('alert')
      .getByText(/Ese código no es correcto/)
      .waitFor();
    await page.getByLabel('Código de 6 dígitos').fill('');
    await tabTo('textbox', 'Código de 6 dígitos');
    await page.keyboard.type(await codeFor(email));
    await keys('Enter');
    await page.getByRole('heading', { level: 1, name: 'Recibimos su solicitud' }).waitFor();
    await expectAccessible(page, 'el formulario: confirmación');
    await screenshot(page, 'portal-intake-done-phone-es');
    const number = (await page.getByTestId('request-number').textContent())!.trim();
    const { rows } = await server.running.services.database.pool.query(
      'select language from requests where number = $1',
      [number],
    );
    expect(rows[0]?.language).toBe('es');
    const codeMail = sink.messages.filter((m) => m.rcptTo.includes(email)).at(0)!;
    expect(codeMail.parsed.subject).toContain('Su código');
  });

  it('markup a requester typed shows as plain text on support’s request page, and never runs', async () => {
    const SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const email = 'parent@example.test';
    const ip = randomIp();
    expect((await askCode(server, { practiceId, email }, ip)).statusCode).toBe(202);
    const res = await submitForm(
      server,
      {
        practiceId,
        kind: 'parent_guardian',
        email,
        code: codeFrom(sink, email),
        client: { firstName: 'Ngọc', lastName: 'Trần', dateOfBirth: DOB },
        requester: { name: `Ana ${SCRIPT}`, relationship: SCRIPT },
        purpose: `School ${SCRIPT}`,
        records: ['billing'],
      },
      ip,
    );
    expect(res.statusCode, res.body).toBe(201);
    const { rows } = await server.running.services.database.pool.query(
      'select id from requests where number = $1',
      [res.json().number],
    );
    const page = await signInAs(browser, server, support, people);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`/requests/${rows[0].id}`);
    await page.getByText(`Ana ${SCRIPT}`).first().waitFor();
    expect(await page.locator('main img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await screenshot(page, 'portal-intake-staff-markup-inert');
  });

  it('an attorney with the client’s signed authorization: who they are, whose records, what for, the document, the code (KIND-3, AUTH-1)', async () => {
    const p = await openAs(browser, server.baseURL, PHONE);
    people.push(p);
    const { page } = p;
    const email = 'lee@leelaw.test';
    const next = (name: string | RegExp = 'Continue') => page.getByRole('button', { name }).click();
    await page.goto('/request');
    await screen(page, 'What would you like to do?');
    await page.getByRole('radio', { name: 'I am a third party with a signed authorization' }).check();
    await next();
    await screen(page, 'About you');
    await page.getByLabel('Your full name').fill('Lee Park');
    await page.getByLabel(/Your organization/).fill('Park Law');
    await next();
    await screen(page, 'Whose records?');
    await page.getByLabel('First name').fill('Ngọc');
    await page.getByLabel('Last name').fill('Trần');
    await page.getByLabel('Date of birth').fill(DOB);
    await next();
    await screen(page, 'Which records?');
    await next();
    await screen(page, 'What are the records for?');
    await page.getByLabel('Purpose').fill('Personal injury claim');
    await next();
    await screen(page, 'How would you like to get them?');
    await next();
    await screen(page, 'Add documents');
    await next();
    await page.getByRole('alert').getByText('Please check the highlighted answers.').waitFor();
    await page.getByText('Please add this document.').waitFor();
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({
        name: 'authorization.pdf',
        mimeType: 'application/pdf',
        buffer: await onePagePdf('Authorization'),
      });
    await expectAccessible(page, 'the request form: documents');
    await screenshot(page, 'portal-intake-documents-phone');
    await next();
    await screen(page, 'Where can we email you?');
    await page.getByLabel('Email address').fill(email);
    await next('Email me a code');
    await screen(page, 'Enter your code');
    await page.getByLabel('6-digit code').fill(codeFrom(sink, email));
    await next('Send my request');
    await page.getByRole('heading', { level: 1, name: 'We have your request' }).waitFor();
    const number = (await page.getByTestId('request-number').textContent())!.trim();
    const { rows } = await server.running.services.database.pool.query(
      `select r.kind, r.purpose, r.requester_organization as org, array_agg(f.purpose) as files
         from requests r join files f on f.request_id = r.id where r.number = $1 group by r.id`,
      [number],
    );
    expect(rows[0]).toEqual({
      kind: 'authorization',
      purpose: 'Personal injury claim',
      org: 'Park Law',
      files: ['authorization'],
    });
  });
});

// Signing in through the form, as a person would: email and password, then the authenticator code.
import type { Browser, Page } from 'playwright-core';
import type { TestUser } from '../../test/support/factories.js';
import { DESKTOP, openAs, type Person } from './browser.js';
import { codeFor, type Served } from './server.js';

/** A fresh browser context signed in as `user` on My tasks; the person is added to `people` for the end-of-suite checks. */
export async function signInAs(
  browser: Browser,
  server: Served,
  user: TestUser,
  people: Person[],
  viewport = DESKTOP,
): Promise<Page> {
  const person = await openAs(browser, server.baseURL, viewport);
  people.push(person);
  const { page } = person;
  await page.goto('/');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code from your authenticator app').fill(codeFor(server, user));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'My tasks' }).waitFor();
  return page;
}

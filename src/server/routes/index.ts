import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './audit/index.js';
import { authRoutes } from './auth/index.js';
import { clientsRoutes } from './clients/index.js';
import { filesRoutes } from './files/index.js';
import { holidaysRoutes } from './holidays/index.js';
import { homeRoutes } from './home/index.js';
import { meRoutes } from './me/index.js';
import { myTasksRoutes } from './me/tasks.js';
import { requestRoutes } from './requests/index.js';
import { rulePackRoutes } from './rule-packs/index.js';
import { usersRoutes } from './users/index.js';

/** Every route area of the API, in one place. */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(homeRoutes);
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(myTasksRoutes);
  await app.register(usersRoutes);
  await app.register(clientsRoutes);
  await app.register(auditRoutes);
  await app.register(requestRoutes);
  await app.register(rulePackRoutes);
  await app.register(filesRoutes);
  await app.register(import('./accounting/index.js'));
  await app.register(holidaysRoutes);
  await app.register(import('./packets/index.js'));
  await app.register(import('./links/index.js'));
  await app.register(import('./mail/index.js'));
  await app.register(import('./payments/index.js'));
  await app.register(import('./drafts/index.js'));
  await app.register(import('./portal/intake.js'));
  await app.register(import('./portal/index.js'));
  await app.register(import('./portal/sign.js'));
}

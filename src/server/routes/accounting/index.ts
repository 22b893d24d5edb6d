// The disclosure log and the accounting of disclosures (rules REL-3, REL-4, TIME-4, FEE-7).
import type { FastifyPluginAsync } from 'fastify';
import { disclosureLogRoutes } from './disclosures.js';
import { accountingRequestRoutes } from './requests.js';

export const accountingRoutes: FastifyPluginAsync = async (app) => {
  await app.register(disclosureLogRoutes);
  await app.register(accountingRequestRoutes);
};

export default accountingRoutes;

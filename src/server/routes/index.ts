import type { FastifyInstance } from 'fastify';

/** Every route area of the API, in one place. */
export async function registerRoutes(_app: FastifyInstance): Promise<void> {}

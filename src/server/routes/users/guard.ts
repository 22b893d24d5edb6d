import type { FastifyRequest } from 'fastify';
import { type Ability, hasAbility } from '../../auth/abilities.js';
import type { Actor } from '../../context.js';
import { ForbiddenError } from '../../errors.js';
import { requireActor } from '../../http/auth-context.js';

/** 401 when not signed in; 403 with the reason when signed in without the ability (SEC-2). */
export function requireAbility(req: FastifyRequest, ability: Ability): Actor {
  const actor = requireActor(req);
  if (!hasAbility(actor, ability)) {
    throw new ForbiddenError(
      ability === 'manage_settings'
        ? 'Only an administrator can change the practice settings.'
        : 'Only an administrator can manage staff accounts.',
      { ability },
    );
  }
  return actor;
}

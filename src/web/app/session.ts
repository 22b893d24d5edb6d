// The signed-in person, for every page below the sign-in gate.
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext } from 'react';
import { post, setCsrfToken } from '../api/client';
import { keys } from '../api/hooks';
import type { Me } from '../api/types';

export const MeContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useSession outside the signed-in app');
  return me;
}

/** Why the sign-in page shows (signed out by the server, by the idle timer, or by the person). */
export const SignedOutContext = createContext<{
  reason: string | null;
  setReason: (reason: string | null) => void;
}>({ reason: null, setReason: () => {} });

export function useSignOut(): (reason?: string) => Promise<void> {
  const qc = useQueryClient();
  const { setReason } = useContext(SignedOutContext);
  return useCallback(
    async (reason = 'You signed out.') => {
      try {
        await post('/api/auth/logout', {});
      } catch {
        // Already signed out on the server: nothing more to do.
      }
      setCsrfToken(null);
      setReason(reason);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.instance[0] });
      qc.setQueryData(keys.me, null);
    },
    [qc, setReason],
  );
}

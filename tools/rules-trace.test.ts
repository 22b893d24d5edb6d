import { describe, expect, it } from 'vitest';
import { mentions, parseRules, testTitles } from './rules-trace.js';

describe('rules:trace', () => {
  it('reads rule IDs and tags from the rulebook, including kinds with their code names', () => {
    const md =
      '- KIND-1 `client_access` [law]: the client…\n- TIME-3 [law, verify] State law…\n- not a rule\n';
    expect(parseRules(md)).toEqual([
      { id: 'KIND-1', tag: 'law' },
      { id: 'TIME-3', tag: 'law, verify' },
    ]);
  });

  it('finds test titles in it(), describe() and it.each()() calls', () => {
    const src = `describe('SEC-2: access', () => {
      it("TIME-2: due in 30 days", async () => {});
      it.each([[1, 2]])('REV-1: outcome %s', async (a) => {});
    });`;
    expect(testTitles(src)).toEqual(['SEC-2: access', 'TIME-2: due in 30 days', 'REV-1: outcome %s']);
  });

  it('matches an ID as a whole token: TIME-1 is not TIME-12 and not XTIME-1', () => {
    expect(mentions('rule TIME-1: clocks', 'TIME-1')).toBe(true);
    expect(mentions('TIME-12', 'TIME-1')).toBe(false);
    expect(mentions('PART2-1', 'T2-1')).toBe(false);
  });
});

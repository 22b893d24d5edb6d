// The CI audit phase's verdict on npm's JSON report: a high or critical advisory fails, lower ones
// are printed and pass, and a report npm could not get says that nothing was checked.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditVerdict, DEPENDENCY_REVIEW, type Report } from './audit-prod.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const report = (severity: 'moderate' | 'high' | 'critical'): Report => ({
  vulnerabilities: {
    'some-lib': {
      severity,
      isDirect: false,
      via: [{ title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-xxxx' }],
      fixAvailable: { name: 'fastify', version: '5.99.0' },
    },
  },
  metadata: {
    vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, [severity]: 1 },
    dependencies: { prod: 321 },
  },
});

describe('npm audit of the production dependencies (CI phase)', () => {
  it('fails on a high or critical advisory, naming the package, the advisory and the fix', () => {
    for (const level of ['high', 'critical'] as const) {
      const v = auditVerdict(report(level));
      expect(v).toMatchObject({ checked: true, serious: 1 });
      expect(v.lines.join('\n')).toContain(
        'some-lib: Prototype pollution https://github.com/advisories/GHSA-xxxx [fix: fastify@5.99.0]',
      );
      expect(v.lines.at(-1)).toMatch(/^FAIL: 1 production dependency/);
    }
  });

  it('prints a moderate advisory and passes', () => {
    const v = auditVerdict(report('moderate'));
    expect(v).toMatchObject({ checked: true, serious: 0 });
    expect(v.lines[0]).toBe(
      'npm audit (production dependencies: 321): 0 critical, 0 high, 1 moderate, 0 low, 0 info',
    );
  });

  it('says plainly that nothing was checked when the advisory service answered with an error', () => {
    const v = auditVerdict({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
    });
    expect(v).toMatchObject({ checked: false, serious: 0 });
    expect(v.lines[0]).toContain('could NOT check');
    expect(v.lines[0]).toContain('405 Method Not Allowed');
    // It points at the last review by hand, a file that exists in the repository.
    expect(v.lines.join('\n')).toContain(DEPENDENCY_REVIEW);
    expect(existsSync(path.join(repo, DEPENDENCY_REVIEW))).toBe(true);
  });
});

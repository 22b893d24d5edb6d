// The SMTP timeouts, the send job's time limit and its expiry fit inside one another (issue 8):
// a conversation's longest single wait ends before the worker stops the job, which it does before
// pg-boss counts the job as lost. Numbers only, no clock.
import { describe, expect, it } from 'vitest';
import { mailConfigFromEnv } from '../config.js';
import { JOB_EXPIRY_SECONDS, mailSendExpirySeconds } from '../jobs/send.js';
import { timeLimitMs } from '../jobs/worker.js';
import {
  INTERACTIVE_SEND_MS,
  replyTimeoutMs,
  SMTP_CONNECTION_TIMEOUT_MS,
  SMTP_SOCKET_TIMEOUT_MS,
} from './transport.js';

describe('SMTP timeouts and the send job', () => {
  it('waits the 10 minutes RFC 5321 4.5.3.2 gives the end of DATA, not less', () => {
    expect(SMTP_SOCKET_TIMEOUT_MS).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it('a conversation that connects and then waits out one reply ends before the job’s time limit, with room for the rest', () => {
    const expiryMs = JOB_EXPIRY_SECONDS['mail.send'] * 1000;
    const limitMs = timeLimitMs(JOB_EXPIRY_SECONDS['mail.send']);
    const longestWaitMs = SMTP_CONNECTION_TIMEOUT_MS + SMTP_SOCKET_TIMEOUT_MS;
    expect(limitMs).toBeLessThan(expiryMs);
    // The rest of the conversation (the other replies, the message) and the email's row lock.
    expect(limitMs - longestWaitMs).toBeGreaterThanOrEqual(30_000);
  });

  it('with a shorter reply wait set (SMTP_REPLY_TIMEOUT_SECONDS), the expiry follows it and still fits one full wait', () => {
    for (const seconds of [30, 60, 120, 300, 600]) {
      const mail = mailConfigFromEnv({ SMTP_REPLY_TIMEOUT_SECONDS: String(seconds) });
      expect(replyTimeoutMs(mail)).toBe(seconds * 1000);
      const expiry = mailSendExpirySeconds(mail.replyTimeoutSeconds);
      const limitMs = timeLimitMs(expiry);
      expect(limitMs - (SMTP_CONNECTION_TIMEOUT_MS + seconds * 1000)).toBeGreaterThanOrEqual(30_000);
      expect(expiry).toBeLessThanOrEqual(JOB_EXPIRY_SECONDS['mail.send']);
    }
    expect(mailSendExpirySeconds()).toBe(JOB_EXPIRY_SECONDS['mail.send']);
    expect(replyTimeoutMs(mailConfigFromEnv({}))).toBe(SMTP_SOCKET_TIMEOUT_MS);
  });

  it('refuses a reply wait under 30 s or over RFC 5321’s 10 minutes, naming the setting', () => {
    for (const bad of ['5', '601', 'soon'])
      expect(() => mailConfigFromEnv({ SMTP_REPLY_TIMEOUT_SECONDS: bad })).toThrow(
        /SMTP_REPLY_TIMEOUT_SECONDS/,
      );
  });

  it('a send a person waits for is cut short long before that', () => {
    expect(INTERACTIVE_SEND_MS).toBeLessThan(SMTP_SOCKET_TIMEOUT_MS);
  });
});

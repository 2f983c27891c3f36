import { describe, expect, it } from 'vitest';
import { encodeWords, mimeMessage, rfc5322Date } from './mime';

const email = {
  from: { name: 'Vigil', address: 'vigil@example.com' },
  to: 'oncall@example.com',
  subject: '[P1] INC-1 checkout: Sévérité relevée — P2 → P1',
  text: 'Bonjour ✓\n'.repeat(20),
  html: '<p>Bonjour ✓</p>',
  messageId: 'msg_abc@example.com',
  date: new Date('2026-11-29T10:00:00Z'),
};

describe('MIME messages', () => {
  it('writes the headers a mail system expects, every line ending in CRLF', () => {
    const raw = mimeMessage(email);
    const head = raw.split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^From: Vigil <vigil@example\.com>\r\n/);
    expect(head).toContain('\r\nTo: <oncall@example.com>\r\n');
    expect(head).toContain('\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n');
    expect(head).toContain('\r\nMessage-ID: <msg_abc@example.com>\r\n');
    expect(head).toContain('\r\nMIME-Version: 1.0\r\n');
    expect(head).toMatch(/Content-Type: multipart\/alternative; boundary="vigil-alt-[0-9a-f]+"$/);
    expect(raw.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('encodes a non-ASCII subject as UTF-8 encoded-words of at most 75 characters', () => {
    const encoded = encodeWords(email.subject);
    const words = encoded.split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    const decoded = words
      .map((word) =>
        new TextDecoder().decode(Uint8Array.from(atob(word.slice(10, -2)), (c) => c.charCodeAt(0))),
      )
      .join('');
    expect(decoded).toBe(email.subject);
    expect(encodeWords('plain ASCII')).toBe('plain ASCII');
  });

  it('carries a text and an HTML part, base64 in lines of at most 76', () => {
    const raw = mimeMessage(email);
    const boundary = /boundary="([^"]+)"/.exec(raw)![1]!;
    const parts = raw.split(`--${boundary}`);
    expect(parts).toHaveLength(4);
    expect(parts[3]).toBe('--\r\n');
    expect(parts[1]).toContain(
      'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64',
    );
    expect(parts[2]).toContain('Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64');
    const body = parts[1]!.split('\r\n\r\n')[1]!.trim().split('\r\n');
    expect(body.every((line) => line.length <= 76)).toBe(true);
    const text = new TextDecoder().decode(Uint8Array.from(atob(body.join('')), (c) => c.charCodeAt(0)));
    expect(text).toBe(email.text);
  });

  it('dates in RFC 5322 form', () => {
    expect(rfc5322Date(new Date('2026-01-05T03:04:05Z'))).toBe('Mon, 05 Jan 2026 03:04:05 +0000');
  });
});

/** An email as the notifier writes it, before it becomes MIME. */
export interface Email {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets: `msg_…@example.com`. */
  messageId: string;
  date: Date;
  /** Further headers (ASCII values), e.g. threading. */
  headers?: Record<string, string>;
}

const CRLF = '\r\n';
const encoder = new TextEncoder();

/**
 * A well-formed RFC 5322 / MIME message: From, To, Subject (RFC 2047 encoded when not ASCII),
 * Date, Message-ID, MIME-Version and a multipart/alternative body with a UTF-8 text part and a
 * UTF-8 HTML part, each base64 in lines of 76, every line ending in CRLF.
 *
 * @example
 * const raw = mimeMessage({ from: { name: 'Vigil', address: 'vigil@example.com' }, to: 'ops@example.com', … });
 */
export function mimeMessage(email: Email): string {
  const boundary = `vigil-alt-${hex(email.messageId)}`;
  const headers = [
    `From: ${encodeWords(email.from.name)} <${email.from.address}>`,
    `To: <${email.to}>`,
    `Subject: ${encodeWords(email.subject)}`,
    `Date: ${rfc5322Date(email.date)}`,
    `Message-ID: <${email.messageId}>`,
    'MIME-Version: 1.0',
    ...Object.entries(email.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, content: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      'Content-Transfer-Encoding: base64',
      '',
      ...wrap(base64(encoder.encode(content)), 76),
    ].join(CRLF);
  return [
    ...headers,
    '',
    'This is a multipart message in MIME format.',
    part('text/plain', email.text),
    part('text/html', email.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}

/**
 * A header value as RFC 2047 encoded-words when it is not plain printable ASCII, each word at
 * most 75 characters and never splitting a character's UTF-8 bytes.
 *
 * @example
 * encodeWords('Vigil'); // 'Vigil'
 * encodeWords('Sévérité P1'); // '=?UTF-8?B?U8OpdsOpcml0w6kgUDE=?='
 */
export function encodeWords(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const char of value) {
    // 45 bytes encode to 60 base64 characters: with "=?UTF-8?B?" and "?=" a word stays within 75.
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${base64(encoder.encode(word))}?=`).join(`${CRLF} `);
}

/** `Sun, 29 Nov 2026 10:00:00 +0000` */
export function rfc5322Date(date: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${days[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines;
}

// Base64 never contains '-', so a boundary built from hex after "vigil-alt-" cannot occur in a part.
function hex(text: string): string {
  return [...encoder.encode(text)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 40);
}

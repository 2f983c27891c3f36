import type { Severity } from './signals';

/**
 * How alert sources' severities become Vigil's. PagerDuty's four map one to one:
 * critical P0, error P1, warning P2, info P3. An Alertmanager `severity` label uses the same
 * words, plus `page`/`emergency` (P0) and explicit `P0`–`P3`; anything else, or no label, is P2.
 */
const BY_WORD: Record<string, Severity> = {
  p0: 'P0',
  p1: 'P1',
  p2: 'P2',
  p3: 'P3',
  page: 'P0',
  emergency: 'P0',
  critical: 'P0',
  error: 'P1',
  warning: 'P2',
  info: 'P3',
};

export function severityFromAlert(word: string | undefined, fallback: Severity = 'P2'): Severity {
  return (word && BY_WORD[word.trim().toLowerCase()]) || fallback;
}

/** A free-form source name made into a Vigil service name (letters, digits, . _ : / -). */
export function toServiceName(raw: string | undefined, fallback = 'unknown'): string {
  const cleaned = (raw ?? '')
    .trim()
    .replace(/[^A-Za-z0-9._:/-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128);
  return cleaned === '' ? fallback : cleaned;
}

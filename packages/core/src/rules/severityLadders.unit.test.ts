import { describe, expect, it } from 'vitest';
import type { MetricKind } from '../incident/kind';
import type { Severity } from '../severity/severity';
import { severityFor } from './severityLadders';

// Each ladder value checked just below, at, and just above: comparisons are strict.
const cases: [MetricKind, number, Severity][] = [
  ['error_rate', 0.02 - 1e-9, 'P3'],
  ['error_rate', 0.02, 'P3'],
  ['error_rate', 0.02 + 1e-9, 'P2'],
  ['error_rate', 0.05 - 1e-9, 'P2'],
  ['error_rate', 0.05, 'P2'],
  ['error_rate', 0.05 + 1e-9, 'P1'],
  ['error_rate', 0.1 - 1e-9, 'P1'],
  ['error_rate', 0.1, 'P1'],
  ['error_rate', 0.1 + 1e-9, 'P0'],
  ['response_time', 999.999, 'P3'],
  ['response_time', 1000, 'P3'],
  ['response_time', 1000.001, 'P2'],
  ['response_time', 1999.999, 'P2'],
  ['response_time', 2000, 'P2'],
  ['response_time', 2000.001, 'P1'],
  ['response_time', 4999.999, 'P1'],
  ['response_time', 5000, 'P1'],
  ['response_time', 5000.001, 'P0'],
  ['availability', 99.9 + 1e-9, 'P3'],
  ['availability', 99.9, 'P3'],
  ['availability', 99.9 - 1e-9, 'P2'],
  ['availability', 99.5 + 1e-9, 'P2'],
  ['availability', 99.5, 'P2'],
  ['availability', 99.5 - 1e-9, 'P1'],
  ['availability', 99 + 1e-9, 'P1'],
  ['availability', 99, 'P1'],
  ['availability', 99 - 1e-9, 'P0'],
];

describe('severity ladders', () => {
  it.each(cases)('%s at %d is %s', (kind, value, severity) => {
    expect(severityFor(kind, value)).toBe(severity);
  });
});

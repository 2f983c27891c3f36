/**
 * The values past which a metric window opens an incident: error rate as a ratio,
 * p95 response time in milliseconds, availability in percent.
 *
 * @example
 * const strict: DetectionThresholds = { errorRate: 0.01, responseTimeP95: 800, availability: 99.9 };
 */
export type DetectionThresholds = {
  readonly errorRate: number;
  readonly responseTimeP95: number;
  readonly availability: number;
};

/**
 * Per-service overrides of the defaults, keyed by service name.
 *
 * @example
 * const overrides: ServiceThresholdOverrides = { checkout: { errorRate: 0.01 } };
 */
export type ServiceThresholdOverrides = Readonly<Record<string, Partial<DetectionThresholds>>>;

/**
 * The runbook defaults: error rate above 5 %, p95 above 2000 ms, availability below 99.5 %.
 *
 * @example
 * defaultThresholds.errorRate; // 0.05
 */
export const defaultThresholds: DetectionThresholds = {
  errorRate: 0.05,
  responseTimeP95: 2000,
  availability: 99.5,
};

/**
 * Thresholds with some values overridden; an override left undefined keeps the base value.
 *
 * @example
 * mergeThresholds(defaultThresholds, { responseTimeP95: 800 }).responseTimeP95; // 800
 */
export function mergeThresholds(
  base: DetectionThresholds,
  override: Partial<DetectionThresholds>,
): DetectionThresholds {
  return {
    errorRate: override.errorRate ?? base.errorRate,
    responseTimeP95: override.responseTimeP95 ?? base.responseTimeP95,
    availability: override.availability ?? base.availability,
  };
}

/**
 * The thresholds that apply to one service: its overrides on top of the defaults.
 *
 * @example
 * thresholdsFor('checkout', { checkout: { errorRate: 0.01 } }).errorRate; // 0.01
 */
export function thresholdsFor(
  service: string,
  overrides: ServiceThresholdOverrides,
  defaults: DetectionThresholds = defaultThresholds,
): DetectionThresholds {
  const override = overrides[service];
  return override ? mergeThresholds(defaults, override) : defaults;
}

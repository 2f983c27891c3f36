import { ServiceSettingsOverride } from '@vigil/contracts';
import { type DetectionThresholds, defaultThresholds, mergeThresholds } from '@vigil/core';

/** How the detector judges one service. */
export interface DetectionSettings {
  thresholds: DetectionThresholds;
  /** Minutes in the rolling evaluation window. */
  windowMinutes: number;
  /** A window with fewer requests does not judge error rate or p95. */
  minRequests: number;
  /** Consecutive breaching evaluations before an incident opens (hysteresis). */
  openAfter: number;
  /** Consecutive healthy evaluations before the detector marks it mitigated. */
  recoverAfter: number;
  /** Minutes after mitigation with no relapse before the detector resolves it; 0 leaves it to people. */
  autoResolveMinutes: number;
  /** An incident opened this many minutes after a deploy of its service names that deploy as suspect. */
  deploySuspectMinutes: number;
}

const positiveInt = (value: string | undefined, fallback: number) => {
  const number = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(number) && number >= 0 ? number : fallback;
};

type DetectionVars = Partial<
  Record<
    | 'DETECTION_WINDOW_MINUTES'
    | 'DETECTION_MIN_REQUESTS'
    | 'DETECTION_OPEN_AFTER'
    | 'DETECTION_RECOVER_AFTER'
    | 'DETECTION_AUTO_RESOLVE_MINUTES'
    | 'DEPLOY_SUSPECT_MINUTES',
    string
  >
>;

export function defaultSettings(vars: DetectionVars): DetectionSettings {
  return {
    thresholds: defaultThresholds,
    windowMinutes: Math.max(1, positiveInt(vars.DETECTION_WINDOW_MINUTES, 5)),
    minRequests: positiveInt(vars.DETECTION_MIN_REQUESTS, 20),
    openAfter: Math.max(1, positiveInt(vars.DETECTION_OPEN_AFTER, 2)),
    recoverAfter: Math.max(1, positiveInt(vars.DETECTION_RECOVER_AFTER, 2)),
    autoResolveMinutes: positiveInt(vars.DETECTION_AUTO_RESOLVE_MINUTES, 0),
    deploySuspectMinutes: positiveInt(vars.DEPLOY_SUSPECT_MINUTES, 30),
  };
}

export function applyOverride(base: DetectionSettings, override: ServiceSettingsOverride): DetectionSettings {
  const { thresholds, ...rest } = override;
  return {
    ...base,
    ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
    thresholds: mergeThresholds(base.thresholds, thresholds ?? {}),
  };
}

/** The settings of one service: the defaults with its stored override on top. */
export async function settingsFor(
  db: D1Database,
  service: string,
  base: DetectionSettings,
): Promise<DetectionSettings> {
  const row = await db
    .prepare('SELECT settings FROM service_settings WHERE service = ?')
    .bind(service)
    .first<{ settings: string }>();
  if (!row) return base;
  const parsed = ServiceSettingsOverride.safeParse(JSON.parse(row.settings));
  return parsed.success ? applyOverride(base, parsed.data) : base;
}

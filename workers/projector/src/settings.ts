import { DEFAULT_DETECTOR_RETENTION_DAYS } from '@vigil/db';

/** What `[vars]` can tune in the projector. */
export interface ProjectorSettings {
  /** Days of detector buckets, verdicts and folded signal ids kept; older ones are pruned by the cron. */
  detectorRetentionDays: number;
  /** The status page's title. */
  statusPageName: string;
}

export function projectorSettings(env: {
  DETECTOR_RETENTION_DAYS?: string;
  STATUS_PAGE_NAME?: string;
}): ProjectorSettings {
  const days = Number(env.DETECTOR_RETENTION_DAYS);
  return {
    // Fewer than one day would prune the windows the detector is still evaluating.
    detectorRetentionDays: Number.isInteger(days) && days >= 1 ? days : DEFAULT_DETECTOR_RETENTION_DAYS,
    statusPageName: env.STATUS_PAGE_NAME?.trim() || 'Vigil status',
  };
}

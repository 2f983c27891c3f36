import { describe, expect, it } from 'vitest';
import { componentStatusOf, statusIndicator, worstComponentStatus } from './componentStatus';

describe('component status', () => {
  it('maps severity and kind to what customers see', () => {
    expect(componentStatusOf('P0', 'availability')).toBe('major_outage');
    expect(componentStatusOf('P0', 'response_time')).toBe('major_outage');
    expect(componentStatusOf('P1', 'error_rate')).toBe('partial_outage');
    expect(componentStatusOf('P1', 'response_time')).toBe('degraded_performance');
    expect(componentStatusOf('P2', 'error_rate')).toBe('degraded_performance');
    expect(componentStatusOf('P3', 'error_rate')).toBe('operational');
  });

  it('takes the worst of several incidents, operational with none', () => {
    expect(worstComponentStatus([])).toBe('operational');
    expect(worstComponentStatus(['degraded_performance', 'major_outage', 'partial_outage'])).toBe(
      'major_outage',
    );
  });

  it('describes the page like Statuspage does', () => {
    expect(statusIndicator('operational')).toEqual({
      indicator: 'none',
      description: 'All Systems Operational',
    });
    expect(statusIndicator('major_outage').indicator).toBe('critical');
  });
});

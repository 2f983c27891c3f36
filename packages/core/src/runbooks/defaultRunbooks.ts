import type { Runbook } from './runbook';

/**
 * The runbook document's three runbooks: High Error Rate, Slow Response Times, Service Outage.
 *
 * @example
 * defaultRunbooks.map((r) => r.title); // ['High Error Rate', 'Slow Response Times', 'Service Outage']
 */
export const defaultRunbooks: readonly Runbook[] = [
  {
    id: 'high-error-rate',
    title: 'High Error Rate',
    severity: 'P1',
    ownerRole: 'senior-engineer',
    kinds: ['error_rate'],
    steps: [
      'Check error logs for common patterns',
      'Identify affected endpoints and users',
      'Check recent code changes and deployments',
      'Roll back recent changes if needed',
      'Check database connectivity and performance',
      'Verify third-party API status',
      'Scale resources if necessary',
      'Monitor error rate until it returns to normal',
    ],
    escalations: [
      {
        id: 'high-error-rate/unresolved-30m/team-lead',
        toRole: 'team-lead',
        condition: { kind: 'unresolvedFor', minutes: 30 },
        reason: 'High error rate not resolved in 30 minutes',
      },
      {
        id: 'high-error-rate/unresolved-1h/vp-engineering',
        toRole: 'vp-engineering',
        condition: { kind: 'unresolvedFor', minutes: 60 },
        reason: 'High error rate not resolved in 1 hour',
      },
    ],
  },
  {
    id: 'slow-response-times',
    title: 'Slow Response Times',
    severity: 'P2',
    ownerRole: 'engineer',
    kinds: ['response_time'],
    steps: [
      'Analyze performance metrics and identify slowest operations',
      'Check database query performance',
      'Review cache hit rate and effectiveness',
      'Check for network latency issues',
      'Profile code to identify bottlenecks',
      'Optimize slow queries and operations',
      'Scale resources if necessary',
      'Monitor response times until they return to normal',
    ],
    escalations: [
      {
        id: 'slow-response-times/p95-above-5s/senior-engineer',
        toRole: 'senior-engineer',
        condition: { kind: 'measurementAbove', value: 5000 },
        reason: 'p95 response time above 5 seconds',
      },
      {
        id: 'slow-response-times/unresolved-2h/team-lead',
        toRole: 'team-lead',
        condition: { kind: 'unresolvedFor', minutes: 120 },
        reason: 'Slow response times not resolved in 2 hours',
      },
    ],
  },
  {
    id: 'service-outage',
    title: 'Service Outage',
    severity: 'P0',
    ownerRole: 'team-lead',
    kinds: ['availability'],
    steps: [
      'Immediately declare incident and notify team',
      'Check service health endpoints',
      'Identify scope of outage (affected services/users)',
      'Attempt immediate rollback of recent changes',
      'Check dependencies and third-party services',
      'Implement emergency fix or workaround',
      'Scale resources if necessary',
      'Monitor service until fully restored',
      'Conduct post-incident review',
    ],
    escalations: [
      {
        id: 'service-outage/immediately/vp-engineering',
        toRole: 'vp-engineering',
        condition: { kind: 'immediately' },
        reason: 'Service outage: escalate to VP Engineering immediately',
      },
      {
        id: 'service-outage/immediately/stakeholders',
        toRole: 'stakeholders',
        condition: { kind: 'immediately' },
        reason: 'Service outage: notify stakeholders and customers',
      },
      {
        id: 'service-outage/unresolved-30m/incident-commander',
        toRole: 'incident-commander',
        condition: { kind: 'unresolvedFor', minutes: 30 },
        reason: 'Outage longer than 30 minutes: consider incident command',
      },
    ],
  },
];

import type { IncidentKind } from '../incident/kind';

const actionsByKind: Readonly<Record<string, readonly string[]>> = {
  error_rate: [
    'Check error logs',
    'Identify common error patterns',
    'Roll back recent changes if needed',
    'Scale up resources',
  ],
  response_time: [
    'Analyze performance metrics',
    'Check database queries',
    'Review recent code changes',
    'Optimize slow operations',
  ],
  availability: [
    'Verify service status',
    'Check dependencies',
    'Review recent deployments',
    'Restore from backup if needed',
  ],
};

const defaultActions: readonly string[] = [
  'Gather more information',
  'Analyze logs',
  'Consult with team',
  'Document findings',
];

/**
 * The runbook's first actions for an incident kind, or its general list for other kinds.
 *
 * @example
 * recommendedActions('error_rate')[0]; // 'Check error logs'
 */
export function recommendedActions(kind: IncidentKind): readonly string[] {
  // Kinds are free text: one named like an Object property ("constructor") must not find it.
  return Object.hasOwn(actionsByKind, kind) ? (actionsByKind[kind] ?? defaultActions) : defaultActions;
}

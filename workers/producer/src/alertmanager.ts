import { AlertmanagerWebhook, type AlertSignal, severityFromAlert, toServiceName } from '@vigil/contracts';
import { readJson, requireScope } from '@vigil/http';
import { boundedDetails } from './alertDetails';
import { enqueueSignals } from './ingest';

// Alertmanager sends this as endsAt while an alert fires.
const ZERO_TIME = '0001-01-01T00:00:00Z';

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * `POST /v1/integrations/alertmanager` (webhook payload version 4, bearer key with ingest).
 * Each firing alert triggers — and each resolved alert resolves — the incident keyed by its
 * group and fingerprint. Service: the key's service, else the `service`, `job` or `alertname`
 * label; severity from the `severity` label (see severityFromAlert).
 */
/**
 * An alert's title: its summary annotation, else its description, else its alert name (an empty
 * one, as a template that rendered nothing leaves, counts as none), at most 1,024 characters and
 * never cut inside a character written as a surrogate pair.
 */
function titleOf(annotations: Record<string, string>, labels: Record<string, string>): string {
  const title =
    [annotations.summary, annotations.description, labels.alertname].find((text) => text?.trim()) ??
    'Alertmanager alert';
  const cut = title.slice(0, 1024);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

export async function receiveAlertmanager(request: Request, env: Env, now = new Date()): Promise<Response> {
  const key = await requireScope(request, env.DB, 'ingest');
  const webhook = await readJson(request, AlertmanagerWebhook);
  const group = (await sha256Hex(webhook.groupKey)).slice(0, 16);
  const signals: AlertSignal[] = [];
  for (const alert of webhook.alerts) {
    const labels = { ...webhook.commonLabels, ...alert.labels };
    const annotations = { ...webhook.commonAnnotations, ...alert.annotations };
    const fingerprint =
      alert.fingerprint ?? (await sha256Hex(JSON.stringify(Object.entries(labels).sort()))).slice(0, 16);
    const resolved = alert.status === 'resolved';
    const at = resolved && alert.endsAt !== ZERO_TIME ? alert.endsAt : alert.startsAt;
    signals.push({
      type: 'alert',
      source: 'alertmanager',
      action: resolved ? 'resolve' : 'trigger',
      dedupKey: `${group}:${fingerprint}`,
      integration: key.id,
      service: key.service ?? toServiceName(labels.service ?? labels.job ?? labels.alertname),
      at: Number.isNaN(Date.parse(at)) ? now.toISOString() : new Date(at).toISOString(),
      summary: titleOf(annotations, labels),
      severity: severityFromAlert(labels.severity),
      details: boundedDetails({
        labels,
        annotations,
        receiver: webhook.receiver,
        ...(alert.generatorURL !== undefined && { generatorURL: alert.generatorURL }),
      }),
    });
  }
  const accepted = await enqueueSignals(env.SIGNALS, signals, now);
  return Response.json(accepted, { status: 202 });
}

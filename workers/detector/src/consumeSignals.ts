import { type AlertSignal, readSignalsMessage, type SignalEnvelope } from '@vigil/contracts';
import {
  type DeploymentSample,
  IncidentStore,
  type MetricSample,
  MetricWindows,
  minuteOf,
  type RecordedEvent,
  recordDeadLetter,
  wakeConsumers,
} from '@vigil/db';
import { handleAlert } from './alerts';
import { type DetectionContext, detectForService } from './detect';
import { defaultSettings, settingsFor } from './settings';

/**
 * Handles one batch from vigil-signals: folds every metrics snapshot and deploy in a few
 * set-based statements, evaluates the affected services, runs alert lifecycles, then wakes
 * the notifier and projector. A message that can never be valid goes to the dead-letter
 * queue at once; any other failure retries the whole batch, which is safe because folding
 * is idempotent per signal id and every decision is re-derived from D1.
 */
export async function consumeSignals(
  batch: MessageBatch,
  env: Env,
  clock: () => Date = () => new Date(),
): Promise<void> {
  const envelopes: SignalEnvelope[] = [];
  const valid: Message[] = [];
  for (const message of batch.messages) {
    const parsed = readSignalsMessage(message.body);
    if (!parsed.success) {
      await recordDeadLetter(
        { db: env.DB, deadLetters: env.DEAD_LETTERS, now: clock() },
        batch.queue,
        message,
        parsed.reason,
      );
      message.ack();
      continue;
    }
    envelopes.push(...parsed.data.signals);
    valid.push(message);
  }
  if (envelopes.length === 0) return;

  try {
    const appended = await processEnvelopes(env, envelopes, clock);
    const head = Math.max(0, ...appended.map((event) => event.seq));
    if (head > 0) await wakeConsumers(env, head, 'detector', appended);
    for (const message of valid) message.ack();
  } catch (error) {
    console.error('vigil: signals batch failed, retrying', error);
    for (const message of valid) {
      // Exponential backoff through the queue: 2, 4, 8 … seconds, at most a minute.
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

/** Folds, judges and runs the alerts of a batch of envelopes; returns the events it appended. */
export async function processEnvelopes(
  env: Env,
  envelopes: SignalEnvelope[],
  clock: () => Date,
): Promise<RecordedEvent[]> {
  // Redelivery can bring a signal twice in one batch; time order makes decisions independent of delivery order.
  // Each time is parsed once, not in every comparison: a batch holds tens of thousands of signals.
  const unique = [...new Map(envelopes.map((envelope) => [envelope.id, envelope])).values()]
    .map((envelope) => ({ envelope, at: Date.parse(envelope.signal.at) }))
    .sort(
      (a, b) => a.at - b.at || (a.envelope.id < b.envelope.id ? -1 : a.envelope.id > b.envelope.id ? 1 : 0),
    )
    .map(({ envelope }) => envelope);
  const samples: MetricSample[] = [];
  const deployments: DeploymentSample[] = [];
  const alerts: { id: string; receivedAt: string; signal: AlertSignal }[] = [];
  for (const { id, receivedAt, signal } of unique) {
    switch (signal.type) {
      case 'metrics':
        samples.push({
          id,
          service: signal.service,
          at: signal.at,
          requests: signal.requests,
          errors: signal.errors,
          ...('p95' in signal.latencyMs
            ? { p95: signal.latencyMs.p95 }
            : { histogram: signal.latencyMs.histogram }),
          ...(signal.availability !== undefined && { availability: signal.availability }),
        });
        break;
      case 'deployment':
        deployments.push({
          id,
          service: signal.service,
          at: signal.at,
          version: signal.version,
          ...(signal.commit !== undefined && { commit: signal.commit }),
          ...(signal.author !== undefined && { author: signal.author }),
        });
        break;
      case 'alert':
        alerts.push({ id, receivedAt, signal });
        break;
      case 'error':
      case 'security':
        // Counted by the metrics snapshots the SDK sends; not an incident on their own.
        break;
    }
  }

  const windows = new MetricWindows(env.DB);
  await windows.fold(samples, deployments, clock());

  const context: DetectionContext = {
    db: env.DB,
    incidents: new IncidentStore(env.DB, clock),
    windows,
    now: clock,
    random: Math.random,
  };
  const base = defaultSettings(env);
  const minutesByService = new Map<string, string[]>();
  for (const sample of samples) {
    const minutes = minutesByService.get(sample.service) ?? [];
    minutes.push(minuteOf(sample.at));
    minutesByService.set(sample.service, minutes);
  }
  for (const [service, minutes] of minutesByService) {
    const settings = await settingsFor(env.DB, service, base);
    await detectForService(context, service, minutes, settings);
  }
  for (const alert of alerts) await handleAlert(context, alert);
  return context.incidents.appended;
}

// Drives the notifier inside workerd the way the queue would, with real D1, the real local
// send_email binding and real HTTP receivers. Queues are captured instead of consumed, so each
// test decides when a message arrives, how often, and in which order.
import { EmailMessage } from 'cloudflare:email';
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import type { ChannelInput } from '@vigil/contracts';
import type { IncidentCommand } from '@vigil/core';
import { Channels, Deliveries, EventStore, IncidentStore } from '@vigil/db';
import { expect, inject } from 'vitest';
import { sendEmailTransport } from '../src/channels/email';
import { consumeNotifyBatch } from '../src/consumeNotifyBatch';
import { type NotifierContext, notifierContext } from '../src/notifierContext';
import { type NotifierSettings, notifierSettings } from '../src/settings';

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: string;
}

/** A fresh mailbox on the recording receiver. */
export function receiverBox(label: string) {
  const name = `${label}-${crypto.randomUUID().slice(0, 8)}`;
  const base = inject('receiverUrl');
  return {
    url: `${base}/r/${name}`,
    async script(responses: ScriptedResponse[], otherwise?: ScriptedResponse): Promise<void> {
      await fetch(`${base}/__control/${name}`, {
        method: 'POST',
        body: JSON.stringify({ responses, otherwise }),
      });
    },
    async requests(): Promise<ReceivedRequest[]> {
      return (await fetch(`${base}/__control/${name}`)).json();
    },
  };
}

export interface QueuedMessage {
  body: unknown;
  delaySeconds: number;
}

function capturingQueue() {
  const sent: QueuedMessage[] = [];
  const queue = {
    async send(body: unknown, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      for (const message of messages)
        sent.push({ body: message.body, delaySeconds: message.delaySeconds ?? 0 });
    },
  };
  return { queue: queue as unknown as Queue, sent };
}

export interface CapturedEmail {
  from: string;
  to: string;
  raw: string;
}

let messageCounter = 0;

/** A notifier with a controllable clock and captured queues; unique service names isolate tests. */
export function notifierHarness(
  settings: Partial<NotifierSettings> = {},
  start = new Date('2026-11-29T10:00:00.000Z'),
) {
  const clock = { now: start };
  const jobs = capturingQueue();
  const wakeUps = capturingQueue();
  const projectorWakeUps = capturingQueue();
  const deadLetters = capturingQueue();
  const emails: CapturedEmail[] = [];
  const realEmail = sendEmailTransport(env.EMAIL, EmailMessage);
  const context: NotifierContext = notifierContext(env, {
    jobs: jobs.queue,
    deadLetters: deadLetters.queue,
    wake: { NOTIFY: wakeUps.queue, PROJECT: projectorWakeUps.queue },
    // Keeps a copy of what is handed to the real local send_email binding, which parses and checks it.
    email: {
      async send(from, to, raw) {
        await realEmail.send(from, to, raw);
        emails.push({ from, to, raw });
      },
    },
    clock: () => clock.now,
    settings: {
      ...notifierSettings(env as unknown as Record<string, unknown>),
      timeoutMs: 1000,
      ...settings,
    },
  });
  const incidents = new IncidentStore(env.DB, () => clock.now);

  async function run(bodies: unknown[], attempts = 1) {
    const batch = createMessageBatch(
      'vigil-notify',
      bodies.map((body) => ({ id: `m-${++messageCounter}`, timestamp: clock.now, attempts, body })),
    );
    // The queue's own result does not report retry delays: keep them as the messages are retried.
    const retries: { msgId: string; delaySeconds: number }[] = [];
    const observed: MessageBatch = {
      metadata: batch.metadata,
      queue: batch.queue,
      messages: batch.messages.map((message) => ({
        id: message.id,
        timestamp: message.timestamp,
        attempts: message.attempts,
        body: message.body,
        ack: () => message.ack(),
        retry: (options?: QueueRetryOptions) => {
          retries.push({ msgId: message.id, delaySeconds: options?.delaySeconds ?? 0 });
          message.retry(options);
        },
      })),
      ackAll: () => batch.ackAll(),
      retryAll: (options?: QueueRetryOptions) => batch.retryAll(options),
    };
    const ctx = createExecutionContext();
    await consumeNotifyBatch(observed, context);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((retry) => retry.msgId).sort()).toEqual(
      retries.map((retry) => retry.msgId).sort(),
    );
    return { ...result, retryMessages: retries, ids: batch.messages.map((message) => message.id) };
  }

  return {
    context,
    clock,
    emails,
    deadLetters: deadLetters.sent,
    projectorWakeUps: projectorWakeUps.sent,
    /** Moves the clock on. */
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
    async channel(input: Partial<ChannelInput> & Pick<ChannelInput, 'type' | 'target'>) {
      return new Channels(env.DB).create(
        { name: input.type, minSeverity: 'P3', services: [], eventTypes: [], enabled: true, ...input },
        clock.now,
      );
    },
    async execute(incidentId: string, commands: IncidentCommand[]) {
      return incidents.execute(incidentId, commands);
    },
    /** A wake-up, as the detector or a responder command sends after appending. */
    wake: (upTo = 0) => run([{ kind: 'wake-up', upTo, reason: 'test' }]),
    run,
    /** The delivery jobs the notifier enqueued since the last call. */
    takeJobs(): QueuedMessage[] {
      return jobs.sent.splice(0);
    },
    deliveries: (incidentId: string) => new Deliveries(env.DB).forIncident(incidentId),
    async outcomes(incidentId: string) {
      const events = await new EventStore(env.DB).readStream(incidentId);
      return events
        .filter((event) => event.type === 'NotificationSent' || event.type === 'NotificationFailed')
        .map((event) => ({ type: event.type, ...(event.data as Record<string, unknown>) }) as OutcomeEvent);
    },
  };
}

/** A NotificationSent or NotificationFailed event, flattened. */
export interface OutcomeEvent {
  type: string;
  channelId: string;
  channelType: string;
  target: string;
  attempt: number;
  forEventSeq: number;
  reason?: string;
}

export type NotifierHarness = ReturnType<typeof notifierHarness>;

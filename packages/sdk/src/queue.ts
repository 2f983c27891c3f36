import { type SignalEnvelope, type SignalsQueue, sendSignals } from '@vigil/contracts';
import type { Transport } from './transport';

/**
 * Sends signals straight to the `vigil-signals` queue, as the producer would: envelopes with
 * ids, packed as JSON text into as few messages and `sendBatch` calls as the queue limits allow.
 * A retried signal keeps its id, so the detector counts it once.
 *
 * @example
 * // wrangler.toml
 * // [[queues.producers]]
 * // binding = "VIGIL_SIGNALS"
 * // queue = "vigil-signals"
 * const vigil = createVigil({ service: 'search', transport: queue((env: Env) => env.VIGIL_SIGNALS) });
 */
export function queue<Env>(select: (env: Env) => SignalsQueue): Transport<Env> {
  return {
    kind: 'queue',
    async send(signals, env) {
      const receivedAt = new Date().toISOString();
      const envelopes: SignalEnvelope[] = signals.map(({ id, signal }) => ({ id, receivedAt, signal }));
      await sendSignals(select(env), envelopes);
    },
  };
}

import type { Signal } from '@vigil/contracts';
import type { Transport } from './transport';

/** What a service binding to the producer's `VigilIngest` entrypoint offers. */
export interface IngestBinding {
  ingest(signals: Signal[]): Promise<unknown>;
}

/**
 * Sends signals over a service binding to the producer's `VigilIngest` entrypoint (RPC):
 * no HTTP hop, no API key.
 *
 * @example
 * // wrangler.toml
 * // [[services]]
 * // binding = "VIGIL"
 * // service = "vigil-producer"
 * // entrypoint = "VigilIngest"
 * const vigil = createVigil({ service: 'checkout', transport: serviceBinding((env: Env) => env.VIGIL) });
 */
export function serviceBinding<Env>(select: (env: Env) => IngestBinding): Transport<Env> {
  return {
    kind: 'service-binding',
    async send(signals, env) {
      await select(env).ingest(signals.map((pending) => pending.signal));
    },
  };
}

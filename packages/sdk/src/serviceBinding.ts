import type { Signal } from '@vigil/contracts';
import { SignalsRejectedError, type Transport } from './transport';

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
      try {
        await select(env).ingest(signals.map((pending) => pending.signal));
      } catch (error) {
        // The entrypoint refuses invalid signals with a TypeError naming the fields (RPC keeps the
        // type): sending them again would be refused again, so they are dropped, as over HTTP.
        if (error instanceof TypeError && error.message.startsWith('invalid signals:')) {
          throw new SignalsRejectedError(`Vigil refused the signals: ${error.message}`);
        }
        throw error;
      }
    },
  };
}

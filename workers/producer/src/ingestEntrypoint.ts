import { WorkerEntrypoint } from 'cloudflare:workers';
import { SignalBatch } from '@vigil/contracts';
import { type Accepted, enqueueSignals } from './ingest';

/**
 * Ingest over a service binding: a production Worker bound to this entrypoint sends signals
 * without HTTP or an API key (a service binding is only ever configured by the account
 * owner). The same validation as `POST /v1/signals` applies; invalid input throws a
 * TypeError naming the failing fields.
 *
 * @example
 * // wrangler.toml of the production Worker:
 * // [[services]] binding = "VIGIL" service = "vigil-producer" entrypoint = "VigilIngest"
 * await env.VIGIL.ingest([{ type: 'deployment', service: 'api', at, version: 'v2' }]);
 */
export class VigilIngest extends WorkerEntrypoint<Env> {
  async ingest(signals: unknown[]): Promise<Accepted> {
    const parsed = SignalBatch.safeParse({ signals });
    if (!parsed.success) {
      const fields = parsed.error.issues
        .map((issue) => `${issue.path.join('/')}: ${issue.message}`)
        .join('; ');
      throw new TypeError(`invalid signals: ${fields}`);
    }
    return enqueueSignals(this.env.SIGNALS, parsed.data.signals, new Date());
  }
}

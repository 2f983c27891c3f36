import { SignalBatch } from '@vigil/contracts';
import { health, problemFor, RequestError, readJson, requireScope } from '@vigil/http';
import { AutoRouter, type IRequest } from 'itty-router';
import pkg from '../package.json';
import { enqueueSignals } from './ingest';

export const router = AutoRouter<IRequest, [Env, ExecutionContext]>({
  catch: problemFor,
  missing: () => problemFor(new RequestError(404, 'not_found', 'No such endpoint.')),
});

router.get('/health', (_request, env) => health('vigil-producer', pkg.version, env.DB));

router.post('/v1/signals', async (request, env) => {
  const key = await requireScope(request, env.DB, 'ingest');
  const { signals } = await readJson(request, SignalBatch);
  if (key.service !== null) {
    const foreign = signals.findIndex((signal) => signal.service !== key.service);
    if (foreign >= 0) {
      throw new RequestError(
        403,
        'service_not_allowed',
        `This API key may only send signals for "${key.service}".`,
        [{ path: `/signals/${foreign}/service`, message: `expected "${key.service}"` }],
      );
    }
  }
  const accepted = await enqueueSignals(env.SIGNALS, signals, new Date());
  return Response.json(accepted, { status: 202 });
});

import { withBusyRetryEnv } from '@vigil/db';
import { router } from './router';

export { VigilIngest } from './ingestEntrypoint';

export default {
  fetch: (request, env, ctx) => router.fetch(request, withBusyRetryEnv(env), ctx),
} satisfies ExportedHandler<Env>;

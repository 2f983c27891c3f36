import { withBusyRetryEnv } from '@vigil/db';
import { answeringHead } from '@vigil/http';
import { router } from './router';

export { VigilIngest } from './ingestEntrypoint';

export default {
  fetch: answeringHead((request, env, ctx) => router.fetch(request, withBusyRetryEnv(env), ctx)),
} satisfies ExportedHandler<Env>;

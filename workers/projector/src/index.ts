import { withBusyRetryEnv } from '@vigil/db';
import { answeringHead } from '@vigil/http';
import { consumeWakeUps } from './consumeWakeUps';
import { router } from './router';
import { runScheduled } from './scheduled';

export default {
  fetch: answeringHead((request, env, ctx) => router.fetch(request, withBusyRetryEnv(env), ctx)),
  queue: (batch, env) => consumeWakeUps(batch, withBusyRetryEnv(env)),
  scheduled: async (controller, env) => {
    await runScheduled(withBusyRetryEnv(env), new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

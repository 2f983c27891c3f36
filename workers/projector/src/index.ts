import { consumeWakeUps } from './consumeWakeUps';
import { router } from './router';
import { runScheduled } from './scheduled';

export default {
  fetch: router.fetch,
  queue: (batch, env) => consumeWakeUps(batch, env),
  scheduled: (_controller, env) => runScheduled(env),
} satisfies ExportedHandler<Env>;

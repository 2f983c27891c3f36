import { consumeSignals } from './consumeSignals';
import { runTimers } from './timers';

export default {
  queue: (batch, env) => consumeSignals(batch, env),
  scheduled: async (controller, env) => {
    await runTimers(env, new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

import { withBusyRetryEnv } from '@vigil/db';
import { consumeSignals } from './consumeSignals';
import { runTimers } from './timers';

export default {
  queue: (batch, env) => consumeSignals(batch, withBusyRetryEnv(env)),
  scheduled: async (controller, env) => {
    await runTimers(withBusyRetryEnv(env), new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

import { withBusyRetryEnv } from '@vigil/db';
import { consumeNotifyBatch, sweep } from './consumeNotifyBatch';
import { notifierContext } from './notifierContext';

export default {
  queue: (batch, env) => consumeNotifyBatch(batch, notifierContext(withBusyRetryEnv(env))),
  scheduled: (_controller, env) => sweep(notifierContext(withBusyRetryEnv(env))),
} satisfies ExportedHandler<Env>;

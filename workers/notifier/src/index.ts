import { consumeWakeUps } from './consumeWakeUps';

export default {
  queue: (batch, env) => consumeWakeUps(batch, env),
} satisfies ExportedHandler<Env>;

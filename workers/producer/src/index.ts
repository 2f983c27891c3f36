import { router } from './router';

export { VigilIngest } from './ingestEntrypoint';

export default { fetch: router.fetch } satisfies ExportedHandler<Env>;

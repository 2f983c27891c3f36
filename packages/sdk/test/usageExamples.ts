// The usage shown in the README and doc comments, checked by `tsc` (pnpm typecheck): if the
// public API drifts from its examples, the typecheck fails.
import { createVigil, http, queue, serviceBinding } from '../src/index';

interface ProductionEnv {
  VIGIL: import('../src/index').IngestBinding;
  VIGIL_SIGNALS: Queue;
  VIGIL_URL: string;
  VIGIL_KEY: string;
  VERSION: string;
}

const viaBinding = createVigil({
  service: 'checkout',
  transport: serviceBinding((env: ProductionEnv) => env.VIGIL),
  routeGroup: (request) => new URL(request.url).pathname.split('/')[1] || 'root',
});
export const a = viaBinding.wrap({
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/__deployed')
      viaBinding.deployment(env, ctx, { version: env.VERSION });
    return new Response('ok');
  },
} satisfies ExportedHandler<ProductionEnv>);
export const b = createVigil({
  service: 'search',
  transport: queue((env: ProductionEnv) => env.VIGIL_SIGNALS),
});
export const c = createVigil({
  service: 'billing',
  transport: http((env: ProductionEnv) => ({ url: env.VIGIL_URL, key: env.VIGIL_KEY })),
});
export const d = createVigil({
  service: 'static',
  transport: http({ url: 'https://vigil.example', key: 'k' }),
});
export const e = d.wrap({
  async fetch(request: Request, env: ProductionEnv) {
    return new Response(env.VERSION + request.url);
  },
});

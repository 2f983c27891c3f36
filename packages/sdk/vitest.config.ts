// The SDK's tests run inside workerd with a host Worker that uses the SDK (test/hostWorker.ts),
// the real producer beside it for the service binding, a real queue, and a real HTTP
// receiver on 127.0.0.1 started by the global setup.
import { dirname } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: './test/wrangler.toml' },
      miniflare: {
        bindings: { RECEIVER_URL: inject<string>('receiverUrl'), VIGIL_KEY: 'vgl_sdk_test_key' },
        workers: [
          {
            name: 'vigil-producer',
            modules: true,
            scriptPath: inject<string>('producerBundle'),
            // Module names are paths relative to this root; the bundle lives in a temporary folder.
            modulesRoot: dirname(inject<string>('producerBundle')),
            compatibilityDate: '2026-11-01',
            compatibilityFlags: ['nodejs_compat'],
            d1Databases: { DB: 'vigil' },
            queueProducers: {
              SIGNALS: { queueName: 'vigil-signals' },
              NOTIFY: { queueName: 'vigil-notify' },
              PROJECT: { queueName: 'vigil-project' },
            },
          },
        ],
      },
    })),
  ],
  test: {
    globalSetup: ['./test/node/globalSetup.ts'],
    include: ['src/**/*.unit.test.ts', 'src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
    testTimeout: 20_000,
  },
});

// Shared Vitest setup for tests that run inside workerd: the Worker's own wrangler config,
// the D1 migrations applied in a setup file, and storage isolated per test file.
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export async function workerTestConfig({
  configPath = './wrangler.toml',
  bindings = {},
  include = ['src/**/*.unit.test.ts', 'src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
}: {
  configPath?: string;
  bindings?: Record<string, unknown>;
  include?: string[];
} = {}) {
  const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  return defineConfig({
    plugins: [
      cloudflareTest({
        wrangler: { configPath },
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, ...bindings } },
      }),
    ],
    test: {
      include,
      setupFiles: [fileURLToPath(new URL('./test/support/applyMigrations.ts', import.meta.url))],
      testTimeout: 20_000,
    },
  });
}

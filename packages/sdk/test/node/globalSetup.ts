// Node side of the SDK's tests: a real HTTP receiver standing in for Vigil's producer on
// 127.0.0.1 (it records what the HTTP transport and the test queue consumer deliver, and can
// be told to fail), and a bundle of the real producer, built the way it deploys, for the
// service-binding tests.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startReceiver } from './receiver';

declare module 'vitest' {
  export interface ProvidedContext {
    receiverUrl: string;
    producerBundle: string;
  }
}

const producerDir = fileURLToPath(new URL('../../../../workers/producer/', import.meta.url));

export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  const outdir = await mkdtemp(join(tmpdir(), 'vigil-sdk-producer-'));
  await buildProducer(outdir);
  project.provide('receiverUrl', receiver.url);
  project.provide('producerBundle', join(outdir, 'index.js'));
  return async () => {
    await receiver.close();
    await rm(outdir, { recursive: true, force: true });
  };
}

/** `wrangler deploy --dry-run`: the bundle that would be uploaded, nothing sent anywhere. */
async function buildProducer(outdir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  const wrangler = join(require.resolve('wrangler/package.json'), '..', 'bin', 'wrangler.js');
  await promisify(execFile)(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: producerDir,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
}

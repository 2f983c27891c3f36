import { workerTestConfig } from '../../vitest.workers.ts';

export default workerTestConfig({ configPath: './test/wrangler.toml' });

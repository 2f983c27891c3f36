import { workerTestConfig } from '../vitest.workers.ts';

export default workerTestConfig({
  configPath: './faults/wrangler.toml',
  include: ['faults/**/*.int.test.ts'],
});

import { mergeConfig } from 'vitest/config';
import { workerTestConfig } from '../../vitest.workers.ts';

// The shared workerd setup, plus real HTTP receivers started in Node for the channel tests.
export default mergeConfig(await workerTestConfig(), {
  test: { globalSetup: ['./test/receivers.globalSetup.ts'] },
});

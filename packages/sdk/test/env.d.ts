// The test host Worker's bindings (test/wrangler.toml, plus RECEIVER_URL and VIGIL_KEY from
// vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    VIGIL: import('../src/serviceBinding').IngestBinding;
    VIGIL_SIGNALS: Queue;
    /** The Node receiver of test/node/receiver.ts. */
    RECEIVER_URL: string;
    VIGIL_KEY: string;
  }
}
type Env = Cloudflare.Env;

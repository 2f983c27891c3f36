// `npm start`: the whole engine on this machine, until Ctrl-C.
//   VIGIL_PRODUCER_PORT (8787)  ingest and responder commands
//   VIGIL_PROJECTOR_PORT (8788) queries, status page, dashboard
//   VIGIL_DETECTOR_PORT (8789), VIGIL_NOTIFIER_PORT (8790): cron triggers (/__scheduled)
//   VIGIL_DEV_KEY: registered as a local API key with every scope (else the previous run's key,
//                  kept in <state>/dev-key, or a new one)
//   VIGIL_STATE_DIR (.wrangler/state): where local D1 and queues persist
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startStack } from './stack.mjs';

const port = (name, fallback) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) {
    console.error(`vigil: ${name} must be a port number, got "${value}"`);
    process.exit(2);
  }
  return number;
};

const ports = {
  producer: port('VIGIL_PRODUCER_PORT', 8787),
  projector: port('VIGIL_PROJECTOR_PORT', 8788),
  detector: port('VIGIL_DETECTOR_PORT', 8789),
  notifier: port('VIGIL_NOTIFIER_PORT', 8790),
};
const persistTo = process.env.VIGIL_STATE_DIR || join(root, '.wrangler', 'state');
const verbose = process.argv.includes('--verbose');

// One local key per state directory: reused run after run, so old keys do not pile up.
const keyFile = join(persistTo, 'dev-key');
const givenKey = process.env.VIGIL_DEV_KEY || undefined;
const keptKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() || undefined : undefined;

console.log('vigil: starting four Workers (local D1 and queues in %s)', persistTo);
let stack;
try {
  stack = await startStack({
    ports,
    persistTo,
    key: givenKey ?? keptKey,
    log: (worker, line) => {
      if (verbose || /error|exception|✘|\[wrangler:(info|warn|error)\] (?!Ready)/i.test(line)) {
        console.log(`[${worker}] ${line}`);
      }
    },
  });
} catch (error) {
  console.error(`vigil: could not start: ${error.message}`);
  process.exit(1);
}

const { urls, key } = stack;
if (givenKey === undefined) {
  mkdirSync(persistTo, { recursive: true });
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
}
const keySource = givenKey
  ? 'from VIGIL_DEV_KEY'
  : keptKey
    ? `kept from the last run in ${keyFile}`
    : `generated, kept in ${keyFile} for the next run`;
console.log(`
Vigil is running.

  producer   ${urls.producer}   ingest and responder commands
  projector  ${urls.projector}   queries, status page ${urls.projector}/status, dashboard ${urls.projector}/
  detector   ${urls.detector}   its cron: GET ${urls.detector}/__scheduled?cron=*+*+*+*+*
  notifier   ${urls.notifier}   consumes vigil-notify; its cron: GET ${urls.notifier}/__scheduled?cron=*+*+*+*+*
  projector cron: GET ${urls.projector}/__scheduled?cron=*/5+*+*+*+*

  API key (every scope), ${keySource}:
    export VIGIL_DEV_KEY=${key}

  curl ${urls.producer}/health
  curl -H "Authorization: Bearer $VIGIL_DEV_KEY" ${urls.projector}/v1/incidents

Ctrl-C stops everything.
`);

let stopping = false;
const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\nvigil: ${signal}, stopping the Workers…`);
  await stack.stop();
  console.log('vigil: stopped.');
  process.exit(0);
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));

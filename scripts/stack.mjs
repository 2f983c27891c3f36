// Starts the whole engine locally: the D1 migrations applied to a persisted local database,
// a dev API key registered, and the four Workers under `wrangler dev`, sharing that D1 and the
// local queues. Used by `npm start`, the end-to-end tests, the drill and the benchmarks.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

export const WORKERS = ['producer', 'detector', 'notifier', 'projector'];

/** Environment for every wrangler run: no telemetry, no outbound fetches. */
export function wranglerEnv(extra = {}) {
  return { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...extra };
}

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function runWrangler(args, env) {
  const result = spawnSync(wrangler, args, { cwd: root, env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export function sha256Hex(text) {
  return createHash('sha256').update(text).digest('hex');
}

/** Applies migrations to the local D1 under `persistTo`. */
export function migrate(persistTo, env = wranglerEnv()) {
  runWrangler(['d1', 'migrations', 'apply', 'vigil', '--local', '--persist-to', persistTo], env);
}

/** Runs SQL against the local D1 under `persistTo`. */
export function executeSql(persistTo, sql, env = wranglerEnv()) {
  return runWrangler(
    ['d1', 'execute', 'vigil', '--local', '--persist-to', persistTo, '--json', '--command', sql],
    env,
  );
}

/**
 * Registers `key` with every scope (idempotent: the same key twice is one row). A local key
 * that was revoked is valid again: registering it is what `npm start` promises.
 */
export function registerDevKey(persistTo, key, env = wranglerEnv()) {
  const hash = sha256Hex(key);
  const id = `key_dev_${hash.slice(0, 12)}`;
  const now = new Date().toISOString();
  executeSql(
    persistTo,
    `INSERT INTO api_keys (id, name, key_hash, scopes, service, created_at) VALUES ('${id}', 'local development', '${hash}', '["ingest","respond","read","admin"]', NULL, '${now}')
     ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL, scopes = excluded.scopes, service = NULL`,
    env,
  );
}

export function generateDevKey() {
  return `vgl_${randomBytes(32).toString('base64url')}`;
}

/**
 * Starts the stack and resolves once every Worker is ready.
 * @returns {Promise<{ urls: Record<string,string>, key: string, persistTo: string, stop: () => Promise<void> }>}
 */
export async function startStack({
  ports = {},
  persistTo = join(root, '.wrangler', 'state'),
  key = process.env.VIGIL_DEV_KEY || undefined,
  vars = {},
  log = () => {},
  readyTimeoutMs = 90_000,
} = {}) {
  mkdirSync(persistTo, { recursive: true });
  // Each stack has its own dev registry, so a test stack never talks to a running `npm start`.
  const env = wranglerEnv({ WRANGLER_REGISTRY_PATH: join(persistTo, 'registry') });
  migrate(persistTo, env);
  const devKey = key ?? generateDevKey();
  registerDevKey(persistTo, devKey, env);

  const resolved = {
    producer: ports.producer ?? (await freePort()),
    projector: ports.projector ?? (await freePort()),
    detector: ports.detector ?? (await freePort()),
    notifier: ports.notifier ?? (await freePort()),
  };
  const children = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopGroup(child)));
  };

  try {
    // One at a time: workerd processes opening the same persisted SQLite at once can fail with
    // SQLITE_BUSY at startup.
    for (const worker of WORKERS) {
      children.push(
        await startWorker({
          name: worker,
          config: join('workers', worker, 'wrangler.toml'),
          port: resolved[worker],
          persistTo,
          env,
          vars,
          log,
          readyTimeoutMs,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const urls = Object.fromEntries(WORKERS.map((worker) => [worker, `http://127.0.0.1:${resolved[worker]}`]));
  return { urls, key: devKey, persistTo, env, stop, children };
}

/**
 * Starts one Worker under `wrangler dev` in a process group of its own (stopping the group
 * leaves no workerd behind) and resolves with its process once it is ready. A Worker that
 * dies before it is ready is started again, twice at most.
 */
export async function startWorker({
  name,
  config,
  port,
  persistTo,
  env,
  vars = {},
  log = () => {},
  readyTimeoutMs = 90_000,
}) {
  for (let attempt = 1; ; attempt++) {
    const args = [
      'dev',
      '-c',
      config,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(await freePort()),
      '--persist-to',
      persistTo,
      '--show-interactive-dev-session=false',
      '--test-scheduled',
      ...Object.entries(vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
    ];
    const child = spawn(wrangler, args, {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await waitForReady(child, name, port, log, readyTimeoutMs);
      return child;
    } catch (error) {
      await stopGroup(child);
      if (attempt >= 3) throw error;
      log(name, `did not start (attempt ${attempt}), starting it again`);
      await new Promise((resolveDelay) => setTimeout(resolveDelay, 500 * attempt));
    }
  }
}

function waitForReady(child, worker, port, log, timeoutMs) {
  return new Promise((resolveReady, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`${worker} did not start within ${timeoutMs} ms:\n${output.slice(-4000)}`));
    }, timeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(worker, line);
      if (output.includes(`Ready on http://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${worker} exited with code ${code}:\n${output.slice(-4000)}`));
    });
  });
}

export async function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timeout = new Promise((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), 5000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startTestStack } from './stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const cli = fileURLToPath(new URL('../../scripts/vigil-cli.mjs', import.meta.url));

function vigil(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    env: { ...process.env, VIGIL_URL: stack.urls.producer, VIGIL_KEY: stack.key },
    encoding: 'utf8',
  });
  return { status: result.status, out: result.stdout, err: result.stderr };
}

describe('the vigil CLI against a running producer', () => {
  it('creates, lists and revokes API keys', () => {
    const created = vigil(
      'keys',
      'create',
      '--name',
      'ci',
      '--scopes',
      'ingest,read',
      '--service',
      'checkout',
    );
    expect(created.status).toBe(0);
    const { key, apiKey } = JSON.parse(created.out) as {
      key: string;
      apiKey: { id: string; scopes: string[] };
    };
    expect(key).toMatch(/^vgl_/);
    expect(apiKey.scopes).toEqual(['ingest', 'read']);
    expect(vigil('keys', 'list').out).toContain(apiKey.id);
    expect(vigil('keys', 'revoke', apiKey.id).status).toBe(0);
    // Revoking again changes nothing; an unknown key is an error.
    expect(vigil('keys', 'revoke', apiKey.id).status).toBe(0);
    const unknown = vigil('keys', 'revoke', 'key_nope');
    expect(unknown.status).toBe(1);
    expect(unknown.out).toContain('api_key_not_found');
  });

  it('adds and removes a channel without ever printing its secret', () => {
    const added = vigil(
      'channels',
      'add',
      '--name',
      'ops',
      '--type',
      'webhook',
      '--target',
      'https://hooks.example.com/x',
      '--secret',
      'whsec_dGVzdC1zZWNyZXQtdmFsdWU=',
      '--min-severity',
      'P1',
      '--services',
      'checkout,search',
    );
    expect(added.status).toBe(0);
    expect(added.out).not.toContain('dGVzdC1zZWNyZXQtdmFsdWU');
    const { id } = JSON.parse(added.out) as { id: string };
    expect(vigil('channels', 'list').out).toContain(id);
    expect(vigil('channels', 'remove', id).status).toBe(0);
  });

  it('declares an incident and runs commands on it', () => {
    const declared = vigil('declare', '--service', 'search', '--severity', 'P2', '--title', 'Slow search');
    expect(declared.status).toBe(0);
    const { id } = JSON.parse(declared.out) as { id: string };
    expect(JSON.parse(vigil('incident', id, 'acknowledge').out)).toMatchObject({ status: 'acknowledged' });
    const resolved = vigil('incident', id, 'resolve', '{"resolution":"Index rebuilt"}');
    expect(JSON.parse(resolved.out)).toMatchObject({ status: 'resolved' });
    const refused = vigil('incident', id, 'resolve', '{"resolution":"again"}');
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('incident_already_resolved');
  });

  it('sets per-service detection settings and reports usage errors with exit status 2', () => {
    expect(vigil('settings', 'set', 'checkout', '{"openAfter":3}').status).toBe(0);
    expect(JSON.parse(vigil('settings', 'get', 'checkout').out)).toMatchObject({
      settings: { openAfter: 3 },
    });
    expect(vigil('keys', 'create').status).toBe(2);
    expect(vigil('nonsense').status).toBe(2);
    // Flags it does not know, or without their value, are usage errors too, not crashes.
    // A URL it cannot fetch, or a name HTTP headers cannot carry, is not "cannot reach" either.
    for (const args of [
      ['keys', 'list', '--bogus'],
      ['keys', 'list', '--url'],
      ['--url', 'notaurl', 'keys', 'list'],
      ['--url', 'localhost:8787', 'keys', 'list'],
      ['--actor', '张伟', 'incident', 'INC-1', 'acknowledge'],
    ]) {
      const result = vigil(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.err).toMatch(/^vigil: /);
      expect(result.err).not.toMatch(/at .*\.mjs/);
    }
    const help = vigil('--help');
    expect(help.status).toBe(0);
    expect(help.out).toContain('--actor NAME');
  });

  it('reads @file from where it was typed, and says so when it cannot', () => {
    const missing = spawnSync(process.execPath, [cli, 'signals', 'send', '@no-such-signals.json'], {
      env: { ...process.env, VIGIL_URL: stack.urls.producer, VIGIL_KEY: stack.key, INIT_CWD: '/tmp' },
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read /tmp/no-such-signals.json: ENOENT');
  });

  it('refuses an answer that is not JSON instead of crashing', () => {
    const notVigil = spawnSync(process.execPath, [cli, 'keys', 'list'], {
      // The request lands on the projector's dashboard page, which answers HTML: not a producer.
      env: { ...process.env, VIGIL_URL: `${stack.urls.projector}/?page=`, VIGIL_KEY: stack.key },
      encoding: 'utf8',
    });
    expect(notVigil.status).toBe(1);
    expect(notVigil.stderr).toMatch(/answered \d+ with something that is not JSON/);
  });
});

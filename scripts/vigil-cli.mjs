#!/usr/bin/env node
// `npm run vigil -- …` (or `pnpm vigil …`): administration and responder commands against a
// local or deployed producer. Plain Node (18+), no dependencies.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const HELP = `vigil — talk to a Vigil producer

  --url URL      the producer (default $VIGIL_URL or http://127.0.0.1:8787)
  --key KEY      an API key (default $VIGIL_KEY or $VIGIL_DEV_KEY)
  --actor NAME   who acts, for responder commands (X-Vigil-Actor; default: the key's name)
  --help         this text

  keys list
  keys create --name NAME --scopes ingest,respond,read,admin [--service SERVICE]
  keys revoke KEY_ID

  channels list
  channels add --name NAME --type slack|pagerduty|webhook|email|statuspage --target URL_OR_ADDRESS
               [--secret SECRET] [--min-severity P0..P3] [--services a,b] [--event-types T1,T2] [--disabled]
  channels remove CHANNEL_ID

  settings get SERVICE
  settings set SERVICE '{"thresholds":{"errorRate":0.02},"openAfter":3}'
  settings clear SERVICE

  declare --service SERVICE --severity P0..P3 --title TITLE
  incident ID COMMAND ['{"json":"body"}']   e.g. incident INC-… acknowledge
                                             incident INC-… resolve '{"resolution":"Rolled back"}'
  signals send '{"signals":[…]}' | @file.json

Exit status: 0 on success, 1 when Vigil refused (its problem details are printed), 2 for usage errors.`;

const usage = (message) => {
  if (message) console.error(`vigil: ${message}\n`);
  console.error(HELP);
  process.exit(2);
};

const options = {
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    service: { type: 'string' },
    type: { type: 'string' },
    target: { type: 'string' },
    secret: { type: 'string' },
    'min-severity': { type: 'string' },
    services: { type: 'string' },
    'event-types': { type: 'string' },
    disabled: { type: 'boolean' },
    severity: { type: 'string' },
    title: { type: 'string' },
    actor: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
};
let parsed;
try {
  parsed = parseArgs(options);
} catch (error) {
  // An unknown option, or one without its value: a usage error, not a crash.
  usage(error.message);
}
const { values, positionals } = parsed;

const baseUrl = (values.url ?? process.env.VIGIL_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const key = values.key ?? process.env.VIGIL_KEY ?? process.env.VIGIL_DEV_KEY;
const list = (value) =>
  value
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : undefined;
// npm and pnpm run scripts from the repository root; @file is relative to where you typed it.
const here = process.env.INIT_CWD ?? process.cwd();
const json = (text, what) => {
  let source = text;
  if (text.startsWith('@')) {
    const path = resolve(here, text.slice(1));
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      usage(`cannot read ${path}: ${error.code ?? error.message}`);
    }
  }
  try {
    return JSON.parse(source);
  } catch (error) {
    usage(`${what} is not valid JSON: ${error.message}`);
  }
};

async function call(method, path, body) {
  if (!key) usage('no API key: pass --key or set VIGIL_KEY');
  let response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(values.actor && { 'x-vigil-actor': values.actor }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    console.error(`vigil: cannot reach ${baseUrl}: ${error.cause?.message ?? error.message}`);
    process.exit(1);
  }
  const text = await response.text();
  let answer;
  try {
    answer = text ? JSON.parse(text) : undefined;
  } catch {
    console.error(
      `vigil: ${baseUrl} answered ${response.status} with something that is not JSON (is it a Vigil producer?): ${text.slice(0, 200)}`,
    );
    process.exit(1);
  }
  if (answer !== undefined) console.log(JSON.stringify(answer, null, 2));
  else console.log(`${response.status} ${response.statusText}`);
  process.exit(response.ok ? 0 : 1);
}

const [group, action, ...rest] = positionals;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (!group) usage();
// Caught here, these would surface from fetch as "cannot reach" a producer that was never asked.
const isHttpUrl = (text) => {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};
if (!isHttpUrl(baseUrl))
  usage(`not an http(s) URL: ${baseUrl} (--url or VIGIL_URL, e.g. http://127.0.0.1:8787)`);
if (values.actor && !/^[\t\x20-\x7e\x80-\xff]*$/.test(values.actor))
  usage(`--actor ${values.actor}: HTTP headers carry Latin-1 text only; name the person in Latin letters`);

switch (`${group} ${action ?? ''}`.trim()) {
  case 'keys list':
    await call('GET', '/v1/admin/keys');
    break;
  case 'keys create':
    if (!values.name || !values.scopes) usage('keys create needs --name and --scopes');
    await call('POST', '/v1/admin/keys', {
      name: values.name,
      scopes: list(values.scopes),
      ...(values.service && { service: values.service }),
    });
    break;
  case 'keys revoke':
    if (!rest[0]) usage('keys revoke needs a key id');
    await call('DELETE', `/v1/admin/keys/${encodeURIComponent(rest[0])}`);
    break;
  case 'channels list':
    await call('GET', '/v1/admin/channels');
    break;
  case 'channels add':
    if (!values.name || !values.type || !values.target)
      usage('channels add needs --name, --type and --target');
    await call('POST', '/v1/admin/channels', {
      name: values.name,
      type: values.type,
      target: values.target,
      ...(values.secret && { secret: values.secret }),
      ...(values['min-severity'] && { minSeverity: values['min-severity'] }),
      ...(values.services && { services: list(values.services) }),
      ...(values['event-types'] && { eventTypes: list(values['event-types']) }),
      ...(values.disabled && { enabled: false }),
    });
    break;
  case 'channels remove':
    if (!rest[0]) usage('channels remove needs a channel id');
    await call('DELETE', `/v1/admin/channels/${encodeURIComponent(rest[0])}`);
    break;
  case 'settings get':
  case 'settings clear':
    if (!rest[0]) usage(`settings ${action} needs a service`);
    await call(
      action === 'get' ? 'GET' : 'DELETE',
      `/v1/admin/services/${encodeURIComponent(rest[0])}/settings`,
    );
    break;
  case 'settings set':
    if (!rest[0] || !rest[1]) usage('settings set needs a service and a JSON body');
    await call(
      'PUT',
      `/v1/admin/services/${encodeURIComponent(rest[0])}/settings`,
      json(rest[1], 'the settings'),
    );
    break;
  case 'signals send':
    if (!rest[0]) usage('signals send needs a JSON body or @file');
    await call('POST', '/v1/signals', json(rest[0], 'the signals'));
    break;
  default:
    if (group === 'declare') {
      if (!values.service || !values.severity || !values.title)
        usage('declare needs --service, --severity and --title');
      await call('POST', '/v1/incidents', {
        service: values.service,
        severity: values.severity,
        title: values.title,
      });
    } else if (group === 'incident' && action && rest[0]) {
      await call(
        'POST',
        `/v1/incidents/${encodeURIComponent(action)}/${rest[0]}`,
        rest[1] ? json(rest[1], 'the body') : undefined,
      );
    } else {
      usage(`unknown command: ${positionals.join(' ')}`);
    }
}

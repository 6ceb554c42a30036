// docs/examples are what an admin copies: each is parsed the way its platform reads it
// (JSON, a macOS property list, a Windows .reg file), read by the extension's own
// policy reader (extension/src/policy.ts), and must set every key of the managed
// schema with no problem reported; the packs in them are valid today (not expired),
// and the pack URL's hash is the example pack's. No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { EXTENSION_ID, ROOT } from './helpers.mjs';

const EX = join(ROOT, 'docs/examples');
const read = (f) => readFileSync(join(EX, f), 'utf8');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'extension/static/managed_schema.json'), 'utf8'));
const FIREFOX_ID = 'postsafe@postsafe.invalid';

/** The extension's own policy reader, bundled for Node. */
async function policyReader() {
  const out = await build({
    entryPoints: [join(ROOT, 'extension/src/policy.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'silent',
  });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`;
  return import(url);
}

/** A property list's values (dict, array, string, integer, real, true, false): enough for a .mobileconfig. */
function plist(xml) {
  const tokens = [...xml.replace(/<\?xml[^>]*>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)(\w+)(\/?)>([^<]*)/g)];
  let i = 0;
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const value = () => {
    const [, close, tag, empty, text] = tokens[i++];
    assert.equal(close, '', `plist: unexpected </${tag}>`);
    if (tag === 'plist') { const v = value(); i++; return v; }
    if (tag === 'true' || tag === 'false') return tag === 'true';
    if (empty) return tag === 'array' ? [] : tag === 'dict' ? {} : '';
    if (tag === 'string' || tag === 'integer' || tag === 'real' || tag === 'key') {
      i++; // its closing tag
      return tag === 'string' || tag === 'key' ? unescape(text) : Number(text);
    }
    if (tag === 'array') {
      const a = [];
      while (!(tokens[i][1] === '/' && tokens[i][2] === 'array')) a.push(value());
      i++;
      return a;
    }
    if (tag === 'dict') {
      const o = {};
      while (!(tokens[i][1] === '/' && tokens[i][2] === 'dict')) {
        assert.equal(tokens[i][2], 'key', 'plist: a dict holds key, value pairs');
        const k = value();
        o[k] = value();
      }
      i++;
      return o;
    }
    throw new Error(`plist: unknown element <${tag}>`);
  };
  return value();
}

/** A Windows .reg file: { 'HKEY_…\\key': { name: string | number } }. Strings unescape \" and \\. */
function reg(text) {
  const lines = text.split(/\r?\n/);
  assert.equal(lines[0], 'Windows Registry Editor Version 5.00', 'the .reg header');
  const keys = {};
  let cur = null;
  lines.slice(1).forEach((line, n) => {
    if (!line.trim() || line.startsWith(';')) return;
    const k = /^\[(.+)\]$/.exec(line);
    if (k) { cur = keys[k[1]] = {}; return; }
    const v = /^"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-f]{8}))$/i.exec(line);
    assert.ok(cur && v, `line ${n + 2} is not a value of a key: ${line}`);
    const un = (s) => s.replace(/\\(.)/g, '$1');
    cur[un(v[1])] = v[2] !== undefined ? un(v[2]) : parseInt(v[3], 16);
  });
  return keys;
}

/**
 * Registry values as Chrome reads them for this schema: a DWORD is a boolean where
 * the schema says boolean; a list or object is a JSON string.
 */
function fromRegistry(values) {
  const out = {};
  for (const [k, v] of Object.entries(values)) {
    const type = SCHEMA.properties[k]?.type;
    out[k] = type === 'boolean' ? v === 1 : (type === 'array' || type === 'object') && typeof v === 'string' ? JSON.parse(v) : v;
  }
  return out;
}

/** Every example's extension settings, by where they are. */
function examples() {
  const linux = JSON.parse(read('chromium-linux-policy.json'));
  const firefox = JSON.parse(read('firefox-policies.json'));
  const mac = plist(read('macos-chrome.mobileconfig'));
  const payload = mac.PayloadContent.find((p) => p.PayloadType === `com.google.Chrome.extensions.${EXTENSION_ID}`);
  assert.ok(payload, 'the .mobileconfig has the extension payload');
  const settings = Object.fromEntries(Object.entries(payload).filter(([k]) => !k.startsWith('Payload')));
  const r = reg(read('windows-chrome-edge.reg'));
  const base = 'HKEY_LOCAL_MACHINE\\Software\\Policies';
  const path = (vendor) => `${base}\\${vendor}\\3rdparty\\extensions\\${EXTENSION_ID}\\policy`;
  for (const vendor of ['Google\\Chrome', 'Microsoft\\Edge']) {
    const force = r[`${base}\\${vendor}\\ExtensionInstallForcelist`];
    assert.ok(force && Object.values(force).some((v) => String(v).startsWith(`${EXTENSION_ID};https://`)), `${vendor}: force-installed`);
  }
  return {
    'chromium-linux-policy.json': linux['3rdparty'].extensions[EXTENSION_ID],
    'firefox-policies.json': firefox.policies['3rdparty'].Extensions[FIREFOX_ID],
    // The Admin console's "Policy for extensions" wraps each value as {"Value": …}.
    'google-admin-console.json': Object.fromEntries(Object.entries(JSON.parse(read('google-admin-console.json'))).map(([k, v]) => {
      assert.deepEqual(Object.keys(v), ['Value'], `google-admin-console.json: ${k} is {"Value": …}`);
      return [k, v.Value];
    })),
    'macos-chrome.mobileconfig': settings,
    'windows-chrome-edge.reg (Chrome)': fromRegistry(r[path('Google\\Chrome')]),
    'windows-chrome-edge.reg (Edge)': fromRegistry(r[path('Microsoft\\Edge')]),
  };
}

/** Whether `v` has the schema's type (`s`: a schema node), members and items included. */
function typed(v, s) {
  switch (s.type) {
    case 'boolean': return typeof v === 'boolean';
    case 'string': return typeof v === 'string' && (!s.enum || s.enum.includes(v));
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'array': return Array.isArray(v) && v.every((x) => !s.items || typed(x, s.items));
    case 'object': return !!v && typeof v === 'object' && !Array.isArray(v)
      && Object.entries(v).every(([k, x]) => !s.properties?.[k] || typed(x, s.properties[k]));
    default: return false;
  }
}

test('every example sets every key of the managed schema, and the extension reads each with no problem', async () => {
  const { readPolicy, POLICY_KEYS } = await policyReader();
  const keys = Object.keys(SCHEMA.properties);
  assert.deepEqual(POLICY_KEYS.filter((k) => !keys.includes(k)), [], 'every key the policy reader knows is in the schema');
  for (const [name, settings] of Object.entries(examples())) {
    // `packs` (objects) and `packsJson` (strings, for consoles that take no objects) are one setting in two forms.
    const want = keys.filter((k) => k !== 'packs' && k !== 'packsJson');
    const missing = want.filter((k) => !(k in settings));
    assert.deepEqual(missing, [], `${name} leaves out ${missing.join(', ')}`);
    assert.ok('packs' in settings || 'packsJson' in settings, `${name} has an inline pack`);
    const unknown = Object.keys(settings).filter((k) => !keys.includes(k));
    assert.deepEqual(unknown, [], `${name} sets keys the schema does not name`);
    for (const [k, v] of Object.entries(settings)) assert.ok(typed(v, SCHEMA.properties[k]), `${name}: ${k} has the schema's type`);
    const { problems, set, policy } = readPolicy(settings);
    assert.deepEqual(problems, [], `${name}: the extension reports problems`);
    assert.deepEqual([...set].sort(), Object.keys(settings).filter((k) => POLICY_KEYS.includes(k)).sort(), `${name}: every value is used`);
    assert.ok(policy.inline.length >= 1 && policy.packUrls.length >= 1, name);
  }
});

test('the packs in the examples are valid today, and the pack URL hash is the example pack\'s', () => {
  const today = new Date().toISOString().slice(0, 10);
  const packs = [['trust.pack.json', JSON.parse(read('trust.pack.json'))], ['downloaded.pack.json', JSON.parse(read('downloaded.pack.json'))]];
  for (const [name, s] of Object.entries(examples())) {
    const inline = [...(s.packs ?? []), ...(s.packsJson ?? []).map((j) => JSON.parse(j))];
    inline.forEach((p, i) => packs.push([`${name} pack ${i}`, p]));
    const sha = createHash('sha256').update(readFileSync(join(EX, 'downloaded.pack.json'))).digest('hex');
    for (const u of s.packUrls) assert.equal(u.sha256, sha, `${name}: ${u.url}`);
  }
  for (const [name, p] of packs) {
    assert.equal(p.format, 1, name);
    if (p.expires) assert.ok(p.expires >= today, `${name} expired on ${p.expires}`);
  }
});

// Writing (and always removing) a Chromium managed policy file for the e2e tests.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { closer } from './closer.mjs';
import { EXTENSION_ID, ROOT } from './helpers.mjs';

export const POLICY_DIR = '/etc/chromium/policies/managed';
export const POLICY_FILE = join(POLICY_DIR, 'postsafe-test.json');
export const EXAMPLES = join(ROOT, 'docs/examples');
export const IS_ROOT = process.getuid?.() === 0;
export const NOT_ROOT_MESSAGE = `needs root to write ${POLICY_FILE} (Chromium reads managed policy only from there); run the suite as root to test policy`;

export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
export const example = (name) => readFileSync(join(EXAMPLES, name));

/** The extension's settings from the Linux example, as the test will write them. */
export function examplePolicy() {
  return structuredClone(JSON.parse(example('chromium-linux-policy.json'))['3rdparty'].extensions[EXTENSION_ID]);
}

let written = false;
export function writePolicy(settings) {
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, `${JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: settings } } }, null, 2)}\n`);
  written = true;
}

export function removePolicy() {
  if (written) rmSync(POLICY_FILE, { force: true });
  written = false;
}
// However the run ends, the policy file goes (a left-over file would manage every Chromium here).
process.on('exit', removePolicy);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { removePolicy(); process.exit(130); });

/** Serves pack files on 127.0.0.1 with CORS, as a trust's web server must (docs/admin.md). */
export async function startPackServer(files) {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    const body = files[new URL(req.url, 'http://x').pathname];
    if (body === undefined) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
    res.end(body);
  });
  const close = closer(server);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, hits, files, close };
}

/** "HH:MM" `delta` minutes from now, local time (wraps past midnight; the extension handles windows over midnight). */
export function clockFromNow(delta) {
  const d = new Date(Date.now() + delta * 60_000);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

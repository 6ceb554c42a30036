/**
 * The managed policy for every deployment route in docs/admin.md, generated from the
 * one policy schema (extension/static/managed_schema.json): each setting's key must be
 * a property of the schema, and its type there decides how a route writes it (REG_SZ,
 * REG_DWORD or JSON in a string in the Windows registry; plist types on macOS). There is
 * no second list of keys here.
 */
import schemaJson from '../static/managed_schema.json';

/** A JSON Schema node, as far as the managed-storage schema uses it. */
interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** The managed-storage schema the extension ships. */
export const SCHEMA = schemaJson as SchemaNode;

/** Chrome and Edge extension id (manifest `key`). */
export const CHROME_ID = 'mkodmldohocehlkdcdefllfhjpkgalkj';
/** Firefox add-on id (manifest `browser_specific_settings.gecko.id`). */
export const FIREFOX_ID = 'postsafe@postsafe.invalid';

/** Settings: top-level keys of the schema and their values. */
export type Settings = Record<string, unknown>;

/** The schema node of a top-level setting. Throws for a key the schema does not name. */
export function settingSchema(key: string): SchemaNode {
  const node = SCHEMA.properties?.[key];
  if (!node) throw new Error(`"${key}" is not a setting of managed_schema.json`);
  return node;
}

/** Settings whose schema type is a plain string or boolean: the ones a form can offer. */
export function simpleSettings(): { key: string; node: SchemaNode }[] {
  return Object.entries(SCHEMA.properties ?? {})
    .filter(([, n]) => n.type === 'string' || n.type === 'boolean')
    .map(([key, node]) => ({ key, node }));
}

/** Checks `settings` against the schema's top-level types; throws naming the first wrong one. */
export function checkSettings(settings: Settings): void {
  for (const [key, value] of Object.entries(settings)) {
    const t = settingSchema(key).type;
    const ok = t === 'array' ? Array.isArray(value)
      : t === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value)
        : t === 'integer' ? Number.isInteger(value)
          : typeof value === t;
    if (!ok) throw new Error(`setting "${key}" must be of type ${t}`);
  }
}

/** The settings for a pack: `packUrls` with its SHA-256 when a URL is given, else the pack inline in `packsJson`. */
export function packSettings(extra: Settings, pack: { json: string; sha256: string; url: string }): Settings {
  const s: Settings = { ...extra };
  if (pack.url) s.packUrls = [{ url: pack.url, sha256: pack.sha256 }];
  else s.packsJson = [pack.json];
  checkSettings(s);
  return s;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Google Admin console, "Policy for extensions": each key as `{"Value": …}`. */
export function googleAdminConsole(s: Settings): string {
  checkSettings(s);
  return json(Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { Value: v }])));
}

/** Linux: a file for /etc/opt/chrome/policies/managed/ (or Chromium's, Edge's). */
export function linuxPolicy(s: Settings): string {
  checkSettings(s);
  return json({ '3rdparty': { extensions: { [CHROME_ID]: s } } });
}

/** Firefox policies.json: force-install and the settings under 3rdparty. */
export function firefoxPolicies(s: Settings, installUrl: string): string {
  checkSettings(s);
  return json({
    policies: {
      ExtensionSettings: { [FIREFOX_ID]: { installation_mode: 'force_installed', install_url: installUrl } },
      '3rdparty': { Extensions: { [FIREFOX_ID]: s } },
    },
  });
}

/** The inline form alone: `{"packsJson": [...]}` plus the other settings, for trusts that host nothing. */
export function inlinePacksJson(extra: Settings, packJson: string): string {
  const s: Settings = { ...extra, packsJson: [packJson] };
  checkSettings(s);
  return json(s);
}

/** A string as a .reg quoted value: backslashes and quotes escaped. */
const regString = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** One registry value, typed by the schema: REG_DWORD for booleans and integers, REG_SZ otherwise (JSON for lists and objects). */
function regValue(key: string, value: unknown): string {
  const t = settingSchema(key).type;
  if (t === 'boolean') return `${regString(key)}=dword:${value ? '00000001' : '00000000'}`;
  if (t === 'integer') return `${regString(key)}=dword:${(value as number).toString(16).padStart(8, '0')}`;
  if (t === 'string') return `${regString(key)}=${regString(value as string)}`;
  return `${regString(key)}=${regString(JSON.stringify(value))}`;
}

/** Windows: a .reg file for Chrome and Edge (force-install and settings), as docs/examples/windows-chrome-edge.reg. */
export function windowsReg(s: Settings): string {
  checkSettings(s);
  const values = Object.entries(s).map(([k, v]) => regValue(k, v)).join('\r\n');
  return [
    'Windows Registry Editor Version 5.00',
    '',
    '; Force-install (Chrome): replace the update URL with your store or self-hosting URL.',
    '[HKEY_LOCAL_MACHINE\\Software\\Policies\\Google\\Chrome\\ExtensionInstallForcelist]',
    `"1"="${CHROME_ID};https://clients2.google.com/service/update2/crx"`,
    '',
    '; Settings (Chrome). Strings are plain; booleans are REG_DWORD; lists and objects are JSON strings.',
    `[HKEY_LOCAL_MACHINE\\Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${CHROME_ID}\\policy]`,
    values,
    '',
    '; Edge: the same values under Microsoft\\Edge.',
    '[HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist]',
    `"1"="${CHROME_ID};https://edge.microsoft.com/extensionwebstorebase/v1/crx"`,
    '',
    `[HKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\${CHROME_ID}\\policy]`,
    values,
    '',
  ].join('\r\n');
}

const xml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A value as plist XML, typed by its schema node (arrays and dicts, not JSON strings). */
function plist(value: unknown, node: SchemaNode | undefined, indent: string): string {
  const t = node?.type ?? (Array.isArray(value) ? 'array' : typeof value);
  if (t === 'boolean') return `${indent}<${value ? 'true' : 'false'}/>`;
  if (t === 'integer' || t === 'number') return `${indent}<integer>${value as number}</integer>`;
  if (t === 'string') return `${indent}<string>${xml(String(value))}</string>`;
  if (t === 'array') {
    const items = (value as unknown[]).map((v) => plist(v, node?.items, `${indent}  `));
    return [`${indent}<array>`, ...items, `${indent}</array>`].join('\n');
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${indent}  <key>${xml(k)}</key>\n${plist(v, node?.properties?.[k], `${indent}  `)}`,
  );
  return [`${indent}<dict>`, ...entries, `${indent}</dict>`].join('\n');
}

/** An uppercase UUID from 16 random bytes (the profile's identifiers). */
function uuid(bytes: Uint8Array): string {
  const h = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** macOS: a configuration profile with Chrome's and Edge's extension payloads, as docs/examples/macos-chrome.mobileconfig. */
export function macosMobileconfig(s: Settings, orgLabel: string, random: (n: number) => Uint8Array): string {
  checkSettings(s);
  const keys = Object.entries(s)
    .map(([k, v]) => `      <key>${xml(k)}</key>\n${plist(v, settingSchema(k), '      ')}`)
    .join('\n');
  const payload = (type: string, id: string) => [
    '    <dict>',
    `      <key>PayloadType</key><string>${type}.extensions.${CHROME_ID}</string>`,
    '      <key>PayloadVersion</key><integer>1</integer>',
    `      <key>PayloadIdentifier</key><string>postsafe.settings.${id}</string>`,
    `      <key>PayloadUUID</key><string>${uuid(random(16))}</string>`,
    keys,
    '    </dict>',
  ].join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>PayloadType</key><string>Configuration</string>',
    '  <key>PayloadVersion</key><integer>1</integer>',
    '  <key>PayloadIdentifier</key><string>postsafe.profile</string>',
    `  <key>PayloadUUID</key><string>${uuid(random(16))}</string>`,
    `  <key>PayloadDisplayName</key><string>${xml(`Postsafe (${orgLabel})`)}</string>`,
    '  <key>PayloadContent</key>',
    '  <array>',
    payload('com.google.Chrome', 'chrome'),
    payload('com.microsoft.Edge', 'edge'),
    '  </array>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

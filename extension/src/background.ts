/**
 * Background service worker (Chrome/Edge) or background script (Firefox).
 * Answers the typed protocol in protocol.ts; keeps per-tab finding summaries in
 * memory only, for the toolbar badge and the popup.
 */
import * as engine from './engine';
import type { FindingSummary, PortRequest, PortResponse, Request, Response, UserSettings } from './protocol';
import { SCAN_PORT, STORAGE } from './protocol';

interface FrameReport { findings: FindingSummary[]; failed: boolean }
const tabs = new Map<number, Map<number, FrameReport>>();

function updateBadge(tabId: number): void {
  const frames = tabs.get(tabId);
  let count = 0;
  let failed = false;
  let holds = false;
  for (const r of frames?.values() ?? []) {
    count += r.findings.length;
    failed ||= r.failed;
    holds ||= r.findings.some((f) => f.severity !== 'info');
  }
  const text = failed ? '!' : count > 0 ? String(count) : '';
  chrome.action.setBadgeText({ tabId, text }).catch(() => {});
  chrome.action.setBadgeBackgroundColor({ tabId, color: failed || holds ? '#b3261e' : '#3b5bdb' }).catch(() => {});
}

async function settings(): Promise<UserSettings> {
  const got = await chrome.storage.local.get(STORAGE.settings);
  const s = got[STORAGE.settings] as Partial<UserSettings> | undefined;
  return { terms: s?.terms ?? [], allow: s?.allow ?? [] };
}

function cleanList(xs: unknown): string[] {
  if (!Array.isArray(xs)) return [];
  return [...new Set(xs.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean))];
}

async function handle(req: Request, sender: chrome.runtime.MessageSender): Promise<Response> {
  switch (req.kind) {
    case 'scan':
      return { kind: 'scanResult', findings: await engine.scan(req.draft) };
    case 'status':
      return { kind: 'status', status: await engine.status() };
    case 'report': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return { kind: 'ok' };
      let frames = tabs.get(tabId);
      if (!frames) tabs.set(tabId, (frames = new Map()));
      frames.set(sender.frameId ?? 0, { findings: req.findings, failed: req.failed });
      updateBadge(tabId);
      return { kind: 'ok' };
    }
    case 'pageFindings': {
      const frames = [...(tabs.get(req.tabId)?.values() ?? [])];
      return { kind: 'pageFindings', findings: frames.flatMap((f) => f.findings), failed: frames.some((f) => f.failed) };
    }
    case 'siteState': {
      const got = await chrome.storage.local.get(STORAGE.disabledSites);
      const off = cleanList(got[STORAGE.disabledSites]);
      return { kind: 'siteState', enabled: !off.includes(req.host) };
    }
    case 'setSiteEnabled': {
      const got = await chrome.storage.local.get(STORAGE.disabledSites);
      const off = new Set(cleanList(got[STORAGE.disabledSites]));
      if (req.enabled) off.delete(req.host); else off.add(req.host);
      await chrome.storage.local.set({ [STORAGE.disabledSites]: [...off] });
      return { kind: 'ok' };
    }
    case 'getSettings': {
      const got = await chrome.storage.local.get([STORAGE.packs, STORAGE.overrides]);
      return {
        kind: 'settings',
        settings: await settings(),
        packs: cleanList(got[STORAGE.packs]),
        overrides: Number(got[STORAGE.overrides] ?? 0),
      };
    }
    case 'saveSettings': {
      const s: UserSettings = { terms: cleanList(req.settings.terms), allow: cleanList(req.settings.allow) };
      const doc = engine.teacherPack(s);
      if (doc) {
        const err = await engine.checkPack(doc);
        if (err) return { kind: 'error', message: err };
      }
      await chrome.storage.local.set({ [STORAGE.settings]: s });
      engine.invalidate(); // before answering: the caller's next status sees the new packs
      return { kind: 'ok' };
    }
    case 'importPack': {
      let parsed: unknown;
      try { parsed = JSON.parse(req.json); } catch (e) { return { kind: 'error', message: String(e) }; }
      const obj = parsed as Record<string, unknown>;
      if (obj && typeof obj === 'object' && 'format' in obj) {
        const err = await engine.checkPack(req.json);
        if (err) return { kind: 'error', message: err };
        const got = await chrome.storage.local.get(STORAGE.packs);
        const packs = cleanList(got[STORAGE.packs]).filter((p) => {
          try { return (JSON.parse(p) as { id?: unknown }).id !== obj.id; } catch { return false; }
        });
        await chrome.storage.local.set({ [STORAGE.packs]: [...packs, req.json] });
        engine.invalidate(); // before answering: the caller's next status sees the new packs
      return { kind: 'ok' };
      }
      // Otherwise an export of the teacher's own settings: {terms, allow, packs?}.
      const s: UserSettings = { terms: cleanList(obj?.terms), allow: cleanList(obj?.allow) };
      await chrome.storage.local.set({ [STORAGE.settings]: s });
      engine.invalidate(); // before answering: the caller's next status sees the new packs
      return { kind: 'ok' };
    }
    case 'removePack': {
      const got = await chrome.storage.local.get(STORAGE.packs);
      const packs = cleanList(got[STORAGE.packs]);
      packs.splice(req.index, 1);
      await chrome.storage.local.set({ [STORAGE.packs]: packs });
      engine.invalidate(); // before answering: the caller's next status sees the new packs
      return { kind: 'ok' };
    }
    case 'exportSettings': {
      const s = await settings();
      return { kind: 'exported', json: JSON.stringify({ postsafe: 1, terms: s.terms, allow: s.allow }, null, 2) };
    }
    case 'override': {
      // A count only: never what was posted, nor where.
      const got = await chrome.storage.local.get(STORAGE.overrides);
      await chrome.storage.local.set({ [STORAGE.overrides]: Number(got[STORAGE.overrides] ?? 0) + 1 });
      return { kind: 'ok' };
    }
  }
}

chrome.runtime.onMessage.addListener((msg: unknown, sender, sendResponse) => {
  // Only this extension's own pages and content scripts may talk to the engine.
  if (sender.id !== chrome.runtime.id) return false;
  if (!msg || typeof msg !== 'object' || typeof (msg as { kind?: unknown }).kind !== 'string') return false;
  handle(msg as Request, sender).then(sendResponse, (e: unknown) =>
    sendResponse({ kind: 'error', message: e instanceof Error ? e.message : String(e) } satisfies Response));
  return true;
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== SCAN_PORT || port.sender?.id !== chrome.runtime.id) { port.disconnect(); return; }
  // Newest scan request per composer ("lane"): a queued scan for text that has
  // since changed is answered 'superseded' instead of being run.
  const newest = new Map<number, number>();
  port.onMessage.addListener((msg: PortRequest) => {
    if (!msg || typeof msg.id !== 'number' || !msg.req || typeof msg.req.kind !== 'string') return;
    const reply = (res: Response) => { try { port.postMessage({ id: msg.id, res } satisfies PortResponse); } catch { /* page gone */ } };
    const run = () => handle(msg.req, port.sender!).then(reply, (e: unknown) => reply({ kind: 'error', message: e instanceof Error ? e.message : String(e) }));
    const req = msg.req;
    if (req.kind !== 'scan' || req.lane === undefined) { void run(); return; }
    const lane = req.lane;
    newest.set(lane, msg.id);
    // Let messages already queued arrive first, then run only the newest.
    setTimeout(() => {
      if (newest.get(lane) !== msg.id) { reply({ kind: 'superseded' }); return; }
      void run();
    }, 0);
  });
});

chrome.storage.onChanged.addListener((changes, area) => {
  if ((area === 'local' || area === 'managed') && (STORAGE.packs in changes || STORAGE.settings in changes)) engine.invalidate();
});

chrome.tabs.onRemoved.addListener((tabId) => { tabs.delete(tabId); });

// Load the engine as soon as the worker starts, so the first keystroke is answered quickly.
void engine.status();

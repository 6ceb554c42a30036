/**
 * The face detector's page (extension/static/offscreen.html): the extension page where
 * an attached photo's faces are counted (faces.ts). In Chromium it is the offscreen
 * document (chrome.offscreen), since a service worker can neither load the detector
 * lazily nor should hold it for good; in Firefox a frame inside the background page.
 * The background opens it when a photo is first attached (faces-host.ts); it closes
 * itself after IDLE_MS without a photo, freeing the detector's memory (an offscreen
 * document closes; in Firefox the event page unloads with its frame when idle). It
 * answers only messages addressed to it (`target: FACE_TARGET`); the content scripts'
 * requests, which every extension page also hears, it leaves to the background.
 */
import { countFacesBase64 } from './faces';
import { FACE_TARGET, type FaceRequest } from './faces-host';

/** Idle time (ms) after the last count before this page closes itself. */
const IDLE_MS = 60_000;
let busy = 0;
let idle = 0;

chrome.runtime.onMessage.addListener((msg: unknown, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !msg || typeof msg !== 'object' || (msg as { target?: unknown }).target !== FACE_TARGET) return false;
  const req = msg as FaceRequest;
  busy++;
  clearTimeout(idle);
  void countFacesBase64(req.data, chrome.runtime.getURL('faces/')).then((res) => {
    sendResponse(res);
    if (--busy === 0) idle = window.setTimeout(() => { window.close(); }, IDLE_MS);
  });
  return true;
});

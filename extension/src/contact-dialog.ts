/**
 * The connection checks' dialog (contact.ts): a held click, an opened conversation, a
 * reminder or a school address, said in the policy's words, with the trust named and its
 * policy linked. Drawn in the content script's overlay; the page never sees it.
 */
import { orgLine } from './dialog';
import { t } from './i18n';

/** The dialog's style, and the banner of the marks in place (contact.ts draws them). */
export const CONTACT_CSS = `
dialog.hold.contact { pointer-events: auto; box-sizing: border-box; max-width: min(520px, calc(100vw - 32px)); padding: 20px 22px; border: 0; border-radius: 10px; box-shadow: 0 12px 40px rgba(0,0,0,.35); font: 14px/1.45 system-ui, sans-serif; color: #111827; background: #fff; }
dialog.hold.contact::backdrop { background: rgba(17, 24, 39, .45); }
dialog.hold.contact h2 { font-size: 18px; margin: 0 0 6px; }
dialog.hold.contact p { margin: 0 0 10px; }
dialog.hold.contact ul { list-style: none; margin: 0 0 14px; padding: 0; }
dialog.hold.contact li { border-left: 4px solid #b91c1c; background: #fef2f2; border-radius: 4px; padding: 8px 10px; margin: 0 0 8px; }
dialog.hold.contact .words { font-weight: 700; }
dialog.hold.contact .advice { color: #374151; margin-top: 2px; }
dialog.hold.contact .clause, dialog.hold.contact .private { color: #6b7280; font-size: 12px; margin-top: 2px; }
dialog.hold.contact .buttons { display: flex; gap: 10px; justify-content: flex-end; flex-wrap: wrap; }
dialog.hold.contact button { font: 600 14px system-ui, sans-serif; border-radius: 6px; padding: 8px 14px; cursor: pointer; border: 1px solid #9ca3af; background: #fff; color: #111827; }
dialog.hold.contact button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
dialog.hold.contact button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.layer.contact-marks > .banner { background: #b91c1c; }
`;

/** What a connection dialog says and offers. */
export interface DialogSpec {
  state: string;
  title: string;
  intro: string;
  /** One item: the words on the page, and what the policy says about them. */
  item: { words: string; message: string; advice: string; clause: string; category: string } | null;
  notes: string[];
  /** Buttons, the last one primary and focused: [action, label]. */
  buttons: [string, string][];
  /** A button's action, or 'cancel' when Esc closed the dialog. */
  onAction(action: string): void;
}

/**
 * A modal dialog in the overlay `root` (role=dialog, Esc and "Go back" close it), naming the
 * trust and linking its policy where `org` gives them. `onOpen(true)` as it opens,
 * `onOpen(false)` as it closes, before the chosen action runs. Returns a function that
 * closes it without an action (a "Checking…" dialog the verdict replaces).
 */
export function openDialog(root: ShadowRoot, spec: DialogSpec, org: { orgName?: string | null; policyUrl?: string | null }, onOpen: (open: boolean) => void): () => void {
  const d = document;
  const el = (tag: string, cls?: string, text?: string) => {
    const e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const dialog = el('dialog', 'hold contact') as HTMLDialogElement;
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-labelledby', 'postsafe-contact-title');
  dialog.dataset.state = spec.state;
  const style = el('style');
  style.textContent = CONTACT_CSS;
  const title = el('h2', undefined, spec.title);
  title.id = 'postsafe-contact-title';
  const intro = el('p', undefined, spec.intro);
  const list = el('ul');
  if (spec.item) {
    const li = el('li');
    li.dataset.category = spec.item.category;
    li.dataset.severity = 'block';
    li.append(el('div', 'words', spec.item.words), el('div', 'message', spec.item.message), el('div', 'advice', spec.item.advice));
    if (spec.item.clause) li.append(el('div', 'clause', spec.item.clause));
    list.append(li);
  }
  const extra: HTMLElement[] = spec.notes.map((n) => el('p', 'private', n));
  const line = orgLine(d, org.orgName, org.policyUrl);
  if (line) extra.push(line);
  const buttons = el('div', 'buttons');
  let last: HTMLButtonElement | null = null;
  spec.buttons.forEach(([action, text], i) => {
    const b = el('button', i === spec.buttons.length - 1 ? 'primary' : undefined, text) as HTMLButtonElement;
    b.type = 'button';
    b.dataset.action = action;
    buttons.append(b);
    last = b;
  });
  dialog.append(style, title, intro, ...(spec.item ? [list] : []), ...extra, buttons);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    onOpen(false);
    dialog.close();
    dialog.remove();
  };
  dialog.addEventListener('click', (e) => {
    const action = (e.target as Element | null)?.closest?.('button')?.dataset.action;
    if (!action || !e.isTrusted) return;
    e.stopPropagation();
    close();
    spec.onAction(action);
  });
  // Esc: closed as by "Go back" (the action 'cancel').
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); if (closed) return; close(); spec.onAction('cancel'); });
  dialog.addEventListener('keydown', (e) => { e.stopPropagation(); });
  root.append(dialog);
  onOpen(true);
  dialog.showModal();
  (last as HTMLButtonElement | null)?.focus({ preventScroll: true });
  return close;
}

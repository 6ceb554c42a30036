/**
 * The held-post dialog: role=dialog, aria-modal, focus kept inside, Esc closes
 * (as "Edit draft"). Lists what was found; "Edit draft" or "Post anyway". While
 * the check is still running it says "Checking this post…" and is then redrawn in
 * place with the verdict (the same open dialog, so focus and modality stay); when
 * the check could not run it offers "Try again".
 */
import type { Finding, OverrideReason } from './protocol';
import { OVERRIDE_REASONS } from './protocol';
import { findingText, t, uiLang } from './i18n';
import { PHOTO_CSS, photoItem, type AttachedPhoto } from './photos';

/**
 * "The policy of <trust> · Read the policy": the line naming who set the rules, with a link
 * to them opened in a new tab (`data-postsafe="org"`); null when the policy names neither.
 */
export function orgLine(d: Document, orgName?: string | null, policyUrl?: string | null): HTMLElement | null {
  if (!orgName && !policyUrl) return null;
  const org = d.createElement('p');
  org.className = 'org';
  org.dataset.postsafe = 'org';
  if (orgName) org.append(t('policyOf', [orgName]), ' ');
  if (policyUrl) {
    const a = d.createElement('a');
    a.textContent = t('readPolicy');
    a.href = policyUrl;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    org.append(a);
  }
  return org;
}

/** What the teacher chose: back to the draft, post it anyway, or check again (after a failed check). */
export type Choice = 'edit' | 'post' | 'retry';
export interface Answer { choice: Choice; reason?: OverrideReason }

/** What a held post is waiting for: the engine to start, or the trust's managed settings to arrive. */
export type Wait = 'engine' | 'policy';

/** A finding as the dialog lists it: `where` says which field of the post it is in ("in the title"). */
export type ShownFinding = Finding & { where?: string };

export interface DialogContent {
  findings: ShownFinding[];
  /** The check could not run: say so, never pass silently. */
  failed: boolean;
  /** The check is still running: "Checking this post…", and what it waits for. */
  checking?: Wait;
  /** The check did not finish in time (it waited for this): "could not check this post", "Try again". */
  timedOut?: Wait;
  /** Part of the draft is over the engine's length limit and was not checked: "too long to check fully". */
  tooLong?: boolean;
  /** The post carries an image: remind about pupils, uniform, logos, the building. */
  image: boolean;
  /** "Post anyway" is offered (policy overrideAllowed). */
  overrideAllowed: boolean;
  /** "Post anyway" needs one of the fixed reasons (policy overrideReasonRequired). */
  reasonRequired: boolean;
  orgName: string | null;
  policyUrl: string | null;
  /** The working-hours reminder, when it is in force now. */
  reminder: string | null;
  /** Attached photos whose files give something away or could not be read: a card each (photos.ts). */
  photos?: AttachedPhoto[];
}

/** One open dialog: redrawn in place with `update`, closed with `close`. */
export interface DialogView {
  update(content: DialogContent): void;
  close(): void;
}

const CSS = `
dialog.hold { pointer-events: auto; box-sizing: border-box; max-width: min(520px, calc(100vw - 32px)); max-height: calc(100vh - 48px); overflow: auto; padding: 20px 22px; border: 0; border-radius: 10px; box-shadow: 0 12px 40px rgba(0,0,0,.35); font: 14px/1.45 system-ui, sans-serif; color: #111827; background: #fff; }
dialog.hold::backdrop { background: rgba(17, 24, 39, .45); }
dialog.hold h2 { font-size: 18px; margin: 0 0 6px; }
dialog.hold p { margin: 0 0 10px; }
dialog.hold ul { list-style: none; margin: 0 0 14px; padding: 0; }
dialog.hold li { border-left: 4px solid #c2410c; background: #fff7ed; border-radius: 4px; padding: 8px 10px; margin: 0 0 8px; }
dialog.hold li[data-severity="block"] { border-left-color: #b91c1c; background: #fef2f2; }
dialog.hold li[data-severity="info"] { border-left-color: #1d4ed8; background: #eff6ff; }
dialog.hold .cat { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: #6b7280; }
dialog.hold .words { font-weight: 700; }
dialog.hold .where { font-weight: 400; color: #6b7280; }
dialog.hold .advice { color: #374151; margin-top: 2px; }
dialog.hold .clause { color: #6b7280; font-size: 12px; margin-top: 2px; }
dialog.hold .reminder { border-left: 4px solid #7c3aed; background: #f5f3ff; border-radius: 4px; padding: 8px 10px; margin: 0 0 10px; }
dialog.hold .org { color: #374151; font-size: 13px; }
dialog.hold .reason { display: block; margin: 0 0 12px; font-weight: 600; }
dialog.hold .reason select { display: block; margin-top: 4px; font: 14px system-ui, sans-serif; }
dialog.hold button:disabled { opacity: .5; cursor: not-allowed; }
dialog.hold .buttons { display: flex; gap: 10px; justify-content: flex-end; flex-wrap: wrap; position: sticky; bottom: -20px; margin: 0 -22px -20px; padding: 12px 22px 20px; background: #fff; border-top: 1px solid #e5e7eb; }
dialog.hold button { font: 600 14px system-ui, sans-serif; border-radius: 6px; padding: 8px 14px; cursor: pointer; border: 1px solid #9ca3af; background: #fff; color: #111827; }
dialog.hold .checking { display: flex; gap: 10px; align-items: center; }
dialog.hold .spinner { width: 16px; height: 16px; flex: none; border: 3px solid #bfdbfe; border-top-color: #1d4ed8; border-radius: 50%; animation: hold-spin 1s linear infinite; }
@keyframes hold-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { dialog.hold .spinner { animation: none; } }
dialog.hold button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
dialog.hold button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
`;

export class HoldDialog {
  private dialog: HTMLDialogElement | null = null;

  constructor(private root: ShadowRoot, private doc: Document) {}

  get isOpen(): boolean { return !!this.dialog?.open; }

  /**
   * Show the dialog; `onChoice` gets every choice the teacher makes (Esc is "Edit
   * draft"). The caller closes it, or redraws it with `update` (e.g. from "Checking
   * this post…" to the verdict, or back to checking after "Try again").
   */
  show(content: DialogContent, onChoice: (a: Answer) => void): DialogView {
    this.dialog?.remove();
    const d = this.doc;
    const dialog = d.createElement('dialog');
    // Its style rules all start with dialog.hold: none reaches the overlay's card or reminder, nor theirs it.
    dialog.className = 'hold';
    dialog.lang = uiLang();
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'postsafe-title');
    dialog.setAttribute('aria-describedby', 'postsafe-intro');
    this.root.append(dialog);
    this.dialog = dialog;

    let current = content;
    let reason: HTMLSelectElement | null = null;
    let closed = false;
    const choose = (c: Choice) => {
      if (closed) return;
      if (c === 'post' && (current.checking || !current.overrideAllowed || (reason && !reason.value))) return;
      if (c === 'retry' && !(current.failed || current.timedOut)) return;
      onChoice(c === 'post' && reason ? { choice: c, reason: reason.value as OverrideReason } : { choice: c });
    };
    dialog.addEventListener('click', (e) => {
      const action = (e.target as Element | null)?.closest?.('button')?.dataset.action;
      if (!action) return;
      e.stopPropagation();
      choose(action as Choice);
    });
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); choose('edit'); });
    dialog.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') { e.preventDefault(); choose('edit'); return; }
      if (e.key !== 'Tab') return;
      // Keep focus inside the dialog.
      const focusables = [...dialog.querySelectorAll<HTMLElement>('a[href], select, button:not(:disabled)')];
      const active = this.root.activeElement;
      const i = focusables.indexOf(active as HTMLElement);
      e.preventDefault();
      const next = e.shiftKey ? (i <= 0 ? focusables.length - 1 : i - 1) : (i + 1) % focusables.length;
      focusables[next]!.focus();
    });
    const render = (c: DialogContent) => {
      current = c;
      reason = this.fill(dialog, c);
      // The footer is sticky: focusing its button must not scroll a long dialog away from its top.
      (dialog.querySelector<HTMLElement>('button[data-action="edit"]'))?.focus({ preventScroll: true });
      dialog.scrollTop = 0;
    };
    render(content);
    dialog.showModal();
    (dialog.querySelector<HTMLElement>('button[data-action="edit"]'))?.focus({ preventScroll: true });
    dialog.scrollTop = 0;
    return {
      update: (c) => { if (!closed) render(c); },
      close: () => {
        if (closed) return;
        closed = true;
        dialog.close();
        dialog.remove();
        if (this.dialog === dialog) this.dialog = null;
      },
    };
  }

  /** Draw `content` into the dialog (replacing what was there); returns the reason picker, if any. */
  private fill(dialog: HTMLDialogElement, content: DialogContent): HTMLSelectElement | null {
    const d = this.doc;
    const el = (tag: string, cls?: string, text?: string) => {
      const e = d.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const style = el('style');
    style.textContent = CSS + PHOTO_CSS;
    const wait = content.checking ?? content.timedOut;
    const [titleKey, introKey] = content.checking ? ['checkingTitle', content.checking === 'policy' ? 'checkingPolicy' : 'checkingEngine']
      : content.timedOut ? ['notReadyTitle', wait === 'policy' ? 'notReadyPolicy' : 'notReadyEngine']
        : content.failed ? ['checkFailedTitle', 'checkFailedBody']
          : content.tooLong ? ['tooLongTitle', 'tooLongBody']
            // Only an attached photo holds the post: say so, not "found words".
            : ['dialogTitle', !content.findings.length && content.photos?.length ? 'dialogIntroPhoto' : 'dialogIntro'];
    const title = el('h2', undefined, t(titleKey));
    title.id = 'postsafe-title';
    const intro = el('p', undefined, t(introKey));
    intro.id = 'postsafe-intro';
    // The change from "Checking…" to the verdict is announced.
    intro.setAttribute('aria-live', 'polite');
    dialog.dataset.state = content.checking ? 'checking' : content.timedOut ? 'timed-out' : content.failed ? 'failed' : content.tooLong ? 'too-long' : 'findings';
    if (content.checking) {
      const row = el('div', 'checking');
      const spin = el('span', 'spinner');
      spin.setAttribute('aria-hidden', 'true');
      row.append(spin, intro);
      const buttons = el('div', 'buttons');
      const edit = el('button', 'primary', t('editDraft')) as HTMLButtonElement;
      edit.type = 'button';
      edit.dataset.action = 'edit';
      buttons.append(edit);
      dialog.replaceChildren(style, title, row, buttons);
      return null;
    }
    const list = el('ul');
    list.setAttribute('aria-label', t('dialogListLabel'));
    const shown = [...content.findings].sort((a, b) => rank(b) - rank(a));
    for (const f of shown) {
      const li = el('li');
      li.dataset.severity = f.severity;
      li.dataset.category = f.category;
      const words = el('div', 'words', `“${f.text}”`);
      const where = f.where ?? (f.field !== 'body' ? t(`field_${f.field}`) : null);
      if (where) words.append(' ', el('span', 'where', where));
      // The engine's sentences in the teacher's language (message catalogue by rule id), marked with theirs.
      const said = findingText(f);
      const said_ = [el('div', 'message', said.message), el('div', 'advice', said.advice), ...(said.clause ? [el('div', 'clause', said.clause)] : [])];
      for (const x of said_) x.lang = said.lang;
      li.append(el('div', 'cat', `${t(`category_${f.category}`)} · ${t(`severity_${f.severity}`)}`), words, ...said_);
      list.append(li);
    }
    if (content.image) {
      const li = el('li');
      li.dataset.severity = 'info';
      li.dataset.category = 'image';
      li.append(el('div', 'cat', `${t('category_image')} · ${t('severity_info')}`), el('div', 'message', t('imageReminder')));
      list.append(li);
    }
    for (const p of content.photos ?? []) list.append(photoItem(d, p));
    const extra: HTMLElement[] = [];
    if (content.reminder) {
      const r = el('p', 'reminder', content.reminder);
      r.dataset.postsafe = 'reminder';
      extra.push(r);
    }
    const org = orgLine(d, content.orgName, content.policyUrl);
    if (org) extra.push(org);
    const buttons = el('div', 'buttons');
    const post = el('button', undefined, t('postAnyway')) as HTMLButtonElement;
    post.type = 'button';
    post.dataset.action = 'post';
    const edit = el('button', 'primary', t('editDraft')) as HTMLButtonElement;
    edit.type = 'button';
    edit.dataset.action = 'edit';
    let reason: HTMLSelectElement | null = null;
    if (content.overrideAllowed && content.reasonRequired) {
      const label = el('label', 'reason', t('overrideReasonLabel'));
      const select = el('select') as HTMLSelectElement;
      reason = select;
      select.dataset.field = 'reason';
      select.append(Object.assign(el('option', undefined, t('overrideReasonChoose')) as HTMLOptionElement, { value: '' }));
      for (const r of OVERRIDE_REASONS) select.append(Object.assign(el('option', undefined, t(`overrideReason_${r}`)) as HTMLOptionElement, { value: r }));
      label.append(select);
      extra.push(label);
      post.disabled = true;
      select.addEventListener('change', () => { post.disabled = !select.value; });
    }
    if (content.failed || content.timedOut) {
      const retry = el('button', undefined, t('tryAgain')) as HTMLButtonElement;
      retry.type = 'button';
      retry.dataset.action = 'retry';
      buttons.append(retry);
    }
    if (content.overrideAllowed) buttons.append(post);
    buttons.append(edit);
    dialog.replaceChildren(style, title, intro, ...extra, ...(list.childElementCount ? [list] : []), buttons);
    return reason;
  }
}

function rank(f: Finding): number {
  return f.severity === 'block' ? 2 : f.severity === 'warn' ? 1 : 0;
}

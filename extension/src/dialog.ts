/**
 * The held-post dialog: role=dialog, aria-modal, focus kept inside, Esc closes
 * (as "Edit draft"). Lists what was found; "Edit draft" or "Post anyway".
 */
import type { Finding, OverrideReason } from './protocol';
import { OVERRIDE_REASONS } from './protocol';
import { t } from './i18n';

export type Choice = 'edit' | 'post';
export interface Answer { choice: Choice; reason?: OverrideReason }

export interface DialogContent {
  findings: Finding[];
  /** The check could not run: say so, never pass silently. */
  failed: boolean;
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
}

const CSS = `
dialog { pointer-events: auto; box-sizing: border-box; max-width: min(520px, calc(100vw - 32px)); max-height: calc(100vh - 48px); overflow: auto; padding: 20px 22px; border: 0; border-radius: 10px; box-shadow: 0 12px 40px rgba(0,0,0,.35); font: 14px/1.45 system-ui, sans-serif; color: #111827; background: #fff; }
dialog::backdrop { background: rgba(17, 24, 39, .45); }
h2 { font-size: 18px; margin: 0 0 6px; }
p { margin: 0 0 10px; }
ul { list-style: none; margin: 0 0 14px; padding: 0; }
li { border-left: 4px solid #c2410c; background: #fff7ed; border-radius: 4px; padding: 8px 10px; margin: 0 0 8px; }
li[data-severity="block"] { border-left-color: #b91c1c; background: #fef2f2; }
li[data-severity="info"] { border-left-color: #1d4ed8; background: #eff6ff; }
.cat { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: #6b7280; }
.words { font-weight: 700; }
.where { font-weight: 400; color: #6b7280; }
.advice { color: #374151; margin-top: 2px; }
.clause { color: #6b7280; font-size: 12px; margin-top: 2px; }
.reminder { border-left: 4px solid #7c3aed; background: #f5f3ff; border-radius: 4px; padding: 8px 10px; margin: 0 0 10px; }
.org { color: #374151; font-size: 13px; }
.reason { display: block; margin: 0 0 12px; font-weight: 600; }
.reason select { display: block; margin-top: 4px; font: 14px system-ui, sans-serif; }
button:disabled { opacity: .5; cursor: not-allowed; }
.buttons { display: flex; gap: 10px; justify-content: flex-end; flex-wrap: wrap; }
button { font: 600 14px system-ui, sans-serif; border-radius: 6px; padding: 8px 14px; cursor: pointer; border: 1px solid #9ca3af; background: #fff; color: #111827; }
button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
`;

export class HoldDialog {
  private dialog: HTMLDialogElement | null = null;

  constructor(private root: ShadowRoot, private doc: Document) {}

  get isOpen(): boolean { return !!this.dialog?.open; }

  open(content: DialogContent): Promise<Answer> {
    this.dialog?.remove();
    const d = this.doc;
    const el = (tag: string, cls?: string, text?: string) => {
      const e = d.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    const dialog = d.createElement('dialog');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'postsafe-title');
    dialog.setAttribute('aria-describedby', 'postsafe-intro');
    const style = el('style');
    style.textContent = CSS;
    const title = el('h2', undefined, t(content.failed ? 'checkFailedTitle' : content.tooLong ? 'tooLongTitle' : 'dialogTitle'));
    title.id = 'postsafe-title';
    const intro = el('p', undefined, t(content.failed ? 'checkFailedBody' : content.tooLong ? 'tooLongBody' : 'dialogIntro'));
    intro.id = 'postsafe-intro';
    const list = el('ul');
    list.setAttribute('aria-label', t('dialogListLabel'));
    const shown = [...content.findings].sort((a, b) => rank(b) - rank(a));
    for (const f of shown) {
      const li = el('li');
      li.dataset.severity = f.severity;
      li.dataset.category = f.category;
      const words = el('div', 'words', `“${f.text}”`);
      if (f.field !== 'body') words.append(' ', el('span', 'where', t(`field_${f.field}`)));
      li.append(el('div', 'cat', `${t(`category_${f.category}`)} · ${t(`severity_${f.severity}`)}`), words,
        el('div', 'message', f.message), el('div', 'advice', f.advice));
      if (f.clause) li.append(el('div', 'clause', f.clause));
      list.append(li);
    }
    if (content.image) {
      const li = el('li');
      li.dataset.severity = 'info';
      li.dataset.category = 'image';
      li.append(el('div', 'cat', `${t('category_image')} · ${t('severity_info')}`), el('div', 'message', t('imageReminder')));
      list.append(li);
    }
    const extra: HTMLElement[] = [];
    if (content.reminder) {
      const r = el('p', 'reminder', content.reminder);
      r.dataset.postsafe = 'reminder';
      extra.push(r);
    }
    if (content.orgName || content.policyUrl) {
      const org = el('p', 'org');
      org.dataset.postsafe = 'org';
      if (content.orgName) org.append(t('policyOf', [content.orgName]), ' ');
      if (content.policyUrl) {
        const a = el('a', undefined, t('readPolicy')) as HTMLAnchorElement;
        a.href = content.policyUrl;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        org.append(a);
      }
      extra.push(org);
    }
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
      reason = el('select') as HTMLSelectElement;
      reason.dataset.field = 'reason';
      reason.append(Object.assign(el('option', undefined, t('overrideReasonChoose')) as HTMLOptionElement, { value: '' }));
      for (const r of OVERRIDE_REASONS) reason.append(Object.assign(el('option', undefined, t(`overrideReason_${r}`)) as HTMLOptionElement, { value: r }));
      label.append(reason);
      extra.push(label);
      post.disabled = true;
      reason.addEventListener('change', () => { post.disabled = !reason!.value; });
    }
    if (content.overrideAllowed) buttons.append(post);
    buttons.append(edit);
    dialog.append(style, title, intro, ...extra, list, buttons);
    this.root.append(dialog);
    this.dialog = dialog;

    return new Promise<Answer>((resolve) => {
      let done = false;
      const finish = (c: Choice) => {
        if (done) return;
        if (c === 'post' && (!content.overrideAllowed || (reason && !reason.value))) return;
        done = true;
        dialog.close();
        dialog.remove();
        if (this.dialog === dialog) this.dialog = null;
        resolve(c === 'post' && reason ? { choice: c, reason: reason.value as OverrideReason } : { choice: c });
      };
      edit.addEventListener('click', (e) => { e.stopPropagation(); finish('edit'); });
      post.addEventListener('click', (e) => { e.stopPropagation(); finish('post'); });
      dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish('edit'); });
      dialog.addEventListener('keydown', (e) => {
        e.stopPropagation();
        if (e.key === 'Escape') { e.preventDefault(); finish('edit'); return; }
        if (e.key !== 'Tab') return;
        // Keep focus inside the dialog.
        const focusables = [...dialog.querySelectorAll<HTMLElement>('a[href], select, button:not(:disabled)')];
        const active = this.root.activeElement;
        const i = focusables.indexOf(active as HTMLElement);
        e.preventDefault();
        const next = e.shiftKey ? (i <= 0 ? focusables.length - 1 : i - 1) : (i + 1) % focusables.length;
        focusables[next]!.focus();
      });
      dialog.showModal();
      edit.focus();
    });
  }
}

function rank(f: Finding): number {
  return f.severity === 'block' ? 2 : f.severity === 'warn' ? 1 : 0;
}

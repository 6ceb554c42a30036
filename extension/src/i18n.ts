/** Every string a person reads comes from _locales (en_GB, cy) through here. */
import type { Finding } from './protocol';

export function t(key: string, subs?: string | string[]): string {
  try {
    const s = chrome.i18n.getMessage(key, subs);
    if (s) return s;
  } catch {
    // The extension was reloaded under this page: fall through to the key.
  }
  return key;
}

/**
 * The language the extension's own words are in, as a BCP 47 tag for `lang` ("en-GB",
 * "cy"): the catalogue in use says (a browser in French falls back to en_GB, so its
 * own locale would be wrong).
 */
export function uiLang(): string {
  const l = t('lang');
  return l === 'lang' ? 'en-GB' : l;
}

/**
 * Rules whose words the engine writes itself, whatever the pack (roster and school
 * rules: crates/core engine.rs `text`), by the part of the rule id after the pack id.
 */
const ENGINE_RULES = new Set(['pupil.name', 'pupil.first-name', 'pupil.word-name', 'pupil.name-like', 'staff.name', 'school.name', 'school.contact']);

/**
 * The message-catalogue key of a rule id ("PACK/RULE"), or null when its words are
 * the trust's own (a term list or pattern of a trust's pack, shown as the trust
 * wrote them). Built-in pack rules: `rule_builtin_<rule>`; engine roster and school
 * rules of any pack: `rule_<rule>`; '.' and '-' become '_'. The catalogue has
 * `<key>_message`, `<key>_advice` and, for the built-in pack, `<key>_clause`.
 */
export function ruleKey(rule: string): string | null {
  const slash = rule.indexOf('/');
  if (slash < 0) return null;
  const pack = rule.slice(0, slash), local = rule.slice(slash + 1);
  const safe = local.replace(/[^A-Za-z0-9]/g, '_');
  if (pack === 'builtin') return `rule_builtin_${safe}`;
  return ENGINE_RULES.has(local) ? `rule_${safe}` : null;
}

/**
 * The clauses the engine gives its roster and school rules when a pack names none
 * (crates/core engine/mod.rs `text`), by category: generic, the English of the catalogue's
 * `clause_<category>`, which a teacher is shown in their language instead. A trust's own
 * clause (pack `clauses`) is shown as it is.
 */
export const ENGINE_CLAUSES: Record<string, string> = {
  pupil: 'Pupils must not be identified or discussed',
  staff: 'Personal information about colleagues stays private',
  school: 'Do not identify the school or yourself as its employee',
};

/** What the card and the dialog say about a finding, and the language it is in. */
export interface FindingWords { message: string; advice: string; clause: string; lang: string }

/**
 * A finding's sentences in the teacher's language: from the message catalogue by
 * rule id when the engine or the built-in pack wrote them; otherwise as the pack
 * has them (the teacher's own list is written in the interface language; a trust's
 * pack in English).
 */
export function findingText(f: Finding): FindingWords {
  const key = ruleKey(f.rule);
  if (key) {
    const message = t(`${key}_message`);
    if (message !== `${key}_message`) {
      const clause = t(`${key}_clause`);
      return {
        message, advice: t(`${key}_advice`),
        clause: clause !== `${key}_clause` ? clause : f.clause === ENGINE_CLAUSES[f.category] ? t(`clause_${f.category}`) : f.clause,
        lang: uiLang(),
      };
    }
  }
  return { message: f.message, advice: f.advice, clause: f.clause, lang: f.rule.startsWith('teacher/') ? uiLang() : 'en-GB' };
}

/** Apply data-i18n="key" (text) and data-i18n-attr="attr:key" to a page of the extension. */
export function localisePage(doc: Document): void {
  doc.documentElement.lang = uiLang();
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr!.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

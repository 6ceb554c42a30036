/** Every string a person reads comes from _locales (en_GB, cy) through here. */
export function t(key: string, subs?: string | string[]): string {
  try {
    const s = chrome.i18n.getMessage(key, subs);
    if (s) return s;
  } catch {
    // The extension was reloaded under this page: fall through to the key.
  }
  return key;
}

/** Apply data-i18n="key" (text) and data-i18n-attr="attr:key" to a page of the extension. */
export function localisePage(doc: Document): void {
  doc.documentElement.lang = t('@@ui_locale').replace('_', '-');
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of doc.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr!.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

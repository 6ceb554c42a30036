//! Connection checks: does the person a teacher is about to connect with, follow or
//! message have the name of a pupil on the trust's roster?
//!
//! A display name is not a sentence: the question is only whether the name (given
//! name and surname, written any of the ways drafts are read: nicknames and other
//! spellings of the given name, a one-letter slip or a sound-alike surname, the name
//! squashed into a handle, look-alike letters, digits for letters) belongs to a
//! pupil. So [`Engine::check_person`] reads the display name and the @handle through
//! the engine's roster lookups (plain or hashed, the very ones a draft goes through)
//! and keeps only whole-name matches of a pupil: a first name alone never counts
//! (half the class would share it), nor do colleagues, schools or terms.
//!
//! Policy clauses: "Colleagues must decline friend requests from pupils" and "must not
//! have contact through any personal social medium with any pupil" (seed 000 §6; seed
//! 001); "Any communication received via a social media site from a Child must be
//! immediately reported to the Head Teacher" (seed 002 3.1.3).
//!
//! Privacy: the result carries only the words the site showed (the display name or
//! handle), never a roster name.

use serde::Serialize;

use crate::pack::Category;
use crate::Engine;

/// The message a teacher reads when a person's name matches a pupil's.
pub const PERSON_MESSAGE: &str = "This may be a pupil at your trust. Staff must not connect with pupils on personal accounts; decline, and tell your designated safeguarding lead.";

/// What to do, from seed 002 3.1.3.
pub const PERSON_ADVICE: &str = "Do not accept or reply. Any contact from a pupil through social media must be reported to your head teacher or designated safeguarding lead at once.";

/// The clause behind a person match when the pack names none for pupils.
pub const PERSON_CLAUSE: &str = "Staff must decline friend requests from pupils and must not have contact with pupils through personal social media (e.g. Enquire §6; seed 001; seed 002 3.1.2-3.1.3)";

/// Which text about the person matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonField {
    /// The display name, e.g. `"Tom Smith 🌸"`.
    Name,
    /// The handle, e.g. `"@tomsmith07"` (the `@` is optional).
    Handle,
}

/// How closely the person's name matches a pupil's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonMatchKind {
    /// A pupil's full name as the roster gives it or as drafts write it: nicknames,
    /// other spellings of the given name, either order, squashed, look-alike letters.
    Name,
    /// The given name and surname initial only (`"Olivia K"`).
    Initial,
    /// The given name with a surname one slip away or sounding alike (`"Thomas Smyth"`).
    Like,
}

/// One reason to think the person may be a pupil.
///
/// `start`/`end` are UTF-16 code units into the field's text as given (JavaScript
/// string indices), `text` exactly the words there. Nothing here is a roster name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonMatch {
    /// Display name or handle.
    pub field: PersonField,
    /// How close the match is.
    pub kind: PersonMatchKind,
    /// Start of the matching words, in UTF-16 code units of the field.
    pub start: usize,
    /// End of the matching words (exclusive), in UTF-16 code units of the field.
    pub end: usize,
    /// The matching words as the site shows them.
    pub text: String,
    /// The roster rule it came from, `PACK/pupil.name` or `PACK/pupil.name-like`.
    pub rule: String,
    /// Why it matters, in one plain sentence ([`PERSON_MESSAGE`]).
    pub message: String,
    /// What to do ([`PERSON_ADVICE`]).
    pub advice: String,
    /// The pack's pupil clause, or [`PERSON_CLAUSE`].
    pub clause: String,
}

/// The longest display name or handle read, in bytes: sites cap names far below
/// this, so anything longer is cut (at a character boundary) rather than scanned.
pub const MAX_PERSON_BYTES: usize = 1024;

fn cut(s: &str) -> &str {
    if s.len() <= MAX_PERSON_BYTES {
        return s;
    }
    let mut end = MAX_PERSON_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A handle read as words: the separators people put between names in handles
/// (`_`, `.`, `-`) become spaces, byte for byte, so offsets stay those of `handle`.
fn handle_words(handle: &str) -> String {
    handle
        .chars()
        .map(|c| if matches!(c, '_' | '.' | '-') { ' ' } else { c })
        .collect()
}

fn is_initial(text: &str) -> bool {
    let last = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .rfind(|w| !w.is_empty())
        .unwrap_or("");
    last.trim_end_matches('.').chars().count() == 1
        || text
            .split(|c: char| c.is_whitespace() || c == ',')
            .find(|w| !w.is_empty())
            .is_some_and(|w| w.trim_end_matches('.').chars().count() == 1)
}

impl Engine {
    /// Whether a person (display name, and @handle where the site shows one) may be a
    /// pupil on the trust's roster: every whole-name match of a pupil (plain or hashed
    /// roster) in the name or handle, name first. Empty when nothing matches, and
    /// always empty for an engine without a pupil roster.
    ///
    /// `name` and `handle` are read up to [`MAX_PERSON_BYTES`] bytes each; a leading
    /// `@` on the handle is ignored. Offsets are UTF-16 code units of the text given.
    ///
    /// ```
    /// use postsafe_core::{Engine, Pack};
    /// let pack = Pack::from_json("t.json", r#"{"format": 1, "id": "t", "name": "T", "version": "1",
    ///   "pupils": [{"forename": "Thomas", "surname": "Smith"}]}"#).unwrap();
    /// let engine = Engine::new(&[pack]).unwrap();
    /// assert_eq!(engine.check_person("Tommy Smith ⚽", None)[0].text, "Tommy Smith");
    /// assert!(engine.check_person("Tommy Jones", Some("@tjones")).is_empty());
    /// ```
    pub fn check_person(&self, name: &str, handle: Option<&str>) -> Vec<PersonMatch> {
        let mut out = Vec::new();
        self.person_field(cut(name), PersonField::Name, &mut out);
        if let Some(h) = handle {
            let h = cut(h);
            self.person_field(h, PersonField::Handle, &mut out);
            let words = handle_words(h);
            if words != h {
                self.person_field(&words, PersonField::Handle, &mut out);
                // Report the words as the site shows them.
                for m in out.iter_mut().filter(|m| m.field == PersonField::Handle) {
                    m.text = utf16_slice(h, m.start, m.end);
                }
            }
        }
        out.sort_by_key(|m| (m.field as u8, m.start, m.end));
        out.dedup_by(|a, b| a.field == b.field && a.start == b.start && a.end == b.end);
        out
    }

    fn person_field(&self, text: &str, field: PersonField, out: &mut Vec<PersonMatch>) {
        if text.trim().is_empty() {
            return;
        }
        for f in self.scan_text(text) {
            if f.category != Category::Pupil {
                continue;
            }
            let kind = if f.rule.ends_with("/pupil.name-like") {
                PersonMatchKind::Like
            } else if f.rule.ends_with("/pupil.name") {
                if is_initial(&f.text) {
                    PersonMatchKind::Initial
                } else {
                    PersonMatchKind::Name
                }
            } else {
                // A first name alone (only ever raised near school words): not a person.
                continue;
            };
            out.push(PersonMatch {
                field,
                kind,
                start: f.utf16_start,
                end: f.utf16_end,
                text: f.text,
                rule: f.rule,
                message: PERSON_MESSAGE.into(),
                advice: PERSON_ADVICE.into(),
                clause: if f.clause.is_empty() {
                    PERSON_CLAUSE.into()
                } else {
                    format!("{PERSON_CLAUSE}; {}", f.clause)
                },
            });
        }
    }
}

/// `s[start..end]` in UTF-16 code units.
fn utf16_slice(s: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16_lossy(&units[start.min(units.len())..end.min(units.len())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Pack;

    fn engine() -> Engine {
        let pack = Pack::from_json(
            "t.json",
            r#"{"format": 1, "id": "t", "name": "T", "version": "1",
              "pupils": [{"forename": "Thomas", "surname": "Smith", "preferred_forename": "Tom"},
                         {"forename": "Olivia", "surname": "Kowalczyk"}],
              "staff": [{"forename": "Helen", "surname": "Baker"}]}"#,
        )
        .unwrap();
        Engine::new(&[pack]).unwrap()
    }

    #[test]
    fn names_and_handles() {
        let e = engine();
        let m = e.check_person("Tommy Smith", None);
        assert_eq!(
            (m[0].kind, m[0].text.as_str()),
            (PersonMatchKind::Name, "Tommy Smith")
        );
        let m = e.check_person("Olivia Kowalczik", None);
        assert_eq!(m[0].kind, PersonMatchKind::Like);
        let m = e.check_person("Olivia K", None);
        assert_eq!(m[0].kind, PersonMatchKind::Initial);
        let m = e.check_person("OK", Some("@tom.smith.07"));
        assert_eq!(m.len(), 1);
        assert_eq!(
            (m[0].field, m[0].text.as_str()),
            (PersonField::Handle, "tom.smith")
        );
        // A first name alone, a colleague, a stranger: nothing.
        assert!(e.check_person("Thomas", None).is_empty());
        assert!(e.check_person("Helen Baker", None).is_empty());
        assert!(e.check_person("Thomas Jones", Some("@tjones")).is_empty());
        assert!(e.check_person("", Some("")).is_empty());
    }

    #[test]
    fn utf16_offsets() {
        let e = engine();
        let name = "🌸 Olivia Kowalczyk";
        let m = e.check_person(name, None);
        assert_eq!((m[0].start, m[0].end), (3, 19));
    }
}

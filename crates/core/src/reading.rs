//! How the words around a match decide whether it is a finding: capitals, the start of a
//! sentence, a name that belongs to somebody else ("Ted Cruz", "San Diego"), a word inside
//! a longer one ("Mia-Rose"), a saint's day, an initial that is really the next sentence.
//!
//! Every function takes the field's original text and byte offsets into it (UTF-8, on
//! character boundaries), as the engine's candidates carry them.

/// Whether the words have letters and all of them are capitals ("LAC", "EHCP").
pub(crate) fn is_all_caps(words: &str) -> bool {
    // A plural "s" after capitals is still capitals ("EHCPs").
    let words = words.strip_suffix('s').unwrap_or(words);
    let mut letters = words.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(|c| !c.is_lowercase())
}

/// Whether the first letter is a capital ("Grace", not "grace").
pub(crate) fn is_capitalised(words: &str) -> bool {
    words
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

/// Whether the words after a first name start with a capital on the same line
/// ("Cristiano Ronaldo"): then the first name belongs to somebody's full name.
pub(crate) fn next_word_capitalised(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t', '\u{a0}']);
    rest.len() < after.len() && rest.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a first name at `start..end` stands alone as somebody's first name: written
/// with a capital, not followed by another capitalised name ("Cristiano Ronaldo"), not
/// after one ("Ted Cruz", "San Diego", "Jefferson, Georgia"), not inside a word.
pub(crate) fn first_name_alone(text: &str, start: usize, end: usize) -> bool {
    is_capitalised(&text[start..end])
        && !next_word_capitalised(&text[end..])
        && !after_name_word(&text[..start])
        && !inside_word(text, start, end)
        && !named_place(&text[..start], &text[start..end])
}

/// Given names that are also places people write about ("Atlanta, Georgia", "a week in
/// Florence").
pub(crate) const PLACE_NAMES: &[&str] = &[
    "adelaide", "africa", "america", "asia", "austin", "carolina", "chester", "dakota", "dallas",
    "denver", "florence", "florida", "georgia", "houston", "india", "jordan", "kenya", "lincoln",
    "madison", "orlando", "paris", "phoenix", "preston", "savannah", "sydney", "victoria",
    "virginia", "york",
];

/// Whether `name` is one of [`PLACE_NAMES`] written as a place: after "in", "to",
/// "from", "at", "visit(ing)" or after a capitalised place and a comma.
pub(crate) fn named_place(before: &str, name: &str) -> bool {
    let lower = name.to_lowercase();
    let lower = lower.strip_suffix("'s").unwrap_or(&lower);
    if !PLACE_NAMES.contains(&lower) {
        return false;
    }
    let t = before.trim_end_matches([' ', '\t', '\u{a0}']);
    if let Some(t) = t.strip_suffix(',') {
        return t
            .split_whitespace()
            .next_back()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
    }
    let prev = t
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    matches!(
        prev.as_str(),
        "in" | "to"
            | "from"
            | "at"
            | "visit"
            | "visiting"
            | "visited"
            | "near"
            | "around"
            | "across"
            | "throughout"
            | "of"
    )
}

/// Whether a roster name at `start..end` is that person's name rather than part of
/// something else (the engine's `Kind::Person`).
pub(crate) fn person_alone(text: &str, start: usize, end: usize, initial: bool) -> bool {
    let words = &text[start..end];
    let hyphen_pair = !words.contains(char::is_whitespace)
        && words.contains(['-', '\u{2010}', '\u{2011}'])
        && !words.contains([',', '_']);
    !(hyphen_pair
        || inside_word(text, start, end)
        || after_name_word(&text[..start])
        || initial && initial_is_next_sentence(words, &text[end..]))
}

/// Whether a saint's name alone ("St Patrick's") is the school rather than a day, a
/// church or another place: not followed by another capitalised word ("St Patrick's
/// Day", "St Paul's Cathedral"), by a word for a day, church or hospital, or by "in" or
/// "of" and a capitalised place ("St Patrick's in Haiti").
pub(crate) fn saint_alone(text: &str, start: usize, end: usize) -> bool {
    if next_word_capitalised(&text[end..]) || inside_word(text, start, end) {
        return false;
    }
    let mut next = text[end..]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let w1 = next.next().unwrap_or("").to_lowercase();
    let w2 = next.next().unwrap_or("");
    let place = matches!(w1.as_str(), "in" | "of" | "de" | "du")
        && w2.chars().next().is_some_and(char::is_uppercase);
    let other = matches!(
        w1.as_str(),
        "day"
            | "eve"
            | "cathedral"
            | "church"
            | "hospital"
            | "basilica"
            | "chapel"
            | "abbey"
            | "parish"
            | "college"
            | "university"
            | "park"
            | "square"
            | "station"
    );
    !place && !other
}

/// Whether `start..end` begins or ends inside a longer word: a letter right before or
/// after it, or a hyphen joining it to one ("Mia-Rose", "TED-Ed", "#BabyRoseParker").
pub(crate) fn inside_word(text: &str, start: usize, end: usize) -> bool {
    let hyphen = |c: char| matches!(c, '-' | '\u{2010}' | '\u{2011}');
    let mut before = text[..start].chars().rev();
    let joined_before = match before.next() {
        Some(c) if c.is_alphabetic() => true,
        Some(c) if hyphen(c) => before.next().is_some_and(char::is_alphabetic),
        _ => false,
    };
    let mut after = text[end..].chars();
    let joined_after = match after.next() {
        Some(c) if c.is_alphabetic() => true,
        Some(c) if hyphen(c) => after.next().is_some_and(char::is_alphabetic),
        _ => false,
    };
    joined_before || joined_after
}

/// Words that may come right before a pupil's name with a capital without making it
/// somebody else's name: sentence openers, praise, school roles, titles.
pub(crate) const LEAD_INS: &[&str] = &[
    "a",
    "all",
    "amazing",
    "and",
    "art",
    "award",
    "awards",
    "big",
    "birthday",
    "boy",
    "brilliant",
    "by",
    "captain",
    "champion",
    "class",
    "congrats",
    "congratulations",
    "dear",
    "done",
    "dr",
    "english",
    "excellent",
    "fantastic",
    "for",
    "form",
    "from",
    "girl",
    "go",
    "great",
    "happy",
    "head",
    "hello",
    "her",
    "hi",
    "his",
    "huge",
    "in",
    "is",
    "lovely",
    "maths",
    "meet",
    "mention",
    "miss",
    "mr",
    "mrs",
    "ms",
    "mx",
    "music",
    "my",
    "of",
    "on",
    "our",
    "pe",
    "player",
    "prefect",
    "proud",
    "pupil",
    "reader",
    "science",
    "so",
    "special",
    "sports",
    "star",
    "student",
    "super",
    "superstar",
    "teacher",
    "team",
    "thank",
    "thanks",
    "the",
    "this",
    "to",
    "today",
    "week",
    "welcome",
    "well",
    "winner",
    "winners",
    "with",
    "wonderful",
    "writer",
    "yay",
    "year",
    "you",
    "your",
];

/// Everyday words that start sentences and headlines, never read as a given name by
/// its sound.
pub(crate) const SOUND_STOP_WORDS: &[&str] = &[
    "are", "but", "can", "did", "does", "had", "has", "have", "here", "how", "its", "just", "not",
    "now", "one", "see", "she", "that", "then", "there", "they", "was", "were", "what", "when",
    "where", "who", "why", "will", "would", "yes",
];

/// Whether the text before a name ends with a capitalised word that makes the name part
/// of another one ("Ted" before "Cruz", "San" before "Diego", "Jefferson," before
/// "Georgia"), rather than a sentence end, a lower-case word or a lead-in.
pub(crate) fn after_name_word(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t', '\u{a0}']);
    if trimmed.len() == before.len() {
        return false;
    }
    let word_start = trimmed
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &trimmed[word_start..];
    if word.ends_with('.') && !matches!(word, "St." | "Mt." | "Ft.") {
        return false;
    }
    let bare = word.trim_end_matches('.');
    if !bare.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let lower = bare.to_lowercase();
    !LEAD_INS.contains(&lower.as_str()) && !crate::variants::TITLES.contains(&lower.as_str())
}

/// Whether a name ending in an initial ("Summer I") is not a name and surname initial:
/// a lower-case letter ("Mac 'n"), the start of the next sentence ("...last summer. I
/// saw"), the pronoun ("Tom I think"), or a middle initial ("Stephen K. Bannon").
pub(crate) fn initial_is_next_sentence(words: &str, after: &str) -> bool {
    let mut rev = words.char_indices().rev();
    let Some((i, last)) = rev.next() else {
        return false;
    };
    if !last.is_alphabetic() || rev.next().is_some_and(|(_, c)| c.is_alphanumeric()) {
        return false;
    }
    let gap_end = i;
    let gap_start = words[..gap_end]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_alphanumeric())
        .map_or(0, |(j, c)| j + c.len_utf8());
    let gap = &words[gap_start..gap_end];
    if gap.contains(['.', '!', '?', ';', ':', '\n']) || !last.is_uppercase() {
        return true;
    }
    let rest = after.trim_start_matches([' ', '\u{a0}']);
    if last == 'I'
        && rest.len() < after.len()
        && rest.chars().next().is_some_and(char::is_lowercase)
    {
        return true;
    }
    // A middle initial: "Stephen K. Bannon", but not "Tom S. Well done!".
    let rest = after.strip_prefix('.').unwrap_or(after);
    let next = rest.trim_start_matches([' ', '\u{a0}']);
    if next.len() == rest.len() {
        return false;
    }
    let word: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
    word.chars().next().is_some_and(char::is_uppercase)
        && !LEAD_INS.contains(&word.to_lowercase().as_str())
}

/// Whether `before` ends where a sentence starts: nothing, or a sentence end, a colon or
/// a line break, maybe followed by quotes or brackets.
pub(crate) fn at_sentence_start(before: &str) -> bool {
    let t = before.trim_end_matches(|c: char| c.is_whitespace() || "\"'“‘([".contains(c));
    t.is_empty() || t.ends_with(['.', '!', '?', ':', ';', '\n']) || before.ends_with('\n')
}

/// Moves `start` back over the first parts of a hyphenated word it ends
/// ("Muhammad-|Uzair" → "|Muhammad-Uzair").
pub(crate) fn with_hyphenated_start(text: &str, start: usize) -> usize {
    let mut at = start;
    while let Some(h) = text[..at].strip_suffix(['-', '\u{2010}', '\u{2011}']) {
        let word = h
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map(|(i, _)| i);
        match word {
            Some(i) => at = i,
            None => break,
        }
    }
    at
}

//! Facts about given names that the pupil rules need.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Given names that are also English words (Grace, Will, Hope, May, Rose, ...), from
/// ONS baby names crossed with a British English word list. Lowercase, one a line.
const ENGLISH_WORD_NAMES: &str = include_str!("../data/english_word_names.txt");

fn english_word_names() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        ENGLISH_WORD_NAMES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    })
}

/// Whether a normalised given name is also an English word ("grace", "will").
pub fn is_english_word(name: &str) -> bool {
    english_word_names().contains(name)
}

/// Whether a pupil's normalised first name may be matched on its own (near school
/// words, capitalised): one word of at least three letters that is not an English word.
/// "by the grace of God" never matches a pupil called Grace.
pub fn first_name_may_stand_alone(name: &str) -> bool {
    !name.contains(' ') && name.chars().count() >= 3 && !is_english_word(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_never_stand_alone() {
        for w in ["grace", "will", "hope", "may", "rose", "summer", "jack"] {
            assert!(!first_name_may_stand_alone(w), "{w}");
        }
        for n in ["oliver", "amelia", "priya"] {
            assert!(first_name_may_stand_alone(n), "{n}");
        }
    }
}

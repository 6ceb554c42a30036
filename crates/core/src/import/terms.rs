//! The terms file of `pack build --terms`: a trust's own term lists, patterns, allow
//! list, names and school details, as JSON.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::PackError;
use crate::pack::{Category, Pattern, School, TermList};

/// A trust's own additions, given to `pack build --terms`: term lists, patterns, an
/// allow list, more names for the trust, clauses, and extra details for schools
/// (matched to the register's rows by URN, or added when they have a name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsFile {
    /// Term lists, as in a pack.
    #[serde(default)]
    pub term_lists: Vec<TermList>,
    /// Patterns, as in a pack.
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    /// Allow list, as in a pack.
    #[serde(default)]
    pub allow: Vec<String>,
    /// More names of the trust.
    #[serde(default)]
    pub trust_names: Vec<String>,
    /// Policy clauses by category, as in a pack.
    #[serde(default)]
    pub clauses: BTreeMap<Category, String>,
    /// Schools: with a `urn` matching a register row, their lists are added to it;
    /// otherwise they are added as schools.
    #[serde(default)]
    pub schools: Vec<School>,
}

impl TermsFile {
    /// Parses a terms file. A leading byte order mark is ignored.
    ///
    /// # Errors
    /// Malformed JSON or an unknown field, with line and column.
    pub fn from_json(source: &str, text: &str) -> Result<TermsFile, PackError> {
        serde_json::from_str(text.strip_prefix('\u{FEFF}').unwrap_or(text)).map_err(|e| {
            let msg = e.to_string();
            let reason = msg
                .rfind(" at line ")
                .map_or(msg.clone(), |i| msg[..i].to_string());
            PackError::new(source, Some((e.line(), e.column())), reason)
        })
    }
}

//! # postsafe-wasm-admin
//!
//! Thin wasm-bindgen bindings for the admin page and its worker (issue 15): the engine
//! of [`postsafe_wasm`] (re-exported: `Engine`, `version`, `memoryBytes`, for the
//! sample draft's findings) plus pack building, checking and diffing over
//! postsafe-core's `build` feature. No logic of its own.
//!
//! A module of its own so that the service worker's engine never carries the CSV
//! import, Windows-1252 decoding and the builder (README, "WebAssembly size"). The
//! admin worker bundles this module's bytes (extension/build.mjs).

use postsafe_core::{build, Pack};
use postsafe_wasm::{js_error, to_js};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use postsafe_wasm::{memory_bytes, version, Engine};

#[wasm_bindgen(typescript_custom_section)]
const TS_ADMIN_TYPES: &str = r#"
/** A step of a pack build, as `PackBuilder.build` reports it. */
export interface BuildProgress {
  /** "read" (a file was read), "hashing" (the roster is being hashed) or "checking". */
  stage: "read" | "hashing" | "checking";
  /** For "read": "schools", "pupils", "staff" or "terms". */
  kind?: string;
  /** For "read": the file's name. */
  file?: string;
  /** For "read": entries taken from the file. */
  items?: number;
  /** For "read": rows left out (1-based line and why). */
  skipped?: { line: number; reason: string }[];
  /** Steps done (this one included for "read" and "hashing"). */
  step: number;
  /** Steps in all. */
  steps: number;
}

/** A built pack. */
export interface BuiltPack {
  /** The pack's JSON, as `postsafe pack build` writes it: the bytes to save. */
  json: string;
  id: string;
  version: string;
  expires: string | null;
  schools: number;
  /** Pupils read (before hashing). */
  pupils: number;
  /** Staff members read (before hashing). */
  staff: number;
  termLists: number;
  patterns: number;
  hashed: boolean;
  /** Every row left out, each with its file, 1-based line and reason. */
  problems: { file: string; line: number; reason: string }[];
}

/** A school of a register file. */
export interface RegisterSchool { urn: string | null; name: string; trust: string | null }

/** What `checkPack` says about a pack. */
export interface CheckReport {
  id: string; name: string; version: string; expires: string | null; expired: boolean;
  /** [category, entries], in category order, then "allow". */
  counts: [string, number][];
  spellings: number; hashed: boolean;
}

/** What changed between two packs, in counts only (`diffPacks`). */
export interface PackDiff {
  id: [string, string] | null;
  version: [string, string];
  expires: [string | null, string | null] | null;
  kinds: { kind: string; before: number; after: number; added: number; removed: number }[];
  hashed: [{ pupils: number; staff: number } | null, { pupils: number; staff: number } | null] | null;
  changed: boolean;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// A JavaScript function called with each `BuildProgress` (TypeScript) of a build.
    #[wasm_bindgen(typescript_type = "(p: BuildProgress) => void")]
    pub type ProgressCallback;
    #[wasm_bindgen(method, structural, js_name = call)]
    fn call(this: &ProgressCallback, this_arg: &JsValue, arg: &JsValue);
}

#[derive(Serialize)]
struct JsProgress<'a> {
    stage: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<Vec<JsSkipped<'a>>>,
    step: usize,
    steps: usize,
}

#[derive(Serialize)]
struct JsSkipped<'a> {
    line: usize,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsProblem<'a> {
    file: &'a str,
    line: usize,
    reason: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsBuilt<'a> {
    json: &'a str,
    id: &'a str,
    version: &'a str,
    expires: Option<&'a str>,
    schools: usize,
    pupils: usize,
    staff: usize,
    term_lists: usize,
    patterns: usize,
    hashed: bool,
    problems: Vec<JsProblem<'a>>,
}

/// A pack build, set up one input at a time (files as bytes with their names), then
/// run with [`PackBuilder::build`]: the same builder as `postsafe pack build`, so the
/// same inputs give the same bytes.
#[wasm_bindgen]
pub struct PackBuilder {
    input: build::BuildInput,
}

#[wasm_bindgen]
impl PackBuilder {
    /// A build for the trust `name` on the day `todayUnixDays` (days since 1970-01-01,
    /// UTC: `Math.floor(Date.now() / 86400000)`), which sets the default version and
    /// expiry.
    #[wasm_bindgen(constructor)]
    pub fn new(name: String, #[wasm_bindgen(js_name = todayUnixDays)] today: f64) -> PackBuilder {
        PackBuilder {
            input: build::BuildInput::new(name, build::Date::from_unix_days(today as i64)),
        }
    }

    /// The pack id (default: made from the name).
    #[wasm_bindgen(js_name = setId)]
    pub fn set_id(&mut self, id: String) {
        self.input.id = Some(id);
    }

    /// The pack version (default: today, `YYYY.MM.DD`).
    #[wasm_bindgen(js_name = setVersion)]
    pub fn set_version(&mut self, version: String) {
        self.input.version = Some(version);
    }

    /// The expiry date `YYYY-MM-DD` (default: a year from today).
    #[wasm_bindgen(js_name = setExpires)]
    pub fn set_expires(&mut self, expires: String) {
        self.input.expires = Some(expires);
    }

    /// The register of schools (GIAS CSV): its file name and bytes.
    #[wasm_bindgen(js_name = setSchools)]
    pub fn set_schools(&mut self, name: String, bytes: Vec<u8>) {
        self.input.schools = Some(build::InputFile::new(name, bytes));
    }

    /// Keep only the register's schools of this trust.
    #[wasm_bindgen(js_name = setTrust)]
    pub fn set_trust(&mut self, trust: String) {
        self.input.trust = Some(trust);
    }

    /// Keep this URN of the register (call once for each).
    #[wasm_bindgen(js_name = addUrn)]
    pub fn add_urn(&mut self, urn: String) {
        self.input.urns.push(urn);
    }

    /// A pupil roster (SIMS, Arbor or plain CSV): its file name and bytes.
    #[wasm_bindgen(js_name = addPupils)]
    pub fn add_pupils(&mut self, name: String, bytes: Vec<u8>) {
        self.input.pupils.push(build::InputFile::new(name, bytes));
    }

    /// A staff list (CSV): its file name and bytes.
    #[wasm_bindgen(js_name = addStaff)]
    pub fn add_staff(&mut self, name: String, bytes: Vec<u8>) {
        self.input.staff.push(build::InputFile::new(name, bytes));
    }

    /// The terms file (JSON): its file name and bytes.
    #[wasm_bindgen(js_name = setTerms)]
    pub fn set_terms(&mut self, name: String, bytes: Vec<u8>) {
        self.input.terms = Some(build::InputFile::new(name, bytes));
    }

    /// Store the roster as keyed hashes under `salt`: 16 bytes from
    /// `crypto.getRandomValues` (a fixed salt only in tests).
    ///
    /// Throws an `Error` when `salt` is not 16 bytes.
    #[wasm_bindgen(js_name = setSalt)]
    pub fn set_salt(&mut self, salt: Vec<u8>) -> Result<(), JsError> {
        let salt: [u8; 16] = salt.try_into().map_err(|s: Vec<u8>| {
            JsError::new(&format!("the salt is {} bytes, not 16", s.len()))
        })?;
        self.input.salt = Some(salt);
        Ok(())
    }

    /// Builds the pack (named `output` in errors), calling `progress` with each
    /// `BuildProgress` (TypeScript) step. Returns a `BuiltPack` (TypeScript).
    ///
    /// Throws an `Error` naming the file, line and reason, e.g.
    /// `pupils.csv:1:1: unknown column "Shoe size"; accepted columns are: ...`.
    #[wasm_bindgen(unchecked_return_type = "BuiltPack")]
    pub fn build(
        &self,
        output: String,
        progress: Option<ProgressCallback>,
    ) -> Result<JsValue, JsError> {
        let mut problems: Vec<(String, usize, String)> = Vec::new();
        let built = build::build(&self.input, &output, |p| {
            let js = match p {
                build::Progress::Read {
                    kind,
                    file,
                    items,
                    skipped,
                    step,
                    steps,
                } => {
                    for s in skipped {
                        problems.push((file.to_string(), s.line, s.reason.clone()));
                    }
                    JsProgress {
                        stage: "read",
                        kind: Some(kind.as_str()),
                        file: Some(file),
                        items: Some(items),
                        skipped: Some(
                            skipped
                                .iter()
                                .map(|s| JsSkipped {
                                    line: s.line,
                                    reason: &s.reason,
                                })
                                .collect(),
                        ),
                        step,
                        steps,
                    }
                }
                build::Progress::Hashing { step, steps, .. } => JsProgress {
                    stage: "hashing",
                    kind: None,
                    file: None,
                    items: None,
                    skipped: None,
                    step,
                    steps,
                },
                build::Progress::Checking { step, steps } => JsProgress {
                    stage: "checking",
                    kind: None,
                    file: None,
                    items: None,
                    skipped: None,
                    step,
                    steps,
                },
            };
            if let (Some(f), Ok(v)) = (&progress, to_js(&js)) {
                f.call(&JsValue::NULL, &v);
            }
        })
        .map_err(|e| JsError::new(&e.to_string()))?;
        let p = &built.pack;
        to_js(&JsBuilt {
            json: &built.json,
            id: &p.id,
            version: &p.version,
            expires: p.expires.as_deref(),
            schools: p.schools.len(),
            pupils: built.pupils,
            staff: built.staff,
            term_lists: p.term_lists.len(),
            patterns: p.patterns.len(),
            hashed: built.hashed,
            problems: problems
                .iter()
                .map(|(file, line, reason)| JsProblem {
                    file,
                    line: *line,
                    reason,
                })
                .collect(),
        })
    }
}

/// The schools of a register file (GIAS CSV) with their trusts, in file order: a
/// `RegisterSchool[]`.
///
/// Throws an `Error` naming the file, line and reason.
#[wasm_bindgen(js_name = registerSchools, unchecked_return_type = "RegisterSchool[]")]
pub fn register_schools(name: String, bytes: Vec<u8>) -> Result<JsValue, JsError> {
    let schools = build::register_schools(&build::InputFile::new(name, bytes)).map_err(js_error)?;
    to_js(&schools)
}

/// Checks the pack `text` (named `name` in errors) on its own and summarises it as of
/// `todayUnixDays` (days since 1970-01-01, UTC): a `CheckReport`.
///
/// Throws an `Error` naming the pack, line and reason.
#[wasm_bindgen(js_name = checkPack, unchecked_return_type = "CheckReport")]
pub fn check_pack(
    name: String,
    text: String,
    #[wasm_bindgen(js_name = todayUnixDays)] today: f64,
) -> Result<JsValue, JsError> {
    let r = postsafe_core::check::check(&name, &text, build::Date::from_unix_days(today as i64))
        .map_err(js_error)?;
    to_js(&r)
}

/// Compares two packs (JSON texts, named in errors) in counts that show no name: a
/// `PackDiff`.
///
/// Throws an `Error` naming the pack, line and reason when either does not load.
#[wasm_bindgen(js_name = diffPacks, unchecked_return_type = "PackDiff")]
pub fn diff_packs(
    #[wasm_bindgen(js_name = oldName)] old_name: String,
    #[wasm_bindgen(js_name = oldText)] old_text: String,
    #[wasm_bindgen(js_name = newName)] new_name: String,
    #[wasm_bindgen(js_name = newText)] new_text: String,
) -> Result<JsValue, JsError> {
    let old = Pack::from_json(&old_name, &old_text).map_err(js_error)?;
    let new = Pack::from_json(&new_name, &new_text).map_err(js_error)?;
    to_js(&postsafe_core::diff::diff(&old, &new))
}

//! # postsafe-wasm
//!
//! Thin wasm-bindgen bindings over [`postsafe_core`] for the browser extension's
//! service worker. No logic of its own: it converts packs in, drafts in and findings
//! out, and turns every failure into a JavaScript `Error`.
//!
//! Offsets handed to JavaScript are UTF-16 code units of the field (JS string
//! indices), so `draft.body.slice(f.start, f.end) === f.text`.

use postsafe_core::{build, utf16_offset, Draft, FieldKind, Pack, PackError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A draft as the composer holds it. */
export interface Draft {
  /** The text of the post. */
  body: string;
  /** Alt texts of attached images. */
  alt?: string[];
  /** File names of attachments. */
  files?: string[];
  /** Link URLs in the post. */
  links?: string[];
}

export type Category = "pupil" | "staff" | "school" | "image" | "confidential" | "conduct" | "personal" | "affiliation";
export type Severity = "info" | "warn" | "block";
export type FieldKind = "body" | "alt" | "file" | "link";

/** One thing in a draft that may break the policy. */
export interface Finding {
  category: Category;
  severity: Severity;
  /** Rule identifier, "PACK/RULE". */
  rule: string;
  field: FieldKind;
  /** Index among the fields of its kind (0 for the body). */
  fieldIndex: number;
  /** Start, in UTF-16 code units of the field. */
  start: number;
  /** End (exclusive), in UTF-16 code units of the field. */
  end: number;
  /** The words exactly as typed. */
  text: string;
  /** Why it matters, in one plain sentence. */
  message: string;
  /** What to do instead. */
  advice: string;
  /** The policy clause it comes from. */
  clause: string;
}

/** A loaded pack, summarised. */
export interface PackSummary {
  id: string;
  name: string;
  version: string;
  /** YYYY-MM-DD, or null. */
  expires: string | null;
  /** Entries per category (and "allow"). */
  counts: Record<string, number>;
}

/** A field longer than the engine's limit (256 KiB of UTF-8), checked only up to there. */
export interface Truncation {
  field: FieldKind;
  /** Index among the fields of its kind (0 for the body). */
  fieldIndex: number;
  /** How much of the field was checked, in UTF-16 code units from its start; the rest was not. */
  checked: number;
}

/** What a scan found, and which fields it could check only in part. */
export interface ScanResult {
  /** Findings, sorted by field, field index and start. */
  findings: Finding[];
  /** Fields over the length limit: the words past `checked` were not checked. Empty when all was checked. */
  truncated: Truncation[];
}

/** Why a person (display name or @handle) may be a pupil: see `Engine.checkPerson`. */
export interface PersonMatch {
  field: "name" | "handle";
  /** "name": a pupil's name as drafts write it; "initial": given name and surname initial; "like": a surname slip or sound-alike. */
  kind: "name" | "initial" | "like";
  /** Start, in UTF-16 code units of the field. */
  start: number;
  /** End (exclusive), in UTF-16 code units of the field. */
  end: number;
  /** The words as the site shows them. */
  text: string;
  rule: string;
  message: string;
  advice: string;
  clause: string;
}

/** A finding in a photo's details (issue 16): offsets are into `value`. */
export interface PhotoFinding extends Finding {
  /** Which of the photo's fields: "title", "description", "caption", "headline", "keywords", "people", "owner", "copyright", "comment", "place", "text" or "location". */
  photoField: string;
  /** The field as a teacher reads it, e.g. "the photo's tagged people". */
  label: string;
  /** The field's whole text (for "location", "53.38750, -2.26400"). */
  value: string;
  /** For a location within 400 m of a pack's school: the school's name and the distance (metres, rounded to 10). */
  nearSchool?: string;
  metres?: number;
}

/** What one photo gives away: see `Engine.checkPhoto`. */
export interface PhotoReport {
  /** The file name given. */
  name: string;
  format: "jpeg" | "png" | "heif" | "webp" | null;
  /** Every text value read from the file, also those with no finding. */
  texts: { field: string; text: string }[];
  /** GPS position (WGS84 degrees), when the photo records one. */
  position: { latitude: number; longitude: number } | null;
  /** When it was taken, as the camera wrote it ("2026:06:12 10:30:00"). */
  taken: string | null;
  /** The location first, then the text fields in reading order. */
  findings: PhotoFinding[];
  /** "could not read this photo's details: ..." when the file, or part of it, could not be read. */
  problem: string | null;
}

export interface EngineInfo {
  packs: PackSummary[];
  /** Distinct spellings in the term automaton (terms, schools, aliases, allow list); roster names not included. */
  spellings: number;
}
"#;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The engine's version, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    postsafe_core::VERSION.to_string()
}

/// Size of the WebAssembly linear memory, in bytes.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65_536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// The built-in default pack plus the packs given, compiled.
#[wasm_bindgen]
pub struct Engine {
    inner: postsafe_core::Engine,
    /// The packs' schools that have a position, for `checkPhoto`.
    places: Vec<postsafe_core::photo::SchoolPlace>,
}

/// A photo finding as JavaScript sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsPhotoFinding<'a> {
    #[serde(flatten)]
    finding: JsFinding<'a>,
    photo_field: &'static str,
    label: &'static str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    near_school: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metres: Option<u32>,
}

/// A photo's report as JavaScript sees it.
#[derive(Serialize)]
struct JsPhotoReport<'a> {
    name: &'a str,
    format: Option<&'static str>,
    texts: Vec<JsPhotoText<'a>>,
    position: Option<postsafe_core::Coordinates>,
    taken: Option<&'a str>,
    findings: Vec<JsPhotoFinding<'a>>,
    problem: Option<&'a str>,
}

#[derive(Serialize)]
struct JsPhotoText<'a> {
    field: &'static str,
    text: &'a str,
}

/// A finding as JavaScript sees it: UTF-16 offsets, camelCase names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsFinding<'a> {
    category: &'static str,
    severity: &'static str,
    rule: &'a str,
    field: &'static str,
    field_index: usize,
    start: usize,
    end: usize,
    text: &'a str,
    message: &'a str,
    advice: &'a str,
    clause: &'a str,
}

/// A field checked only in part, as JavaScript sees it: UTF-16 offsets, camelCase names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsTruncation {
    field: &'static str,
    field_index: usize,
    checked: usize,
}

/// A scan's result as JavaScript sees it.
#[derive(Serialize)]
struct JsScanResult<'a> {
    findings: Vec<JsFinding<'a>>,
    truncated: Vec<JsTruncation>,
}

#[derive(Serialize)]
struct JsInfo<'a> {
    packs: &'a [postsafe_core::PackInfo],
    spellings: usize,
}

fn js_finding(f: &postsafe_core::Finding) -> JsFinding<'_> {
    JsFinding {
        category: f.category.as_str(),
        severity: f.severity.as_str(),
        rule: &f.rule,
        field: f.field.as_str(),
        field_index: f.field_index,
        start: f.utf16_start,
        end: f.utf16_end,
        text: &f.text,
        message: &f.message,
        advice: &f.advice,
        clause: &f.clause,
    }
}

/// The name used for pack `index` (0-based) in errors: its id when it has one.
fn pack_name(index: usize, json: &str) -> String {
    let id = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.get("id").and_then(|i| i.as_str()).map(str::to_string));
    match id {
        Some(id) => format!("pack {id:?} (#{})", index + 1),
        None => format!("pack #{}", index + 1),
    }
}

fn js_error(e: PackError) -> JsError {
    JsError::new(&e.to_string())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))
}

#[wasm_bindgen]
impl Engine {
    /// Compiles the built-in default pack plus `packs` (pack JSON documents). With
    /// `includeDefault` set to `false`, only `packs` are compiled (for an admin who
    /// replaces the built-in checks, and for tests).
    ///
    /// Throws an `Error` naming the pack (id or position), the line and column and the
    /// reason, e.g. `pack "wcat" (#1):3:14: expected value`. Nothing half-built is
    /// returned: the caller keeps its previous engine.
    #[wasm_bindgen(constructor)]
    pub fn new(
        packs: Vec<String>,
        #[wasm_bindgen(js_name = includeDefault)] include_default: Option<bool>,
    ) -> Result<Engine, JsError> {
        let mut parsed = Vec::with_capacity(packs.len());
        for (i, json) in packs.iter().enumerate() {
            parsed.push(Pack::from_json(&pack_name(i, json), json).map_err(js_error)?);
        }
        let inner = if include_default.unwrap_or(true) {
            postsafe_core::Engine::new(&parsed)
        } else {
            postsafe_core::Engine::without_default(&parsed)
        }
        .map_err(js_error)?;
        let places = postsafe_core::photo::school_places(&parsed);
        Ok(Engine { inner, places })
    }

    /// Checks what an attached photo gives away (issue 16): the file's `bytes` (JPEG,
    /// PNG, HEIC/HEIF or WebP, up to 50 MB) and its file `name` (only echoed back).
    /// Its text fields (EXIF, XMP, IPTC, PNG text) are scanned as alt text; a GPS
    /// position is a reminder, or a warning naming a pack's school within 400 m.
    /// Never throws for a bad file: the report's `problem` says what could not be read.
    #[wasm_bindgen(js_name = checkPhoto, unchecked_return_type = "PhotoReport")]
    pub fn check_photo(&self, bytes: &[u8], name: &str) -> Result<JsValue, JsError> {
        let r = postsafe_core::photo::check_photo(&self.inner, &self.places, bytes);
        to_js(&JsPhotoReport {
            name,
            format: r.format.map(|f| f.as_str()),
            texts: r
                .texts
                .iter()
                .map(|t| JsPhotoText {
                    field: t.field.as_str(),
                    text: &t.text,
                })
                .collect(),
            position: r.position,
            taken: r.taken.as_deref(),
            findings: r
                .findings
                .iter()
                .map(|f| JsPhotoFinding {
                    finding: js_finding(&f.finding),
                    photo_field: f.field.as_str(),
                    label: f.label,
                    value: &f.value,
                    near_school: f.near.as_ref().map(|n| n.0.as_str()),
                    metres: f.near.as_ref().map(|n| n.1),
                })
                .collect(),
            problem: r.problem.as_deref(),
        })
    }

    /// Scans a draft; returns `{findings, truncated}`: its findings with UTF-16 offsets
    /// into each field, and the fields too long to check fully (each checked up to
    /// `checked`, in UTF-16 code units). A caller must not treat a draft with
    /// `truncated` entries as checked.
    ///
    /// Throws an `Error` when `draft` is not a `Draft`.
    #[wasm_bindgen(unchecked_return_type = "ScanResult")]
    pub fn scan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Draft")] draft: JsValue,
    ) -> Result<JsValue, JsError> {
        let draft: Draft = serde_wasm_bindgen::from_value(draft)
            .map_err(|e| JsError::new(&format!("not a draft: {e}")))?;
        let result = self.inner.scan(&draft);
        let truncated = result
            .truncated
            .iter()
            .map(|t| {
                let text = match t.field {
                    FieldKind::Body => &draft.body,
                    FieldKind::Alt => &draft.alt[t.field_index],
                    FieldKind::File => &draft.files[t.field_index],
                    FieldKind::Link => &draft.links[t.field_index],
                };
                JsTruncation {
                    field: t.field.as_str(),
                    field_index: t.field_index,
                    checked: utf16_offset(text, t.checked_bytes),
                }
            })
            .collect();
        to_js(&JsScanResult {
            findings: result.findings.iter().map(js_finding).collect(),
            truncated,
        })
    }

    /// Whether a person the teacher is about to connect with or message may be a pupil:
    /// their display `name` and, where the site shows one, `handle` (with or without
    /// `@`), read against the pupil roster (see `postsafe_core::contact`). Returns the
    /// matches (`PersonMatch[]`, UTF-16 offsets into the text given), empty when none.
    #[wasm_bindgen(js_name = checkPerson, unchecked_return_type = "PersonMatch[]")]
    pub fn check_person(&self, name: &str, handle: Option<String>) -> Result<JsValue, JsError> {
        to_js(&self.inner.check_person(name, handle.as_deref()))
    }

    /// The packs loaded, the built-in default pack first.
    #[wasm_bindgen(unchecked_return_type = "EngineInfo")]
    pub fn info(&self) -> Result<JsValue, JsError> {
        to_js(&JsInfo {
            packs: self.inner.packs(),
            spellings: self.inner.pattern_count(),
        })
    }
}

// --- Pack building, checking and diffing for the admin page (issue 15) ----------

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
    /// A JavaScript function called with each [`BuildProgress`] of a build.
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
    /// [`BuildProgress`] step. Returns a [`BuiltPack`].
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

//! # postsafe-wasm
//!
//! Thin wasm-bindgen bindings over [`postsafe_core`] for the browser extension's
//! service worker. No logic of its own: it converts packs in, drafts in and findings
//! out, and turns every failure into a JavaScript `Error`.
//!
//! This is the engine module (`extension/pkg/postsafe_wasm_bg.wasm`): scans, person
//! checks and the check of a photo's details already read. It is built without
//! postsafe-core's `build` and `photo` features: the admin page's pack builder is in
//! `postsafe-wasm-admin` (this engine plus the builder), and reading a photo file is in
//! `postsafe-wasm-photo`, loaded only when a photo is attached (README, "WebAssembly
//! size").
//!
//! Offsets handed to JavaScript are UTF-16 code units of the field (JS string
//! indices), so `draft.body.slice(f.start, f.end) === f.text`.

use postsafe_core::photo::PhotoRead;
use postsafe_core::{utf16_offset, Draft, FieldKind, Pack, PackError};
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod packs;
use packs::{pack_name, pack_text, Utf8Encoder};

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

/** What was read from one photo file, before any check: `readPhoto` of the photo module (postsafe_wasm_photo) gives it, `Engine.checkPhoto` takes it. */
export interface PhotoRead {
  format: "jpeg" | "png" | "heif" | "webp" | null;
  /** Every text value read from the file, in reading order. */
  texts: { field: string; text: string }[];
  /** GPS position (WGS84 degrees), when the photo records one. */
  position: { latitude: number; longitude: number } | null;
  /** When it was taken, as the camera wrote it ("2026:06:12 10:30:00"). */
  taken: string | null;
  /** "could not read this photo's details: ..." when the file, or part of it, could not be read. */
  problem: string | null;
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

/// A [`PackError`] as a JavaScript `Error` with its message (file, line and reason).
pub fn js_error(e: PackError) -> JsError {
    JsError::new(&e.to_string())
}

/// `v` as a plain JavaScript value (objects, arrays, numbers; maps as objects).
///
/// # Errors
/// A `JsError` "cannot convert the result: …" when `v` does not serialise.
pub fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))
}

#[wasm_bindgen]
impl Engine {
    /// Compiles the built-in default pack plus `packs` (pack JSON documents). With
    /// `includeDefault` set to `false`, only `packs` are compiled (for an admin who
    /// replaces the built-in checks, and for tests).
    ///
    /// `image`: a roster image (`rosterImage()` of an earlier engine of the same packs
    /// and engine version): each roster it holds is loaded from it rather than keyed
    /// again; anything it does not hold, or bytes that are no such image, are built from
    /// the packs (`rostersFromImage` says how many came from it). The engine is the same
    /// either way.
    ///
    /// Throws an `Error` naming the pack (id or position), the line and column and the
    /// reason, e.g. `pack "wcat" (#1):3:14: expected value`. Nothing half-built is
    /// returned: the caller keeps its previous engine.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string[]")] packs: Vec<JsValue>,
        #[wasm_bindgen(js_name = includeDefault)] include_default: Option<bool>,
        image: Option<Vec<u8>>,
    ) -> Result<Engine, JsError> {
        let encoder = Utf8Encoder::new();
        let mut parsed = Vec::with_capacity(packs.len());
        for (i, p) in packs.iter().enumerate() {
            // Each pack's text is let go once parsed: the WebAssembly memory never
            // shrinks, so what is held at once is what the worker keeps.
            let json = pack_text(&encoder, i, p)?;
            // The pack's name is worked out only for an error: naming it takes a second
            // parse of the whole pack (about 15% of a warm build of a 30,000-pupil pack).
            let pack = Pack::from_json("", &json).map_err(|mut e| {
                e.source_name = pack_name(i, &json);
                js_error(e)
            })?;
            parsed.push(pack);
        }
        let inner = postsafe_core::Engine::with_image(
            &parsed,
            include_default.unwrap_or(true),
            image.as_deref().unwrap_or_default(),
        )
        .map_err(js_error)?;
        let places = postsafe_core::photo::school_places(&parsed);
        Ok(Engine { inner, places })
    }

    /// The engine's roster image: bytes (a `Uint8Array`, about 9 MB for a plain
    /// 30,000-pupil roster) to hand to the next engine of the same packs. It holds the
    /// rosters' keys: keep it on the device, as the packs are kept.
    #[wasm_bindgen(js_name = rosterImage)]
    pub fn roster_image(&self) -> Vec<u8> {
        self.inner.roster_image()
    }

    /// How many of the engine's rosters were loaded from the image it was given.
    #[wasm_bindgen(getter, js_name = rostersFromImage)]
    pub fn rosters_from_image(&self) -> usize {
        self.inner.rosters_from_image()
    }

    /// How many rosters (a pack's pupils and staff, plain or hashed) the engine holds.
    #[wasm_bindgen(getter, js_name = rosterCount)]
    pub fn roster_count(&self) -> usize {
        self.inner.roster_count()
    }

    /// Checks what an attached photo gives away (issue 16), from what the photo module
    /// read of it (`read`, a `PhotoRead` from `readPhoto` of postsafe_wasm_photo) and
    /// its file `name` (only echoed back). Its text fields (EXIF, XMP, IPTC, PNG text)
    /// are scanned as alt text; a GPS position is a reminder, or a warning naming a
    /// pack's school within 400 m. A file that could not be read gives a report whose
    /// `problem` says why, and no findings.
    ///
    /// Throws an `Error` when `read` is not a `PhotoRead`.
    #[wasm_bindgen(js_name = checkPhoto, unchecked_return_type = "PhotoReport")]
    pub fn check_photo(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PhotoRead")] read: JsValue,
        name: &str,
    ) -> Result<JsValue, JsError> {
        let read: PhotoRead = serde_wasm_bindgen::from_value(read)
            .map_err(|e| JsError::new(&format!("not a photo's details: {e}")))?;
        let r = postsafe_core::photo::check_read(&self.inner, &self.places, read);
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

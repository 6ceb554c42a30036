//! # postsafe-wasm-photo
//!
//! Thin wasm-bindgen bindings of the photo reader (issue 16): a photo file's bytes to
//! what the engine checks, a `PhotoRead` (postsafe-core's `photo::read_photo`, feature
//! `photo`: `kamadak-exif`, `quick-xml`, `miniz_oxide`). No engine and no logic of its own: the
//! extension's service worker loads this module only when a photo is attached, hands
//! its result to the engine module's `Engine.checkPhoto`, and so the engine module
//! never carries the parsers (README, "WebAssembly size").

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** What was read from one photo file, before any check (the engine module's `Engine.checkPhoto` takes it). */
export interface PhotoRead {
  /** The kind of file, or null when it could not be read. */
  format: "jpeg" | "png" | "heif" | "webp" | null;
  /** Every text value read from the file, in reading order (at most 256): EXIF, IPTC, XMP, PNG text. */
  texts: { field: string; text: string }[];
  /** GPS position (WGS84 degrees), when the photo records one. */
  position: { latitude: number; longitude: number } | null;
  /** When it was taken, as the camera wrote it ("2026:06:12 10:30:00"). */
  taken: string | null;
  /** "could not read this photo's details: ..." when the file, or part of it, could not be read. */
  problem: string | null;
}
"#;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// Reads a photo file's details: its `bytes` (JPEG, PNG, HEIC/HEIF or WebP, up to
/// 50 MB). Returns a `PhotoRead`: the text fields (EXIF, XMP, IPTC, PNG text), the GPS
/// position and when it was taken. Never throws for a bad file: `problem` says what
/// could not be read.
///
/// Throws an `Error` only when the result cannot be converted to a JavaScript value.
#[wasm_bindgen(js_name = readPhoto, unchecked_return_type = "PhotoRead")]
pub fn read_photo(bytes: &[u8]) -> Result<JsValue, JsError> {
    use serde::Serialize;
    postsafe_core::photo::read_photo(bytes)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))
}

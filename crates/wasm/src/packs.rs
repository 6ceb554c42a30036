//! Pack documents handed in from JavaScript: their text as UTF-8 (through the
//! platform's `TextEncoder`), and the name each is given in errors.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The platform's `TextEncoder` (every browser and Node).
    #[wasm_bindgen(js_name = TextEncoder)]
    pub(crate) type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    pub(crate) fn new() -> Utf8Encoder;
    /// The UTF-8 of string `s`, copied into this module's memory.
    #[wasm_bindgen(method, js_class = "TextEncoder")]
    fn encode(this: &Utf8Encoder, s: &JsValue) -> Vec<u8>;
}

/// The text of pack `p` (at `index` in the list) handed in as a JavaScript string, as
/// UTF-8. Through the platform's encoder rather than wasm-bindgen's own string passing,
/// which copies an ASCII string a character at a time in JavaScript: 9 ms of a fresh
/// worker's build for a 2.8 MB pack, against under 2 (README "Benchmarks"). A lone
/// surrogate becomes U+FFFD either way.
///
/// # Errors
/// A `JsError` "pack #N is not a string" (N from 1) for anything else.
pub(crate) fn pack_text(
    encoder: &Utf8Encoder,
    index: usize,
    p: &JsValue,
) -> Result<String, JsError> {
    if !p.is_string() {
        return Err(JsError::new(&format!(
            "pack #{} is not a string",
            index + 1
        )));
    }
    String::from_utf8(encoder.encode(p))
        .map_err(|_| JsError::new(&format!("pack #{} is not UTF-8", index + 1)))
}

/// The name used for pack `index` (0-based) in errors: its id when it has one.
pub(crate) fn pack_name(index: usize, json: &str) -> String {
    /// Only the pack's `id`: no `serde_json::Value` (and its map) in the module.
    #[derive(serde::Deserialize)]
    struct Named {
        id: Option<String>,
    }
    let id = serde_json::from_str::<Named>(json).ok().and_then(|n| n.id);
    match id {
        Some(id) => format!("pack {id:?} (#{})", index + 1),
        None => format!("pack #{}", index + 1),
    }
}

//! Compiles the built-in pack's patterns (default-pack.json) into their DFAs and writes
//! the pack with them (`OUT_DIR/default-pack.json`, which `DEFAULT_PACK_JSON` includes),
//! so that the engine module, which has no regex compiler, runs them as it runs any
//! built pack's. The same code compiles them as `pack build` does (src/dfa/compile.rs).

use base64::Engine as _;

#[path = "src/dfa/compile.rs"]
#[allow(dead_code)]
mod compile;
#[path = "src/dfa/format.rs"]
#[allow(dead_code)]
mod format;
#[path = "src/limits.rs"]
#[allow(dead_code)]
mod limits;

fn main() {
    println!("cargo:rerun-if-changed=default-pack.json");
    println!("cargo:rerun-if-changed=src/dfa/compile.rs");
    println!("cargo:rerun-if-changed=src/dfa/format.rs");
    println!("cargo:rerun-if-changed=src/limits.rs");
    let text = std::fs::read_to_string("default-pack.json").expect("default-pack.json is readable");
    let mut pack: serde_json::Value =
        serde_json::from_str(&text).expect("default-pack.json is JSON");
    if let Some(patterns) = pack["patterns"].as_array_mut() {
        for p in patterns {
            let id = p["id"].as_str().unwrap_or("?").to_string();
            let regex = p["regex"]
                .as_str()
                .expect("a pattern has a regex")
                .to_string();
            let case_sensitive = p["case_sensitive"].as_bool().unwrap_or(false);
            let bytes = compile::compile(
                &regex,
                case_sensitive,
                limits::MAX_REGEX_BYTES,
                limits::MAX_COMPILED_PATTERN_BYTES,
            )
            .unwrap_or_else(|e| panic!("default-pack.json: pattern {id:?}: {e}"));
            p["compiled"] =
                serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(bytes));
        }
    }
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("default-pack.json");
    let json = serde_json::to_string_pretty(&pack).expect("a pack serialises");
    std::fs::write(&out, json + "\n").expect("OUT_DIR is writable");
}

//! The CSV importers on arbitrary bytes (UTF-8, Windows-1252, anything): each must
//! return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postsafe_core::import;

fuzz_target!(|data: &[u8]| {
    let _ = import::decode(data);
    let _ = import::read_schools("fuzz.csv", data, &[]);
    let _ = import::read_schools("fuzz.csv", data, &["139456".to_string(), String::new()]);
    let _ = import::read_pupils("fuzz.csv", data);
    let _ = import::read_staff("fuzz.csv", data);
});

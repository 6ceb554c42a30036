//! The CSV importers on arbitrary bytes (UTF-8, Windows-1252, anything): each must
//! return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postsafe_core::import;

fuzz_target!(|data: &[u8]| {
    let _ = import::decode("fuzz.csv", data);
    // Both with and without a URN filter, one per input (each reader costs a CSV
    // parser build, which instrumentation makes slow).
    let urns = if data.len() % 2 == 0 {
        vec![]
    } else {
        vec!["139456".to_string(), String::new()]
    };
    let _ = import::read_schools("fuzz.csv", data, &urns);
    let _ = import::read_pupils("fuzz.csv", data);
    let _ = import::read_staff("fuzz.csv", data);
});

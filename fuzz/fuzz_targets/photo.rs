//! The photo metadata reader (issue 16) on arbitrary bytes: `photo::read_details` and
//! `photo::check_photo` return, never panic, whatever the container (JPEG, PNG, HEIF,
//! WebP, or none) and however its EXIF, XMP, IPTC or text blocks are broken; every
//! finding's words are the field's own, at its offsets.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use postsafe_core::photo::{self, SchoolPlace};
use postsafe_core::{Coordinates, Engine};

fn engine() -> &'static (Engine, Vec<SchoolPlace>) {
    static E: OnceLock<(Engine, Vec<SchoolPlace>)> = OnceLock::new();
    E.get_or_init(|| {
        let pack = postsafe_core::Pack::from_json(
            "fuzz.json",
            r#"{"format":1,"id":"fz","name":"Fuzz Trust","version":"1",
                "schools":[{"name":"Saint Paul's Catholic High School",
                            "location":{"latitude":53.3868,"longitude":-2.264}}],
                "pupils":[{"forename":"Jayden","surname":"Quillfeather"},
                          {"forename":"Amelia","surname":"Testerton"}]}"#,
        )
        .expect("the fuzz pack is valid");
        let places = photo::school_places(std::slice::from_ref(&pack));
        (Engine::new(&[pack]).expect("engine"), places)
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = photo::read_details(data);
    let (engine, places) = engine();
    let r = photo::check_photo(engine, places, data);
    for f in &r.findings {
        let g = &f.finding;
        assert!(g.start <= g.end && g.end <= f.value.len());
        assert_eq!(&f.value[g.start..g.end], g.text);
    }
    if let Some(Coordinates { latitude, longitude }) = r.position {
        assert!((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude));
    }
});

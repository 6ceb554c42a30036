//! What an attached photo gives away before it is posted: the text and the position
//! stored inside the file.
//!
//! A phone photo carries its GPS position, the camera owner's name and, from photo
//! libraries, titles, keywords and the names of the people tagged in it. This module
//! turns them into findings:
//!
//! - every text field is scanned like an image's alt text (pupils, staff, the school,
//!   confidential terms), and each finding names the field ("the photo's tagged
//!   people");
//! - a GPS position is a reminder ("This photo records where it was taken"), and a
//!   warning naming the school when it is within [`NEAR_SCHOOL_METRES`] of one of the
//!   packs' schools (policy clause: photographs of pupils, uniform, logos or premises).
//!
//! It is two steps with a serde shape between them, [`PhotoRead`]:
//!
//! - reading the file ([`read_photo`], [`read_details`]; feature `photo`): JPEG, PNG,
//!   HEIC/HEIF and WebP, in the submodule `read`. The parsing is done by maintained
//!   crates: `kamadak-exif` reads EXIF from every container, `quick-xml` reads XMP,
//!   `miniz_oxide` inflates compressed PNG text (capped: a "zip bomb" is skipped and
//!   said in [`PhotoRead::problem`]); the reader only finds the XMP, IPTC and PNG text
//!   blocks in their containers;
//! - checking what was read ([`check_read`]; no feature): the engine's scan and the
//!   distance to the packs' schools.
//!
//! The extension runs them in two WebAssembly modules (the reader is loaded only when a
//! photo is attached); the CLI runs both at once with [`check_photo`]. Nothing is
//! written: a post is never changed.
//!
//! ```
//! use postsafe_core::{photo, Engine};
//! let engine = Engine::new(&[]).unwrap();
//! // Not an image: the report says the details could not be read.
//! let report = photo::check_photo(&engine, &[], b"hello");
//! assert!(report.problem.unwrap().starts_with("could not read this photo's details"));
//! ```

use serde::{Deserialize, Serialize};

use crate::pack::{Category, Coordinates, FieldKind, Pack, Severity};
use crate::{Draft, Engine, Finding};

#[cfg(feature = "photo")]
mod read;
#[cfg(feature = "photo")]
pub use read::read_details;

/// The largest photo read, in bytes (50 MiB). A larger file is not read at all.
pub const MAX_PHOTO_BYTES: usize = 50 * 1024 * 1024;

/// A photo taken within this many metres of a school's position is a warning naming
/// the school.
pub const NEAR_SCHOOL_METRES: f64 = 400.0;

/// The rule of a GPS position far from every school (a reminder).
pub const RULE_LOCATION: &str = "builtin/photo.location";
/// The rule of a GPS position near one of the packs' schools (a warning).
pub const RULE_LOCATION_SCHOOL: &str = "builtin/photo.location-school";

const CLAUSE: &str = "Photographs of pupils, uniform, logos or premises";
const LOCATION_ADVICE: &str = "Anyone who saves the photo can read where it was taken. Post a \
copy without its location (a screenshot has none), and turn location off for the camera: on \
an iPhone, Settings > Privacy & Security > Location Services > Camera > Never; on Android, \
the Camera app's settings > Location tags (or Save location) off.";

/// The kind of image file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoFormat {
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
    Png,
    /// HEIC, HEIF or AVIF (an ISO base media file with an image brand).
    Heif,
    /// WebP (`RIFF....WEBP`).
    Webp,
}

impl PhotoFormat {
    /// The kind of `bytes`, or `None` when it is none of the four.
    pub fn detect(bytes: &[u8]) -> Option<PhotoFormat> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(PhotoFormat::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(PhotoFormat::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(PhotoFormat::Webp)
        } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            let brand = &bytes[8..12];
            [
                b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif",
                b"avis",
            ]
            .iter()
            .any(|b| brand == *b)
            .then_some(PhotoFormat::Heif)
        } else {
            None
        }
    }

    /// Lowercase name, e.g. `"jpeg"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpeg",
            PhotoFormat::Png => "png",
            PhotoFormat::Heif => "heif",
            PhotoFormat::Webp => "webp",
        }
    }
}

/// Which of a photo's fields a text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoField {
    /// XMP `dc:title`, IPTC Object Name, PNG `Title`, Windows XPTitle.
    Title,
    /// EXIF ImageDescription, XMP `dc:description`, PNG `Description`.
    Description,
    /// IPTC Caption/Abstract.
    Caption,
    /// IPTC and XMP (`photoshop:Headline`) headline.
    Headline,
    /// XMP `dc:subject`, IPTC Keywords, Windows XPKeywords and XPSubject.
    Keywords,
    /// XMP `Iptc4xmpExt:PersonInImage`, MWG face regions' names, Microsoft Photo
    /// region names.
    People,
    /// EXIF Artist and CameraOwnerName, XMP `dc:creator`, IPTC By-line, PNG `Author`.
    Owner,
    /// EXIF and XMP copyright, IPTC Copyright Notice.
    Copyright,
    /// EXIF UserComment, Windows XPComment, JPEG comment, PNG `Comment`.
    Comment,
    /// IPTC City and Sub-location, XMP `photoshop:City`, `Iptc4xmpCore:Location`.
    Place,
    /// Any other PNG text chunk.
    Text,
    /// The GPS position (EXIF or XMP).
    Location,
}

impl PhotoField {
    /// The field as a finding names it in English, e.g. `"the photo's tagged people"`.
    pub fn label(self) -> &'static str {
        match self {
            PhotoField::Title => "the photo's title",
            PhotoField::Description => "the photo's description",
            PhotoField::Caption => "the photo's caption",
            PhotoField::Headline => "the photo's headline",
            PhotoField::Keywords => "the photo's keywords",
            PhotoField::People => "the photo's tagged people",
            PhotoField::Owner => "the photo's owner or author",
            PhotoField::Copyright => "the photo's copyright",
            PhotoField::Comment => "the photo's comment",
            PhotoField::Place => "the photo's place name",
            PhotoField::Text => "the photo's text",
            PhotoField::Location => "the photo's location",
        }
    }

    /// Lowercase name used in JSON, e.g. `"people"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoField::Title => "title",
            PhotoField::Description => "description",
            PhotoField::Caption => "caption",
            PhotoField::Headline => "headline",
            PhotoField::Keywords => "keywords",
            PhotoField::People => "people",
            PhotoField::Owner => "owner",
            PhotoField::Copyright => "copyright",
            PhotoField::Comment => "comment",
            PhotoField::Place => "place",
            PhotoField::Text => "text",
            PhotoField::Location => "location",
        }
    }
}

/// One text value read from a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoText {
    /// Which field it came from.
    pub field: PhotoField,
    /// The text as stored (trimmed), e.g. `"Alex Example"`.
    pub text: String,
}

/// Everything read from one photo file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhotoDetails {
    /// The kind of file.
    pub format: PhotoFormat,
    /// Text values in the order read: EXIF, IPTC, XMP, PNG text.
    pub texts: Vec<PhotoText>,
    /// The GPS position, WGS84 degrees, when the photo records one.
    pub position: Option<Coordinates>,
    /// When it was taken as the camera wrote it, e.g. `"2026:06:12 10:30:00"`.
    pub taken: Option<String>,
    /// What could not be read (a truncated or corrupt block), when something could
    /// not; what was read before it is kept.
    pub problem: Option<String>,
}

/// Why a file's details could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Over [`MAX_PHOTO_BYTES`].
    #[error("could not read this photo's details: it is {0} bytes, over the 50 MB limit")]
    TooLarge(usize),
    /// Not a JPEG, PNG, HEIC/HEIF or WebP file.
    #[error("could not read this photo's details: it is not a JPEG, PNG, HEIC or WebP image")]
    NotAnImage,
}

/// What was read from one photo file, before any check: the shape the reader
/// ([`read_photo`]) hands to the check ([`check_read`]), in JSON (or a JavaScript
/// object) when they run in different WebAssembly modules. Field names as serialised:
/// `format` (`"jpeg"`, `"png"`, `"heif"`, `"webp"` or `null` when the file could not be
/// read), `texts` (`[{field, text}]`, `field` as [`PhotoField::as_str`]), `position`
/// (`{latitude, longitude}`, WGS84 degrees, or `null`), `taken`, `problem`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRead {
    /// The kind of file, when it is an image read.
    pub format: Option<PhotoFormat>,
    /// Every text value read, in reading order (at most 256).
    pub texts: Vec<PhotoText>,
    /// The GPS position, when the photo records one.
    pub position: Option<Coordinates>,
    /// When it was taken, as the camera wrote it, e.g. `"2026:06:12 10:30:00"`.
    pub taken: Option<String>,
    /// `"could not read this photo's details: …"` when the file could not be read at
    /// all ([`PhotoError`]), `"could not read all of this photo's details: …"` when a
    /// part of it could not; `None` when all was read.
    pub problem: Option<String>,
}

/// Reads a photo file (`bytes`) for [`check_read`]. Never fails: a file that cannot be
/// read gives a [`PhotoRead`] with no format, nothing read and the reason in
/// [`PhotoRead::problem`].
#[cfg(feature = "photo")]
pub fn read_photo(bytes: &[u8]) -> PhotoRead {
    match read_details(bytes) {
        Ok(d) => PhotoRead {
            format: Some(d.format),
            problem: d
                .problem
                .map(|p| format!("could not read all of this photo's details: {p}")),
            texts: d.texts,
            position: d.position,
            taken: d.taken,
        },
        Err(e) => PhotoRead {
            format: None,
            texts: Vec::new(),
            position: None,
            taken: None,
            problem: Some(e.to_string()),
        },
    }
}

// --- Findings -----------------------------------------------------------------------

/// A school with a position, for the location check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolPlace {
    /// The school's name as in the pack.
    pub name: String,
    /// Where it is (WGS84).
    pub location: Coordinates,
}

/// The schools of `packs` that have a [`crate::School::location`].
pub fn school_places(packs: &[Pack]) -> Vec<SchoolPlace> {
    packs
        .iter()
        .flat_map(|p| &p.schools)
        .filter_map(|s| {
            Some(SchoolPlace {
                name: s.name.clone(),
                location: s.location?,
            })
        })
        .collect()
}

/// One finding in a photo's details.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhotoFinding {
    /// The photo field the finding is in.
    pub field: PhotoField,
    /// The field as a person reads it, e.g. `"the photo's tagged people"`.
    pub label: &'static str,
    /// The whole text of that field (for a location, `"53.38220, -2.26670"`).
    pub value: String,
    /// The finding; its offsets (UTF-8 bytes and UTF-16 code units) are into `value`,
    /// and its `field` is `alt` (photo text is scanned as alt text is).
    pub finding: Finding,
    /// For a location near a school: the school's name and the distance in metres
    /// (rounded to 10), so a caller can say the message in another language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near: Option<(String, u32)>,
}

/// The result of checking one photo.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhotoReport {
    /// The kind of file, when it is an image read.
    pub format: Option<PhotoFormat>,
    /// Every text value read (also those with no finding).
    pub texts: Vec<PhotoText>,
    /// The GPS position, when the photo records one.
    pub position: Option<Coordinates>,
    /// When it was taken, as the camera wrote it.
    pub taken: Option<String>,
    /// Findings: the location first, then the text fields in reading order.
    pub findings: Vec<PhotoFinding>,
    /// `"could not read this photo's details…"` with the reason when the file, or a
    /// part of it, could not be read.
    pub problem: Option<String>,
}

/// Reads a photo and checks what it gives away: [`read_photo`] then [`check_read`].
/// Never fails: a file that cannot be read gives a report with
/// [`PhotoReport::problem`] and no findings.
#[cfg(feature = "photo")]
pub fn check_photo(engine: &Engine, places: &[SchoolPlace], bytes: &[u8]) -> PhotoReport {
    check_read(engine, places, read_photo(bytes))
}

/// Checks what was read from a photo: its text fields scanned as alt text with
/// `engine`, and its GPS position against `places` (see [`school_places`]). The
/// findings come location first, then the text fields in reading order; a photo's
/// details need no "my own views" disclaimer, so affiliation findings are left out.
pub fn check_read(engine: &Engine, places: &[SchoolPlace], read: PhotoRead) -> PhotoReport {
    let mut findings = Vec::new();
    if let Some(pos) = read.position {
        findings.push(location_finding(pos, places));
    }
    if read.format.is_some() {
        let draft = Draft {
            alt: read.texts.iter().map(|t| t.text.clone()).collect(),
            ..Draft::default()
        };
        for f in engine.scan(&draft).findings {
            if f.category == Category::Affiliation || f.field != FieldKind::Alt {
                continue;
            }
            let t = &read.texts[f.field_index];
            findings.push(PhotoFinding {
                field: t.field,
                label: t.field.label(),
                value: t.text.clone(),
                finding: f,
                near: None,
            });
        }
    }
    PhotoReport {
        format: read.format,
        texts: read.texts,
        position: read.position,
        taken: read.taken,
        findings,
        problem: read.problem,
    }
}

fn location_finding(pos: Coordinates, places: &[SchoolPlace]) -> PhotoFinding {
    let value = format!("{:.5}, {:.5}", pos.latitude, pos.longitude);
    let nearest = places
        .iter()
        .map(|p| (crate::photo_geo::distance_m(pos, p.location), p))
        .filter(|(d, _)| *d <= NEAR_SCHOOL_METRES)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let near = nearest.map(|(d, p)| (p.name.clone(), ((d / 10.0).round() * 10.0).max(10.0) as u32));
    let (severity, rule, message) = match &near {
        Some((school, metres)) => (
            Severity::Warn,
            RULE_LOCATION_SCHOOL,
            format!(
                "This photo records that it was taken about {metres} m from {school}, which \
                 identifies the school."
            ),
        ),
        None => (
            Severity::Info,
            RULE_LOCATION,
            "This photo records where it was taken.".to_string(),
        ),
    };
    let len = value.len();
    PhotoFinding {
        field: PhotoField::Location,
        label: PhotoField::Location.label(),
        finding: Finding {
            category: Category::Image,
            severity,
            rule: rule.to_string(),
            field: FieldKind::Alt,
            field_index: 0,
            start: 0,
            end: len,
            utf16_start: 0,
            utf16_end: len,
            text: value.clone(),
            message,
            advice: LOCATION_ADVICE.to_string(),
            clause: CLAUSE.to_string(),
        },
        value,
        near,
    }
}

//! Reading a photo file's details (feature `photo`): EXIF through `kamadak-exif`, XMP
//! through `quick-xml`, IPTC-IIM and PNG text by hand, in JPEG, PNG, HEIC/HEIF and WebP
//! containers. One concern, reading, kept whole (over 400 lines: each container's walk
//! and each metadata block's mapping to [`PhotoField`]s); what is read is checked in the
//! parent module, which needs none of this.

use std::borrow::Cow;
use std::io::Cursor;

use super::{PhotoDetails, PhotoError, PhotoField, PhotoFormat, PhotoText, MAX_PHOTO_BYTES};
use crate::pack::Coordinates;

/// Most text values read from one photo; the rest are ignored (a crafted file could
/// hold thousands).
const MAX_TEXTS: usize = 256;

/// Reads a photo's text fields and GPS position.
///
/// # Errors
/// [`PhotoError`] when the file is over [`MAX_PHOTO_BYTES`] or not one of the four
/// formats. A file that is truncated or has a corrupt block is not an error: the
/// details read so far are returned with [`PhotoDetails::problem`] set.
pub fn read_details(bytes: &[u8]) -> Result<PhotoDetails, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge(bytes.len()));
    }
    let format = PhotoFormat::detect(bytes).ok_or(PhotoError::NotAnImage)?;
    let mut r = Reading {
        texts: Vec::new(),
        position: None,
        taken: None,
        problem: None,
    };
    read_exif(bytes, &mut r);
    let mut xmp: Vec<Cow<[u8]>> = Vec::new();
    let walked = match format {
        PhotoFormat::Jpeg => walk_jpeg(bytes, &mut r, &mut xmp),
        PhotoFormat::Png => walk_png(bytes, &mut r, &mut xmp),
        PhotoFormat::Webp => walk_webp(bytes, &mut xmp),
        PhotoFormat::Heif => {
            xmp.extend(scan_xmp_packets(bytes).into_iter().map(Cow::Borrowed));
            Ok(())
        }
    };
    if let Err(e) = walked {
        r.problem.get_or_insert(e);
    }
    for packet in xmp {
        read_xmp(&packet, &mut r);
    }
    r.texts.truncate(MAX_TEXTS);
    Ok(PhotoDetails {
        format,
        texts: r.texts,
        position: r.position,
        taken: r.taken,
        problem: r.problem,
    })
}

struct Reading {
    texts: Vec<PhotoText>,
    position: Option<Coordinates>,
    taken: Option<String>,
    problem: Option<String>,
}

impl Reading {
    fn text(&mut self, field: PhotoField, text: &str) {
        let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
        if t.is_empty() || self.texts.len() >= MAX_TEXTS {
            return;
        }
        if !self.texts.iter().any(|x| x.field == field && x.text == t) {
            self.texts.push(PhotoText {
                field,
                text: t.to_string(),
            });
        }
    }

    fn position(&mut self, lat: f64, lon: f64) {
        let ok = lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon)
            && (lat, lon) != (0.0, 0.0);
        if ok && self.position.is_none() {
            self.position = Some(Coordinates {
                latitude: lat,
                longitude: lon,
            });
        }
    }
}

/// Text stored as bytes: UTF-8 when it is, else Windows-1252 (older cameras and
/// IPTC without a character set).
fn decode(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(b).0.into_owned(),
    }
}

fn utf16(b: &[u8], little: bool) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    String::from_utf16_lossy(&units)
}

// --- EXIF (kamadak-exif) ----------------------------------------------------------

fn read_exif(bytes: &[u8], r: &mut Reading) {
    use exif::{In, Tag, Value};
    let exif = match exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) {
        Ok(e) => e,
        Err(exif::Error::NotFound(_)) => return,
        Err(e) => {
            r.problem = Some(format!("its EXIF block could not be read ({e})"));
            return;
        }
    };
    let little = exif.little_endian();
    let ascii = |tag: Tag| -> Option<String> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Ascii(v) => Some(v.iter().map(|s| decode(s)).collect::<Vec<_>>().join(" ")),
            _ => None,
        }
    };
    for (tag, field) in [
        (Tag::ImageDescription, PhotoField::Description),
        (Tag::Artist, PhotoField::Owner),
        (Tag::CameraOwnerName, PhotoField::Owner),
        (Tag::Copyright, PhotoField::Copyright),
    ] {
        if let Some(t) = ascii(tag) {
            r.text(field, &t);
        }
    }
    if let Some(f) = exif.get_field(Tag::UserComment, In::PRIMARY) {
        if let Value::Undefined(b, _) = &f.value {
            if b.len() >= 8 {
                let (code, rest) = b.split_at(8);
                let text = match code {
                    b"UNICODE\0" => utf16(rest, little),
                    b"JIS\0\0\0\0\0" => String::new(),
                    _ => decode(rest),
                };
                r.text(PhotoField::Comment, &text);
            }
        }
    }
    // Windows' own tags (UTF-16LE in BYTE fields): XPTitle, XPComment, XPAuthor,
    // XPKeywords, XPSubject.
    for (number, field) in [
        (0x9C9B, PhotoField::Title),
        (0x9C9C, PhotoField::Comment),
        (0x9C9D, PhotoField::Owner),
        (0x9C9E, PhotoField::Keywords),
        (0x9C9F, PhotoField::Keywords),
    ] {
        if let Some(f) = exif.get_field(Tag(exif::Context::Tiff, number), In::PRIMARY) {
            if let Value::Byte(b) = &f.value {
                r.text(field, &utf16(b, true));
            }
        }
    }
    if let Some(t) = ascii(Tag::DateTimeOriginal).or_else(|| ascii(Tag::DateTime)) {
        let t = t.trim().to_string();
        if !t.is_empty() {
            r.taken = Some(t);
        }
    }
    let degrees = |tag: Tag| -> Option<f64> {
        match &exif.get_field(tag, In::PRIMARY)?.value {
            Value::Rational(v) if !v.is_empty() && v.iter().all(|x| x.denom != 0) => {
                let part = |i: usize| v.get(i).map_or(0.0, |x| x.to_f64());
                Some(part(0) + part(1) / 60.0 + part(2) / 3600.0)
            }
            _ => None,
        }
    };
    let sign = |tag: Tag, negative: u8| -> f64 {
        match ascii(tag) {
            Some(s) if s.as_bytes().first() == Some(&negative) => -1.0,
            _ => 1.0,
        }
    };
    if let (Some(lat), Some(lon)) = (degrees(Tag::GPSLatitude), degrees(Tag::GPSLongitude)) {
        r.position(
            lat * sign(Tag::GPSLatitudeRef, b'S'),
            lon * sign(Tag::GPSLongitudeRef, b'W'),
        );
    }
}

// --- Containers ---------------------------------------------------------------------

const JPEG_XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";
const TRUNCATED: &str = "the file ends inside a block of its details (it may be cut short)";

/// JPEG segments up to the image data: XMP in APP1, IPTC in APP13, comments.
fn walk_jpeg<'a>(b: &'a [u8], r: &mut Reading, xmp: &mut Vec<Cow<'a, [u8]>>) -> Result<(), String> {
    let mut i = 2;
    loop {
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if i + 2 > b.len() {
            return Err(TRUNCATED.into());
        }
        if b[i] != 0xFF {
            return Err("a block of its details is corrupt".into());
        }
        let marker = b[i + 1];
        match marker {
            // Image data or its end: no more metadata (the end marker has no length).
            0xDA | 0xD9 => return Ok(()),
            0x01 | 0xD0..=0xD7 => {
                i += 2;
                continue;
            }
            _ => {}
        }
        if i + 4 > b.len() {
            return Err(TRUNCATED.into());
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if len < 2 {
            return Err("a block of its details is corrupt".into());
        }
        let Some(seg) = b.get(i + 4..i + 2 + len) else {
            return Err(TRUNCATED.into());
        };
        match marker {
            0xE1 if seg.starts_with(JPEG_XMP) => xmp.push(Cow::Borrowed(&seg[JPEG_XMP.len()..])),
            0xED if seg.starts_with(PHOTOSHOP) => read_photoshop(&seg[PHOTOSHOP.len()..], r),
            0xFE => r.text(PhotoField::Comment, &decode(seg)),
            _ => {}
        }
        i += 2 + len;
    }
}

/// Photoshop image resources (`8BIM` blocks); resource 0x0404 is IPTC-IIM.
fn read_photoshop(mut d: &[u8], r: &mut Reading) {
    while d.len() >= 12 && &d[..4] == b"8BIM" {
        let id = u16::from_be_bytes([d[4], d[5]]);
        let name_len = usize::from(d[6]);
        let name_total = (1 + name_len + 1) & !1;
        let at = 6 + name_total;
        let Some(size) = d.get(at..at + 4) else {
            return;
        };
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let start = at + 4;
        let Some(data) = d.get(start..start.saturating_add(size)) else {
            r.problem.get_or_insert(TRUNCATED.into());
            return;
        };
        if id == 0x0404 {
            read_iim(data, r);
        }
        let next = start + ((size + 1) & !1);
        d = d.get(next..).unwrap_or(&[]);
    }
}

/// IPTC-IIM datasets of record 2 (the application record).
fn read_iim(d: &[u8], r: &mut Reading) {
    let mut i = 0;
    while i + 5 <= d.len() && d[i] == 0x1C {
        let (record, dataset) = (d[i + 1], d[i + 2]);
        let len = u16::from_be_bytes([d[i + 3], d[i + 4]]);
        if len & 0x8000 != 0 {
            return; // extended length: only for binary data, never text.
        }
        let Some(value) = d.get(i + 5..i + 5 + usize::from(len)) else {
            r.problem.get_or_insert(TRUNCATED.into());
            return;
        };
        if record == 2 {
            let field = match dataset {
                5 => Some(PhotoField::Title),
                25 => Some(PhotoField::Keywords),
                80 => Some(PhotoField::Owner),
                90 | 92 => Some(PhotoField::Place),
                105 => Some(PhotoField::Headline),
                116 => Some(PhotoField::Copyright),
                120 => Some(PhotoField::Caption),
                _ => None,
            };
            if let Some(f) = field {
                r.text(f, &decode(value));
            }
        }
        i += 5 + usize::from(len);
    }
}

/// The most one compressed PNG text chunk (`zTXt`, compressed `iTXt`) may inflate to,
/// in bytes (1 MiB: a caption or an XMP packet is a few KB). A chunk that would inflate
/// past it (a "zip bomb") is not read, and the photo is "could not read all of its
/// details" (which holds the post): never a silent pass, never a stall.
pub const MAX_INFLATED_CHUNK: usize = 1 << 20;
/// The most all of one PNG's compressed text chunks may inflate to together, in bytes
/// (4 MiB). Compressed chunks past it are not read, with the same note.
pub const MAX_INFLATED_TOTAL: usize = 4 << 20;

/// Inflates one compressed PNG text (zlib, compression method 0) within what is left of
/// the file's budget; `Err` says why it was not read.
fn inflate(data: &[u8], budget: &mut usize) -> Result<Vec<u8>, String> {
    use miniz_oxide::inflate::{decompress_to_vec_zlib_with_limit, TINFLStatus};
    let limit = MAX_INFLATED_CHUNK.min(*budget);
    if limit == 0 {
        return Err("it holds more compressed text than is read (over 4 MB inflated)".into());
    }
    match decompress_to_vec_zlib_with_limit(data, limit) {
        Ok(v) => {
            *budget -= v.len();
            Ok(v)
        }
        Err(e) if e.status == TINFLStatus::HasMoreOutput => {
            *budget = budget.saturating_sub(limit);
            Err(format!(
                "a compressed text block inflates past {} and was not read",
                if limit == MAX_INFLATED_CHUNK {
                    "1 MB"
                } else {
                    "the 4 MB read in all"
                }
            ))
        }
        Err(_) => Err("a compressed text block is corrupt".into()),
    }
}

/// PNG text chunks: `tEXt`, `zTXt` and `iTXt` (compressed or not; XMP in `iTXt`
/// `XML:com.adobe.xmp`). Compressed text is inflated by `miniz_oxide` within
/// [`MAX_INFLATED_CHUNK`] a chunk and [`MAX_INFLATED_TOTAL`] a file; a chunk past them,
/// or corrupt, is skipped and noted in the photo's problem.
fn walk_png<'a>(b: &'a [u8], r: &mut Reading, xmp: &mut Vec<Cow<'a, [u8]>>) -> Result<(), String> {
    let mut i = 8;
    let mut budget = MAX_INFLATED_TOTAL;
    let mut skipped: Option<String> = None;
    while i + 8 <= b.len() {
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let kind = &b[i + 4..i + 8];
        let Some(data) = b.get(i + 8..(i + 8).saturating_add(len)) else {
            return Err(TRUNCATED.into());
        };
        match kind {
            b"IEND" => break,
            b"tEXt" => {
                if let Some(z) = data.iter().position(|&c| c == 0) {
                    png_text(&data[..z], &latin1(&data[z + 1..]), r);
                }
            }
            // keyword \0 compression-method compressed-text (Latin-1 once inflated)
            b"zTXt" => {
                if let Some(z) = data.iter().position(|&c| c == 0) {
                    let (keyword, rest) = (&data[..z], &data[z + 1..]);
                    if rest.first() == Some(&0) {
                        match inflate(&rest[1..], &mut budget) {
                            Ok(text) => png_text(keyword, &latin1(&text), r),
                            Err(e) => {
                                skipped.get_or_insert(e);
                            }
                        }
                    } else {
                        skipped
                            .get_or_insert("a compressed text block uses an unknown method".into());
                    }
                }
            }
            b"iTXt" => {
                // keyword \0 compression-flag method language \0 translated \0 text
                let Some(z) = data.iter().position(|&c| c == 0) else {
                    i += 12 + len;
                    continue;
                };
                let (keyword, rest) = (&data[..z], &data[z + 1..]);
                if rest.len() >= 2 {
                    let (compressed, method) = (rest[0], rest[1]);
                    let mut parts = rest[2..].splitn(3, |&c| c == 0);
                    let (_, _, text) = (parts.next(), parts.next(), parts.next());
                    let text: Option<Cow<'a, [u8]>> = match (text, compressed, method) {
                        (Some(t), 0, _) => Some(Cow::Borrowed(t)),
                        (Some(t), 1, 0) => match inflate(t, &mut budget) {
                            Ok(v) => Some(Cow::Owned(v)),
                            Err(e) => {
                                skipped.get_or_insert(e);
                                None
                            }
                        },
                        (Some(_), _, _) => {
                            skipped.get_or_insert(
                                "a compressed text block uses an unknown method".into(),
                            );
                            None
                        }
                        (None, _, _) => None,
                    };
                    if let Some(text) = text {
                        if keyword == b"XML:com.adobe.xmp" {
                            xmp.push(text);
                        } else {
                            png_text(keyword, &decode(&text), r);
                        }
                    }
                }
            }
            _ => {}
        }
        i += 12 + len;
    }
    match skipped {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Latin-1 bytes (PNG `tEXt` and `zTXt`) as text.
fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

fn png_text(keyword: &[u8], text: &str, r: &mut Reading) {
    let field = match keyword {
        b"Title" => PhotoField::Title,
        b"Author" => PhotoField::Owner,
        b"Description" => PhotoField::Description,
        b"Copyright" => PhotoField::Copyright,
        b"Comment" => PhotoField::Comment,
        b"Software" | b"Creation Time" | b"date:create" | b"date:modify" | b"date:timestamp" => {
            return
        }
        k if k.starts_with(b"Raw profile type") => return,
        _ => PhotoField::Text,
    };
    r.text(field, text);
}

/// WebP RIFF chunks: XMP in `XMP `. (EXIF is read by kamadak-exif.)
fn walk_webp<'a>(b: &'a [u8], xmp: &mut Vec<Cow<'a, [u8]>>) -> Result<(), String> {
    let mut i = 12;
    while i + 8 <= b.len() {
        let len = u32::from_le_bytes([b[i + 4], b[i + 5], b[i + 6], b[i + 7]]) as usize;
        let Some(data) = b.get(i + 8..(i + 8).saturating_add(len)) else {
            return Err(TRUNCATED.into());
        };
        if &b[i..i + 4] == b"XMP " {
            xmp.push(Cow::Borrowed(data));
        }
        i += 8 + ((len + 1) & !1);
    }
    Ok(())
}

/// XMP packets found by scanning the file for `<x:xmpmeta` … `</x:xmpmeta>`, as the
/// XMP specification (part 3, "packet scanning") allows for formats a reader does not
/// parse: used for HEIC/HEIF, where XMP is an item of MIME type
/// `application/rdf+xml` stored as plain bytes.
fn scan_xmp_packets(b: &[u8]) -> Vec<&[u8]> {
    let (open, close) = (b"<x:xmpmeta".as_slice(), b"</x:xmpmeta>".as_slice());
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(s) = memchr::memmem::find(&b[at..], open) {
        let s = at + s;
        let Some(e) = memchr::memmem::find(&b[s..], close) else {
            break;
        };
        out.push(&b[s..s + e + close.len()]);
        at = s + e + close.len();
    }
    out
}

// --- XMP (quick-xml) ----------------------------------------------------------------

const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_IPTC_EXT: &str = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
const NS_IPTC_CORE: &str = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/";
const NS_MWG_RS: &str = "http://www.metadataworkinggroup.com/schemas/regions/";
const NS_MP_REG: &str = "http://ns.microsoft.com/photo/1.2/t/Region#";
const NS_PHOTOSHOP: &str = "http://ns.adobe.com/photoshop/1.0/";
const NS_EXIF: &str = "http://ns.adobe.com/exif/1.0/";
const NS_TIFF: &str = "http://ns.adobe.com/tiff/1.0/";

/// What an XMP property is read as.
#[derive(Clone, Copy, PartialEq)]
enum XmpTarget {
    Text(PhotoField),
    Latitude,
    Longitude,
}

fn xmp_target(ns: &str, local: &str) -> Option<XmpTarget> {
    use PhotoField as F;
    let f = match (ns, local) {
        (NS_DC, "title") => F::Title,
        (NS_DC, "description") => F::Description,
        (NS_DC, "subject") => F::Keywords,
        (NS_DC, "creator") => F::Owner,
        (NS_DC, "rights") => F::Copyright,
        (NS_IPTC_EXT, "PersonInImage") => F::People,
        (NS_MWG_RS, "Name") => F::People,
        (NS_MP_REG, "PersonDisplayName") => F::People,
        (NS_PHOTOSHOP, "Headline") => F::Headline,
        (NS_PHOTOSHOP, "City") => F::Place,
        (NS_IPTC_CORE, "Location") => F::Place,
        (NS_EXIF, "UserComment") => F::Comment,
        (NS_TIFF, "Artist") => F::Owner,
        (NS_TIFF, "ImageDescription") => F::Description,
        (NS_EXIF, "GPSLatitude") => return Some(XmpTarget::Latitude),
        (NS_EXIF, "GPSLongitude") => return Some(XmpTarget::Longitude),
        _ => return None,
    };
    Some(XmpTarget::Text(f))
}

/// An XMP GPS coordinate, `"DDD,MM,SSk"` or `"DDD,MM.mmk"` (k is N, S, E or W).
fn xmp_degrees(s: &str) -> Option<f64> {
    let s = s.trim();
    let k = s.chars().last()?;
    let neg = match k.to_ascii_uppercase() {
        'N' | 'E' => false,
        'S' | 'W' => true,
        _ => return None,
    };
    let body = &s[..s.len() - 1];
    let parts: Vec<f64> = body
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .ok()?;
    let v = match parts.as_slice() {
        [d, m] => d + m / 60.0,
        [d, m, sec] => d + m / 60.0 + sec / 3600.0,
        _ => return None,
    };
    Some(if neg { -v } else { v })
}

fn read_xmp(packet: &[u8], r: &mut Reading) {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let text = decode(packet);
    let mut reader = quick_xml::NsReader::from_str(&text);
    // The property each open element belongs to (inherited from its parent).
    let mut stack: Vec<Option<XmpTarget>> = Vec::new();
    let mut buf = String::new();
    let (mut lat, mut lon) = (None, None);
    let flush = |buf: &mut String,
                 target: Option<XmpTarget>,
                 r: &mut Reading,
                 lat: &mut Option<f64>,
                 lon: &mut Option<f64>| {
        match target {
            Some(XmpTarget::Text(f)) => r.text(f, buf),
            Some(XmpTarget::Latitude) => *lat = lat.or(xmp_degrees(buf)),
            Some(XmpTarget::Longitude) => *lon = lon.or(xmp_degrees(buf)),
            None => {}
        }
        buf.clear();
    };
    loop {
        let event = reader.read_resolved_event();
        let (ns, event) = match event {
            Ok((ResolveResult::Bound(ns), e)) => (Some(ns.as_ref().to_string()), e),
            Ok((_, e)) => (None, e),
            Err(_) => {
                r.problem
                    .get_or_insert("its XMP block is not valid XML".into());
                break;
            }
        };
        let top = stack.last().copied().flatten();
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                flush(&mut buf, top, r, &mut lat, &mut lon);
                let own = ns
                    .as_deref()
                    .and_then(|ns| xmp_target(ns, e.local_name().as_ref()));
                for a in e.attributes().flatten() {
                    let (ans, local) = reader.resolver().resolve_attribute(a.key);
                    let ResolveResult::Bound(ans) = ans else {
                        continue;
                    };
                    let Some(t) = xmp_target(ans.as_ref(), local.as_ref()) else {
                        continue;
                    };
                    if let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                        let mut v = v.into_owned();
                        flush(&mut v, Some(t), r, &mut lat, &mut lon);
                    }
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(own.or(top));
                }
            }
            Event::End(_) => {
                flush(&mut buf, top, r, &mut lat, &mut lon);
                stack.pop();
            }
            Event::Text(t) if top.is_some() => buf.push_str(&t.xml10_content()),
            Event::CData(t) if top.is_some() => buf.push_str(&t),
            Event::GeneralRef(g) if top.is_some() => {
                let name = g.xml10_content();
                let entity = format!("&{name};");
                if let Ok(v) = quick_xml::escape::unescape(&entity) {
                    buf.push_str(&v);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let (Some(la), Some(lo)) = (lat, lon) {
        r.position(la, lo);
    }
}

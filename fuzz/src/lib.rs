//! Helpers shared by the fuzz targets: turning fuzzer input into a draft, and the
//! invariants every scan result must satisfy.

use postsafe_core::{Category, Draft, FieldKind, Finding, ScanResult};

/// Splits fuzzer text into a draft.
///
/// The text is cut at NUL characters. The first part is the body. Each later part
/// goes to a list chosen by its first character, which is dropped: `a` alt text,
/// `f` file name, `l` link; a part starting with anything else is an alt text, whole.
///
/// `"Well done Tom\0aTom in the hall\0fIMG_1.jpg\0lhttps://x.sch.uk/"` is a body, one
/// alt text, one file name and one link.
pub fn draft_from_str(s: &str) -> Draft {
    let mut parts = s.split('\0');
    let mut draft = Draft {
        body: parts.next().unwrap_or("").to_string(),
        ..Draft::default()
    };
    for p in parts {
        if let Some(rest) = p.strip_prefix('a') {
            draft.alt.push(rest.to_string());
        } else if let Some(rest) = p.strip_prefix('f') {
            draft.files.push(rest.to_string());
        } else if let Some(rest) = p.strip_prefix('l') {
            draft.links.push(rest.to_string());
        } else {
            draft.alt.push(p.to_string());
        }
    }
    draft
}

/// The text of one field of a draft.
fn field_text<'d>(draft: &'d Draft, f: &Finding) -> &'d str {
    let list = match f.field {
        FieldKind::Body => {
            assert_eq!(
                f.field_index, 0,
                "a body finding with index {}",
                f.field_index
            );
            return &draft.body;
        }
        FieldKind::Alt => &draft.alt,
        FieldKind::File => &draft.files,
        FieldKind::Link => &draft.links,
    };
    list.get(f.field_index).unwrap_or_else(|| {
        panic!(
            "finding in {:?} #{} but the draft has {} such fields",
            f.field,
            f.field_index,
            list.len()
        )
    })
}

/// Asserts the invariants of a scan result for `draft`:
///
/// - every span lies inside its field (`start <= end <= len`), on character boundaries,
///   and `text` is exactly `&field[start..end]`;
/// - the UTF-16 offsets are the UTF-16 lengths of `field[..start]` and `field[..end]`;
/// - findings are sorted by (field, field index, start);
/// - no two findings of the same field overlap, unless one of them is the affiliation
///   reminder (which repeats the span of a school finding).
pub fn check_scan(draft: &Draft, result: &ScanResult) {
    let findings = &result.findings;
    // UTF-16 offsets are counted from the previous finding's start in the same field
    // (findings are sorted), so the check is linear in the field's length.
    let mut cursor: Option<(FieldKind, usize, usize, usize)> = None; // field, index, byte, utf16
    for f in findings {
        let field = field_text(draft, f);
        assert!(
            f.start <= f.end && f.end <= field.len(),
            "span {}..{} in a field of {} bytes: {f:?}",
            f.start,
            f.end,
            field.len()
        );
        assert!(
            field.is_char_boundary(f.start) && field.is_char_boundary(f.end),
            "span {}..{} not on character boundaries: {f:?}",
            f.start,
            f.end
        );
        assert_eq!(
            &field[f.start..f.end],
            f.text,
            "text differs from the span: {f:?}"
        );
        let (from_byte, from_utf16) = match cursor {
            Some((kind, index, byte, utf16))
                if (kind, index) == (f.field, f.field_index) && byte <= f.start =>
            {
                (byte, utf16)
            }
            _ => (0, 0),
        };
        let utf16_start = from_utf16 + field[from_byte..f.start].encode_utf16().count();
        assert_eq!(f.utf16_start, utf16_start, "utf16_start: {f:?}");
        assert_eq!(
            f.utf16_end,
            utf16_start + f.text.encode_utf16().count(),
            "utf16_end: {f:?}"
        );
        cursor = Some((f.field, f.field_index, f.start, utf16_start));
    }
    for w in findings.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(
            (a.field, a.field_index, a.start) <= (b.field, b.field_index, b.start),
            "findings out of order: {a:?} before {b:?}"
        );
    }
    for (i, a) in findings.iter().enumerate() {
        for b in &findings[i + 1..] {
            if (a.field, a.field_index) != (b.field, b.field_index) {
                break; // sorted: no later finding is in a's field
            }
            if b.start >= a.end {
                break; // sorted by start: nothing later overlaps a
            }
            // Here b.start < a.end and a.start <= b.start: the spans overlap.
            if b.start < b.end
                && a.category != Category::Affiliation
                && b.category != Category::Affiliation
            {
                panic!("overlapping findings: {a:?} and {b:?}");
            }
        }
    }
    for t in &result.truncated {
        let len = match t.field {
            FieldKind::Body => draft.body.len(),
            FieldKind::Alt => draft.alt[t.field_index].len(),
            FieldKind::File => draft.files[t.field_index].len(),
            FieldKind::Link => draft.links[t.field_index].len(),
        };
        assert!(t.checked_bytes < len, "truncation of a short field: {t:?}");
    }
}

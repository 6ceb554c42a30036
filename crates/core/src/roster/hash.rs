//! Hashing a roster: every key of [`super::for_each_key`] under SipHash-1-3 with the
//! pack's salt, sorted and encoded into a [`HashedRoster`]; and [`crate::Pack::hash_roster`],
//! which replaces a pack's names with it.

use std::collections::BTreeSet;

use super::{for_each_key, Keyed};
use crate::hashed::{encode, encode_given, HashedRoster, Hasher, SALT_BYTES, SCHEME};
use crate::pack::{Pupil, StaffMember};

/// Hashes a roster under `salt` (16 random bytes: take them from the operating
/// system's random source, never a fixed value). Every key the plain roster would use
/// (see [`crate::roster`]) is made with SipHash-1-3 under the salt instead, so the
/// hashed roster finds exactly what the plain one finds.
pub fn hash_roster(
    pupils: &[Pupil],
    staff: &[StaffMember],
    salt: [u8; SALT_BYTES],
) -> HashedRoster {
    let hasher = Hasher::new(&salt);
    let mut max_words = 1usize;
    let (mut names, mut firsts, mut words, mut staff_h, mut pairs, mut starts) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    let mut given: BTreeSet<(u64, u64)> = BTreeSet::new();
    let mut key = |b: &[u8]| hasher.hash_bytes(b);
    let mut start = |spelling: &str| {
        let first = spelling.split(' ').next().unwrap_or(spelling);
        starts.insert(hasher.hash_bytes(first.as_bytes()));
    };
    for_each_key(pupils, staff, &mut key, |k| match k {
        Keyed::PupilName { key, spelling } => {
            max_words = max_words.max(spelling.split(' ').count());
            start(spelling);
            names.insert(key);
        }
        Keyed::PupilFirst { key, spelling } => {
            start(spelling);
            firsts.insert(key);
        }
        Keyed::PupilWordName { key, spelling } => {
            start(spelling);
            words.insert(key);
        }
        Keyed::Staff { key, spelling } => {
            max_words = max_words.max(spelling.split(' ').count());
            start(spelling);
            staff_h.insert(key);
        }
        Keyed::Given { key, value } => {
            given.insert((key, value));
        }
        Keyed::Pair { key } => {
            pairs.insert(key);
        }
    });
    HashedRoster {
        scheme: SCHEME.to_string(),
        salt: salt.iter().map(|b| format!("{b:02x}")).collect(),
        max_words: max_words.min(u8::MAX as usize) as u8,
        pupils: pupils.len(),
        staff: staff.len(),
        pupil_names: encode(&names),
        pupil_first_names: encode(&firsts),
        staff_names: encode(&staff_h),
        pupil_word_names: encode(&words),
        given: encode_given(&given),
        name_pairs: encode(&pairs),
        starts: encode(&starts),
    }
}

impl crate::Pack {
    /// Replaces `pupils` and `staff` with a [`crate::hashed::HashedRoster`] under `salt`
    /// (16 random bytes from the operating system), so the pack holds no roster name.
    /// The `group` of each pupil is dropped with the names.
    ///
    /// # Errors
    /// When the pack already has a hashed roster: hashing twice would need the first
    /// salt's names, which are gone.
    pub fn hash_roster(&mut self, salt: [u8; SALT_BYTES]) -> Result<(), crate::PackError> {
        if self.hashed_roster.is_some() {
            return Err(crate::PackError::new(
                &self.id,
                None,
                "the pack's roster is already hashed",
            ));
        }
        self.hashed_roster = Some(hash_roster(&self.pupils, &self.staff, salt));
        self.pupils.clear();
        self.staff.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_depend_on_the_salt_and_hold_no_names() {
        let pupils = vec![Pupil {
            forename: "Priya".into(),
            surname: "Ramaswamy".into(),
            ..Pupil::default()
        }];
        let a = hash_roster(&pupils, &[], [1; 16]);
        let b = hash_roster(&pupils, &[], [2; 16]);
        assert_ne!(a.pupil_names, b.pupil_names);
        let json = serde_json::to_string(&a).unwrap().to_lowercase();
        assert!(!json.contains("priya") && !json.contains("ramaswamy"));
        assert_eq!(a.max_words, 2);
        assert_eq!(
            crate::hashed::decode("t", "pupil_names", &a.pupil_names)
                .unwrap()
                .len(),
            crate::variants::pupil_names(&pupils[0]).len()
        );
    }

    #[test]
    fn a_pack_with_the_old_hmac_keys_is_refused_with_how_to_rebuild() {
        let mut pack = crate::Pack {
            format: crate::PACK_FORMAT,
            id: "old".into(),
            name: "Old".into(),
            version: "1".into(),
            pupils: vec![Pupil {
                forename: "Priya".into(),
                surname: "Ramaswamy".into(),
                ..Pupil::default()
            }],
            ..crate::Pack::default()
        };
        pack.hash_roster([7; 16]).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&pack.to_json()).unwrap();
        assert!(crate::Pack::from_json("new.json", &v.to_string()).is_ok());
        v["hashed_roster"].as_object_mut().unwrap().remove("scheme");
        let e = crate::Pack::from_json("old.json", &v.to_string()).unwrap_err();
        let shown = e.to_string();
        assert!(shown.starts_with("old.json:"), "{shown}");
        assert!(shown.contains("older Postsafe"), "{shown}");
        assert!(
            shown.contains("postsafe pack build --hash-roster"),
            "{shown}"
        );
        assert_eq!(e.kind(), crate::PackErrorKind::OldHashedRoster);
        v["hashed_roster"]["scheme"] = "hmac-sha256".into();
        let e = crate::Pack::from_json("odd.json", &v.to_string()).unwrap_err();
        assert!(e.to_string().contains("\"hmac-sha256\""), "{e}");
    }
}

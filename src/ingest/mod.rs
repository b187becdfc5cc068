//! From files on disk to what the index stores: `walk` finds the documents, `extract` reads
//! each into text, `passage` splits it, `meta` finds its number, issuer, date and type, and
//! `keyphrase` weighs its words.

pub mod extract;
pub mod keyphrase;
pub mod meta;
pub mod passage;
pub mod walk;

/// A stable 64-bit FNV-1a hash, so keys and content hashes stay equal across builds.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

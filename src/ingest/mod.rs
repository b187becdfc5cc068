//! From files on disk to what the index stores: `walk` finds the documents, `extract` reads
//! each into text, `passage` splits it, `meta` finds its number, issuer, date and type, and
//! `keyphrase` weighs its words.

pub mod extract;
pub mod keyphrase;
pub mod legal;
pub mod meta;
pub mod name;
pub mod passage;
pub mod walk;

/// A stable 64-bit FNV-1a hash, so keys and content hashes stay equal across builds.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    stable_hash_more(0xcbf2_9ce4_8422_2325, bytes)
}

/// [`stable_hash`] of earlier bytes (`hash`) followed by `bytes`: a file hashed a block at a
/// time.
pub fn stable_hash_more(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

//! From files on disk to what the index stores: `walk` finds the documents, `extract` reads
//! each into text, `passage` splits it, `meta` finds its number, issuer, date and type, and
//! `keyphrase` weighs its words.

pub mod extract;
pub mod keyphrase;
pub mod meta;
pub mod passage;
pub mod walk;

//! Bytes in, UTF-8 text out: a byte-order mark, else UTF-16 recognised by its NUL bytes,
//! else valid UTF-8, else GB18030 (a superset of GBK and GB2312) or Big5, whichever reads as
//! Chinese. Anything else that still looks like text goes to chardetng's guess.
//!
//! Text is kept, not thrown away for a few bad bytes: a file that is not valid in one
//! encoding is decoded line by line, each line in whichever of UTF-8 and the file's other
//! encoding reads it better, so a file whose first half is UTF-8 and second half GBK reads
//! whole; bytes that are valid in neither become U+FFFD and are counted. CESU-8 (a
//! character outside the BMP written as two UTF-8-encoded surrogates) reads as UTF-8. Only a
//! file that is not text at all is refused: one of which more than [`MAX_BAD_PERCENT`] % of
//! the characters are undecodable or control characters, or more than [`MAX_NUL_PER_MILLE`]
//! in 1000 are NUL. The rule is the same for every encoding and size.

use std::path::Path;

use anyhow::{Result, bail};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// How much of a file the detectors look at: enough to decide, cheap on big files.
const SAMPLE: usize = 64 * 1024;

/// A file with more undecodable bytes and control characters than this, in percent of its
/// characters, is not text (a binary file, or text in an encoding zhengce does not read).
pub const MAX_BAD_PERCENT: usize = 25;

/// A file with more NUL characters than this, per thousand characters, is not text: text
/// has none, and binary formats are full of them (a random byte is NUL once in 256), while
/// some of them (compressed data) read as a legacy encoding with few other bad characters.
pub const MAX_NUL_PER_MILLE: usize = 1;

/// Decoded text and what decoding it cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Malformed byte sequences replaced by U+FFFD.
    pub replaced: usize,
}

/// Decodes a file's bytes, detecting the encoding.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded> {
    decode_declared(path, bytes, None)
}

/// Decodes a file's bytes. A byte-order mark wins; then the encoding the document declares
/// (an HTML `<meta charset>`), if its bytes decode cleanly in it; then detection.
pub fn decode_declared(
    path: &Path,
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<Decoded> {
    let decoded = decode_any(bytes, declared);
    let chars = decoded.text.chars().count();
    let nul = decoded.text.bytes().filter(|&b| b == 0).count();
    if nul * 1000 > chars * MAX_NUL_PER_MILLE {
        bail!(
            "{}: binary file, not text ({nul} NUL bytes, more than {MAX_NUL_PER_MILLE} in 1000 \
             characters)",
            path.display()
        );
    }
    let bad = decoded.replaced + count_controls(&decoded.text);
    if bad * 100 > chars * MAX_BAD_PERCENT {
        bail!(
            "{}: cannot decode: not UTF-8, UTF-16, GB18030 or Big5 text ({}% of its characters \
             are undecodable bytes or control characters, more than {MAX_BAD_PERCENT}%)",
            path.display(),
            bad * 100 / chars.max(1)
        );
    }
    Ok(decoded)
}

fn decode_any(bytes: &[u8], declared: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return whole(encoding, &bytes[bom_len..]);
    }
    // Before the UTF-8 check: UTF-16 of ASCII text is valid UTF-8 too.
    if let Some(encoding) = sniff_utf16(bytes) {
        return whole(encoding, bytes);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            replaced: 0,
        };
    }
    let utf8 = cesu8_to_utf8(bytes);
    if let Ok(text) = std::str::from_utf8(&utf8) {
        return Decoded {
            text: text.to_string(),
            replaced: 0,
        };
    }
    if let Some(encoding) = declared.map(Encoding::output_encoding)
        && let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Decoded {
            text: text.into_owned(),
            replaced: 0,
        };
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    // The other encoding is detected from the lines UTF-8 cannot read: in a file mixing
    // both, the UTF-8 lines would only blur the detectors.
    let invalid = invalid_lines(bytes);
    if mostly_utf8(&cesu8_to_utf8(sample)) {
        // What UTF-8 text gets mixed with is Chinese text (a single-byte encoding, which
        // reads any byte, would take every stray byte for a letter).
        let gb = chinese_score(GB18030, &invalid);
        let big5 = chinese_score(BIG5, &invalid);
        let chinese = if big5.value() > gb.value() {
            BIG5
        } else {
            GB18030
        };
        by_line(bytes, UTF_8, chinese)
    } else {
        by_line(bytes, detect_legacy(&invalid), UTF_8)
    }
}

/// The whole of `bytes` in one encoding, malformed sequences replaced.
fn whole(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let mut decoded = Decoded::default();
    decoded.replaced = decode_into(encoding, bytes, &mut decoded.text);
    decoded
}

/// Decodes `bytes` onto the end of `out`, each malformed sequence as U+FFFD; returns how
/// many there were.
fn decode_into(encoding: &'static Encoding, bytes: &[u8], out: &mut String) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut replaced = 0;
    let mut rest = bytes;
    loop {
        if let Some(need) = decoder.max_utf8_buffer_length_without_replacement(rest.len()) {
            out.reserve(need);
        }
        let (result, read) = decoder.decode_to_string_without_replacement(rest, out, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return replaced,
            DecoderResult::Malformed(..) => {
                out.push('\u{FFFD}');
                replaced += 1;
            }
            DecoderResult::OutputFull => out.reserve(rest.len().max(16)),
        }
    }
}

/// Decodes line by line (a line break is the same byte in every encoding read here, and never
/// part of a multi-byte character): ASCII lines as they are, others in `main` unless `other`
/// reads the line better on both counts, as many common Chinese characters or more and as
/// few malformed sequences or fewer (and better on one). A line of UTF-8 text with a stray
/// byte is UTF-8 with one U+FFFD, never the garbage a double-byte encoding makes of it.
fn by_line(bytes: &[u8], main: &'static Encoding, other: &'static Encoding) -> Decoded {
    let mut decoded = Decoded {
        text: String::with_capacity(bytes.len() + bytes.len() / 2),
        replaced: 0,
    };
    let mut a = String::new();
    let mut b = String::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line.is_ascii() {
            // ASCII is the same in every candidate encoding.
            decoded.text.extend(line.iter().map(|&b| char::from(b)));
            continue;
        }
        a.clear();
        b.clear();
        let bad_a = decode_line(main, line, &mut a);
        let bad_b = decode_line(other, line, &mut b);
        let (common_a, common_b) = (count_common(&a), count_common(&b));
        let other_better =
            common_b >= common_a && bad_b <= bad_a && (common_b > common_a || bad_b < bad_a);
        let (text, bad) = if other_better {
            (&b, bad_b)
        } else {
            (&a, bad_a)
        };
        decoded.text.push_str(text);
        decoded.replaced += bad;
    }
    decoded
}

/// A line in one encoding; UTF-8 also takes CESU-8 surrogate pairs.
fn decode_line(encoding: &'static Encoding, line: &[u8], out: &mut String) -> usize {
    if encoding == UTF_8 {
        decode_into(UTF_8, &cesu8_to_utf8(line), out)
    } else {
        decode_into(encoding, line, out)
    }
}

fn count_common(text: &str) -> usize {
    text.chars().filter(|&c| is_common(c)).count()
}

/// The lines of `bytes` that are not valid UTF-8, up to a sample's worth: what detection of
/// a mostly-UTF-8 file's other encoding looks at.
fn invalid_lines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if out.len() >= SAMPLE {
            break;
        }
        if std::str::from_utf8(line).is_err() {
            out.extend_from_slice(&line[..line.len().min(SAMPLE)]);
        }
    }
    out
}

/// CESU-8 surrogate pairs (`ED A0-AF xx ED B0-BF xx`, as Java and some databases write a
/// character outside the BMP) rewritten as the 4-byte UTF-8 of their character. Anything
/// else, lone surrogates included, is left for the decoder to reject.
fn cesu8_to_utf8(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let is_high = |i: usize| {
        bytes.get(i) == Some(&0xED) && bytes.get(i + 1).is_some_and(|b| (0xA0..=0xAF).contains(b))
    };
    let is_low = |i: usize| {
        bytes.get(i) == Some(&0xED) && bytes.get(i + 1).is_some_and(|b| (0xB0..=0xBF).contains(b))
    };
    let is_cont = |i: usize| bytes.get(i).is_some_and(|b| b & 0xC0 == 0x80);
    let pair_at = |i: usize| is_high(i) && is_cont(i + 2) && is_low(i + 3) && is_cont(i + 5);
    if !(0..bytes.len()).any(pair_at) {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if pair_at(i) {
            let unit = |j: usize| {
                (u32::from(bytes[j] & 0x0F) << 12)
                    | (u32::from(bytes[j + 1] & 0x3F) << 6)
                    | u32::from(bytes[j + 2] & 0x3F)
            };
            let c = 0x10000 + ((unit(i) - 0xD800) << 10) + (unit(i + 3) - 0xDC00);
            if let Some(c) = char::from_u32(c) {
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                i += 6;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// Control characters other than line breaks, tabs and form feeds.
fn count_controls(text: &str) -> usize {
    text.chars()
        .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        .count()
}

/// UTF-16 without a byte-order mark. Only a file with NUL bytes is a candidate (text in
/// any other encoding has none; UTF-16 has them in ASCII characters and in U+3000-style
/// code units). The byte order whose code units are mostly text (ASCII, CJK punctuation,
/// common Chinese characters) wins; swapped bytes read as scattered rare code points.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SAMPLE) & !1];
    if !sample.contains(&0) {
        return None;
    }
    let score = |encoding: &'static Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(sample);
        let (mut good, mut all) = (0usize, 0usize);
        for c in text.chars() {
            all += 1;
            let text_like = c.is_ascii_graphic()
                || matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{A0}')
                || ('\u{3000}'..='\u{303F}').contains(&c)
                || ('\u{FF00}'..='\u{FFEF}').contains(&c)
                || is_common(c);
            good += usize::from(text_like);
        }
        (good, all)
    };
    let (le, le_all) = score(UTF_16LE);
    let (be, be_all) = score(UTF_16BE);
    let (encoding, good, all) = if le >= be {
        (UTF_16LE, le, le_all)
    } else {
        (UTF_16BE, be, be_all)
    };
    (good * 2 >= all).then_some(encoding)
}

/// Whether a sample that is not valid UTF-8 is still UTF-8 with a few broken bytes (a
/// truncated last character, stray bytes): legacy CJK bytes read as UTF-8 fail on nearly
/// every character (about one GBK or Big5 character in ten reads as a valid UTF-8 one), so
/// twice as many valid multi-byte characters as broken sequences is UTF-8 by far.
fn mostly_utf8(sample: &[u8]) -> bool {
    let (utf8, _) = UTF_8.decode_without_bom_handling(sample);
    let (mut good, mut broken) = (0usize, 0usize);
    for c in utf8.chars() {
        match c {
            '\u{FFFD}' => broken += 1,
            c if !c.is_ascii() => good += 1,
            _ => {}
        }
    }
    good >= 2 * broken.max(1)
}

/// The encoding of text that is not UTF-8: GB18030, Big5, or chardetng's guess.
fn detect_legacy(sample: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = detector.guess(None, Utf8Detection::Deny);

    // chardetng can take GB text for Big5 or the other way round on short or unusual
    // text; both decode most double-byte pairs without error, so the choice is checked
    // by how many of the decoded characters are common Chinese characters.
    let gb = chinese_score(GB18030, sample);
    let big5 = chinese_score(BIG5, sample);
    let (best, score) =
        if big5.value() > gb.value() || (big5.value() == gb.value() && guess == BIG5) {
            (BIG5, big5)
        } else {
            (GB18030, gb)
        };
    let chinese_guess = guess == GB18030 || guess == encoding_rs::GBK || guess == BIG5;
    // Text that is not Chinese at all (Latin-1, say) still decodes in GB18030, but into
    // rare characters: chardetng knows best then.
    if chinese_guess || score.common * 2 >= score.non_ascii {
        best
    } else {
        guess
    }
}

/// How a sample reads in one encoding.
#[derive(Debug, Clone, Copy)]
struct ChineseScore {
    /// Characters among the most common Chinese characters.
    common: usize,
    /// Characters outside ASCII.
    non_ascii: usize,
    /// Malformed byte sequences.
    malformed: usize,
}

impl ChineseScore {
    fn value(self) -> i64 {
        // Counts are bounded by SAMPLE, so they fit.
        self.common as i64 - 5 * self.malformed as i64
    }
}

fn chinese_score(encoding: &'static Encoding, sample: &[u8]) -> ChineseScore {
    let (text, _) = encoding.decode_without_bom_handling(sample);
    let mut score = ChineseScore {
        common: 0,
        non_ascii: 0,
        malformed: 0,
    };
    for c in text.chars() {
        if c == '\u{FFFD}' {
            score.malformed += 1;
        } else if is_common(c) {
            score.common += 1;
        }
        score.non_ascii += usize::from(!c.is_ascii());
    }
    score
}

/// Whether `c` is among the most frequent Chinese characters of policy text (simplified
/// and traditional): real text is mostly made of them, mis-decoded text rarely.
fn is_common(c: char) -> bool {
    if !('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return false;
    }
    // COMMON is sorted by code point and every character in it takes three UTF-8 bytes,
    // so it can be binary-searched by byte offset.
    let (mut lo, mut hi) = (0, COMMON.len() / 3);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match COMMON[mid * 3..].chars().next().map(|m| m.cmp(&c)) {
            Some(std::cmp::Ordering::Less) => lo = mid + 1,
            Some(std::cmp::Ordering::Greater) => hi = mid,
            _ => return true,
        }
    }
    false
}

/// The 704 most frequent characters of the bench corpus (simplified) and of the 1954 work
/// report (traditional), sorted.
const COMMON: &str = concat!(
    "一七万三上下不与专且世业严並个中为主举义之九也乡书了予事二于互五些亞交产人今从他付代令以件价任企优会传但位低住体佔何作使",
    "來例供依侵係促保信修個倍們债值停健偿備億元充先克入內全兩八公六共关其具养内军农决况准减出分切刑划列则判利别到制則前劃力办",
    "加务动助努励劳動務勝勞包化区医區十千华协協单南卫印危原去县参參又及反发取受变口只可台号司各合同名后向告员命和品响員售商問",
    "善器嚴四回因团困围国國團土在地场城域培基境增壞处备复外多够大央失好如委子存学學它守安完官定实审害家容密察實对导将將對導小",
    "少就居届展属履工己已市布常平年并幾广序应府废度庭廣建开式强当录形影征很律後得從復必志态急性总恢息情意憲應成我或戰户房所手",
    "才托执批承技把投护报担持指按损据排採接控推措提損據擧支收改放政故效敎救教数整敵數文料新方於施旅族无日时明易是時更最會月有",
    "服望朝期未本术机权材村条東构林果染查标校核根格案條检棉業極標樣機權次款止正此步比民气水求污沒没河治法注洲活流测济浪海消涉",
    "清游源準濟灣災灾点無然照營爭爲物特犯环现現理瓦生産用由申电界略當疗病登發百的益监盟目直相省着督知矿研破确示社禁福私种科称",
    "移程税種積究空立章符第等筑策算管節类系約級組結統經總織繼續约级纳线组织经结给统续维绿编网罚罪置美羣義者而职联聯職育能自航",
    "船节范药華营萬蘇融衆行術衞补表被裁装製西要規視见规视解訂計設許認說證警議護變计认议记许讼设证评识诉该请调象財費資質購负财",
    "责货质购费资赔起超越足路身軍輸车转输辖辦農达迅过运进违追送适选逐這通速造進運過道達遠適選還那部都配采重量金销镇長长門開間",
    "關门问间防际限院除险際障集難零需非面革項須預領題額願顧项须预领题额风食養餘验體高鬥鮮點鼓",
);

#[cfg(test)]
mod tests {
    use super::*;

    const SIMPLIFIED: &str = include_str!("../../../tests/fixtures/encoding/xinhua_2000.txt");
    const TRADITIONAL: &str = include_str!("../../../tests/fixtures/encoding/report_1954_2000.txt");

    fn dec(bytes: &[u8]) -> String {
        decode(Path::new("x.txt"), bytes).unwrap().text
    }

    /// The text minus what `encoding` cannot encode, and its bytes.
    fn encodable(text: &str, encoding: &'static Encoding) -> (String, Vec<u8>) {
        let kept: String = text
            .chars()
            .filter(|c| !encoding.encode(c.encode_utf8(&mut [0; 4])).2)
            .collect();
        let (bytes, _, errors) = encoding.encode(&kept);
        assert!(!errors);
        (kept.clone(), bytes.into_owned())
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend(if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(dec(SIMPLIFIED.as_bytes()), SIMPLIFIED);
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend(SIMPLIFIED.as_bytes());
        assert_eq!(dec(&with_bom), SIMPLIFIED);
    }

    #[test]
    fn gbk_and_gb18030_round_trip() {
        // GBK cannot encode the no-break spaces of the Xinhua text; GB18030 can.
        let (kept, gbk) = encodable(SIMPLIFIED, encoding_rs::GBK);
        assert!(kept.len() > SIMPLIFIED.len() - 20);
        assert_eq!(dec(&gbk), kept);
        let (gb18030, _, errors) = GB18030.encode(SIMPLIFIED);
        assert!(!errors);
        assert_eq!(dec(&gb18030), SIMPLIFIED);
        // Traditional characters written in GBK are still GBK, not Big5.
        let (kept, gbk) = encodable(TRADITIONAL, encoding_rs::GBK);
        assert_eq!(dec(&gbk), kept);
    }

    #[test]
    fn big5_round_trips() {
        let (kept, big5) = encodable(TRADITIONAL, BIG5);
        assert!(kept.chars().count() > 1900);
        assert_eq!(dec(&big5), kept);
    }

    #[test]
    fn short_lines_are_not_mistaken() {
        for line in SIMPLIFIED.lines().chain(TRADITIONAL.lines()) {
            if line.chars().count() < 8 {
                continue;
            }
            let (kept, gb) = encodable(line, GB18030);
            assert_eq!(dec(&gb), kept, "GB18030");
            if TRADITIONAL.contains(line) {
                let (kept, big5) = encodable(line, BIG5);
                assert_eq!(dec(&big5), kept, "Big5");
            }
        }
    }

    #[test]
    fn utf16_with_bom_and_without() {
        for text in [SIMPLIFIED, TRADITIONAL] {
            for big_endian in [false, true] {
                assert_eq!(dec(&utf16(text, big_endian, true)), text);
                // Without a BOM it is told by the NUL bytes of its newlines and digits.
                assert_eq!(dec(&utf16(text, big_endian, false)), text);
            }
        }
    }

    #[test]
    fn declared_charset_is_honoured_when_it_fits() {
        let (gb, _, _) = GB18030.encode(TRADITIONAL);
        let p = Path::new("x.html");
        assert_eq!(
            decode_declared(p, &gb, Encoding::for_label(b"gb2312"))
                .unwrap()
                .text,
            TRADITIONAL
        );
        // A wrong declaration (Big5 bytes declared UTF-8) falls back to detection.
        let (kept, big5) = encodable(TRADITIONAL, BIG5);
        assert_eq!(decode_declared(p, &big5, Some(UTF_8)).unwrap().text, kept);
    }

    #[test]
    fn mostly_utf8_stays_utf8() {
        let mut bytes = SIMPLIFIED.as_bytes().to_vec();
        bytes.truncate(bytes.len() - 1);
        let text = dec(&bytes);
        assert!(
            text.starts_with("习近平在中共中央政治局"),
            "{}",
            &text[..30]
        );
    }

    #[test]
    fn latin1_and_bomless_english_utf16() {
        let text = "Règlement général sur la protection des données, à côté.\n";
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        assert_eq!(dec(&latin1), text);
        assert_eq!(
            dec(&utf16("Plain English.\n", false, false)),
            "Plain English.\n"
        );
        assert_eq!(
            dec(&utf16("Plain English.\n", true, false)),
            "Plain English.\n"
        );
    }

    #[test]
    fn bad_bytes_are_replaced_and_counted_whatever_their_number() {
        for bad in [1, 3, 40, 400] {
            let mut bytes = Vec::new();
            for (i, line) in SIMPLIFIED.lines().enumerate() {
                bytes.extend(line.as_bytes());
                if i < bad {
                    bytes.push(0xFF);
                }
                bytes.push(b'\n');
            }
            let lines = SIMPLIFIED.lines().count();
            let decoded = decode(Path::new("x.txt"), &bytes).unwrap();
            assert_eq!(decoded.replaced, bad.min(lines), "{bad}");
            let want: String = SIMPLIFIED.lines().map(|l| format!("{l}\n")).collect();
            assert!(decoded.text.replace('\u{FFFD}', "") == want, "{bad}");
        }
        // GBK text with stray bytes stays GBK.
        let (kept, mut gbk) = encodable(SIMPLIFIED, encoding_rs::GBK);
        let middle = gbk.iter().position(|&b| b == b'\n').unwrap();
        gbk.insert(middle, 0xFF);
        let decoded = decode(Path::new("x.txt"), &gbk).unwrap();
        assert_eq!(decoded.replaced, 1);
        assert!(decoded.text.replace('\u{FFFD}', "") == kept);
    }

    #[test]
    fn a_file_mixing_utf8_and_gbk_is_read_line_by_line() {
        // Cut after a line break; the second half ends with one too.
        let cut = SIMPLIFIED[..SIMPLIFIED.len() / 2].rfind('\n').unwrap() + 1;
        let first = &SIMPLIFIED[..cut];
        let second = format!("{}\n", SIMPLIFIED[cut..].trim_end());
        let second = second.as_str();
        assert!(second.len() > first.len() / 2);
        let (kept, gbk) = encodable(second, encoding_rs::GBK);
        for (bytes, want) in [
            ([first.as_bytes(), &gbk].concat(), format!("{first}{kept}")),
            ([&gbk, first.as_bytes()].concat(), format!("{kept}{first}")),
        ] {
            let decoded = decode(Path::new("x.txt"), &bytes).unwrap();
            let differ = decoded
                .text
                .char_indices()
                .zip(want.chars())
                .find(|((_, a), b)| a != b)
                .map_or(0, |((i, _), _)| i);
            assert!(
                decoded.text == want,
                "{}",
                &decoded.text[differ.saturating_sub(30)..]
                    .chars()
                    .take(40)
                    .collect::<String>()
            );
            assert_eq!(decoded.replaced, 0);
        }
    }

    #[test]
    fn cesu8_surrogate_pairs_read_as_their_characters() {
        let cesu = |text: &str| -> Vec<u8> {
            let mut out = Vec::new();
            for c in text.chars() {
                if (c as u32) < 0x10000 {
                    out.extend(c.encode_utf8(&mut [0; 4]).as_bytes());
                    continue;
                }
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let u = u32::from(*unit);
                    out.extend([
                        0xE0 | (u >> 12) as u8,
                        0x80 | ((u >> 6) & 0x3F) as u8,
                        0x80 | (u & 0x3F) as u8,
                    ]);
                }
            }
            out
        };
        let text = "含有增补字符𠀀的文字，例如𪚥字。\n".repeat(5);
        let decoded = decode(Path::new("x.txt"), &cesu(&text)).unwrap();
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.replaced, 0);
        // A lone surrogate is a bad sequence like any other.
        let mut bytes = cesu(&text);
        bytes.extend("数据\u{3000}".as_bytes());
        bytes.extend(b"\xED\xA0\x80");
        bytes.extend("安全\n".as_bytes());
        let decoded = decode(Path::new("x.txt"), &bytes).unwrap();
        assert_eq!(
            decoded.text,
            format!("{text}数据\u{3000}\u{FFFD}\u{FFFD}\u{FFFD}安全\n")
        );
        assert_eq!(decoded.replaced, 3);
    }

    #[test]
    fn binary_is_an_error_naming_the_file() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let err = decode(Path::new("dir/bin.txt"), &bytes)
            .unwrap_err()
            .to_string();
        assert!(err.contains("dir/bin.txt"), "{err}");
        assert!(decode(Path::new("z.txt"), &[0; 64]).is_err());
        // Compressed data reads as a single-byte encoding with few bad characters but a NUL
        // every 256 bytes or so; text with one stray NUL is still text.
        let mut state = 12345u32;
        let noise: Vec<u8> = (0..64 * 1024)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (state >> 16) as u8
            })
            .collect();
        let err = decode(Path::new("noise.txt"), &noise)
            .unwrap_err()
            .to_string();
        assert!(err.contains("noise.txt: binary file"), "{err}");
        let mut text = SIMPLIFIED.as_bytes().to_vec();
        text.insert(100, 0);
        assert!(decode(Path::new("nul.txt"), &text).is_ok());
    }
}

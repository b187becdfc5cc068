//! Bytes in, UTF-8 text out: a byte-order mark, else UTF-16 recognised by its NUL bytes,
//! else valid UTF-8, else GB18030 (a superset of GBK and GB2312) or Big5, whichever reads as
//! Chinese. Anything else that still looks like text goes to chardetng's guess.

use std::path::Path;

use anyhow::{Result, bail};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// How much of a file the detectors look at: enough to decide, cheap on big files.
const SAMPLE: usize = 64 * 1024;

/// Decodes a file's bytes, detecting the encoding.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    decode_declared(path, bytes, None)
}

/// Decodes a file's bytes. A byte-order mark wins; then the encoding the document declares
/// (an HTML `<meta charset>`), if its bytes decode cleanly in it; then detection.
pub fn decode_declared(
    path: &Path,
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<String> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    // Before the UTF-8 check: UTF-16 of ASCII text is valid UTF-8 too.
    if let Some(encoding) = sniff_utf16(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok(text.into_owned());
    }
    if sample.contains(&0) {
        bail!("{}: binary file (NUL bytes), not text", path.display());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    if let Some(encoding) = declared.map(Encoding::output_encoding)
        && let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes)
    {
        return Ok(text.into_owned());
    }
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    let encoding = detect(sample);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let bad = text
        .chars()
        .take(SAMPLE)
        .filter(|&c| {
            c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        })
        .count();
    if bad * 100 > text.chars().take(SAMPLE).count() {
        bail!(
            "{}: cannot decode: not UTF-8, UTF-16, GB18030 or Big5 text",
            path.display()
        );
    }
    Ok(text.into_owned())
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

/// The encoding of non-UTF-8, non-UTF-16 text.
fn detect(sample: &[u8]) -> &'static Encoding {
    // A UTF-8 file with a few broken bytes (a truncated last character, one stray byte)
    // is still UTF-8: legacy CJK bytes read as UTF-8 fail on nearly every character.
    let (utf8, _) = UTF_8.decode_without_bom_handling(sample);
    let (mut good, mut broken) = (0usize, 0usize);
    for c in utf8.chars() {
        match c {
            '\u{FFFD}' => broken += 1,
            c if !c.is_ascii() => good += 1,
            _ => {}
        }
    }
    if good >= 10 * broken.max(1) {
        return UTF_8;
    }

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
        decode(Path::new("x.txt"), bytes).unwrap()
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
            decode_declared(p, &gb, Encoding::for_label(b"gb2312")).unwrap(),
            TRADITIONAL
        );
        // A wrong declaration (Big5 bytes declared UTF-8) falls back to detection.
        let (kept, big5) = encodable(TRADITIONAL, BIG5);
        assert_eq!(decode_declared(p, &big5, Some(UTF_8)).unwrap(), kept);
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
    fn binary_is_an_error_naming_the_file() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let err = decode(Path::new("dir/bin.txt"), &bytes)
            .unwrap_err()
            .to_string();
        assert!(err.contains("dir/bin.txt"), "{err}");
        assert!(decode(Path::new("z.txt"), &[0; 64]).is_err());
    }
}

//! Text analysis shared by indexing and querying: character normalisation, word
//! segmentation and the tokenizers registered on every index.
//!
//! - `jieba`: jieba's search-mode words for short fields (headings, titles, key phrases).
//!   Passage texts are ranked from their bigrams, not their words (see `index::schema`); the
//!   indexing workers tag them with [`segment`] for their key phrases.
//! - `cjk_gram`: overlapping CJK bigrams plus whole Latin/digit words, with positions; a
//!   phrase of bigrams finds any substring of two or more CJK characters, whatever jieba's
//!   word boundaries are (see "How it works" in the README).
//! - `cjk_run_end`: the last character of each run of two or more CJK characters. A lone
//!   character stands in a text as the first of a bigram, alone, or at the end of a run: the
//!   first two are the `cjk_gram` terms it begins (one range of the dictionary), the third
//!   this, so no search walks the whole dictionary for the bigrams a character ends.
//!
//! Both analyse the normalised text but report byte offsets into the original text.

pub mod numerals;
mod t2s;

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::Index;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name of the jieba word tokenizer in the index's tokenizer manager.
pub const JIEBA: &str = "jieba";
/// Name of the CJK bigram tokenizer in the index's tokenizer manager.
pub const CJK_GRAM: &str = "cjk_gram";
/// Name of the tokenizer of the characters ending runs of CJK characters.
pub const CJK_RUN_END: &str = "cjk_run_end";

/// The full jieba dictionary, built once per process and only when something segments text.
pub static JIEBA_DICT: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Registers the three tokenizers (bigrams, run ends, jieba words); must run on every index
/// open (searching and snippets need them).
pub fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(JIEBA, JiebaTokenizer);
    manager.register(CJK_GRAM, GramTokenizer);
    manager.register(CJK_RUN_END, RunEndTokenizer);
}

/// Folds one character to its search form: full-width ASCII to half-width, the ideographic
/// space to a space, letters to lower case, traditional Chinese to simplified, brackets to
/// 〔〕.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    // Brackets are typed every way around a document number (国发〔2019〕5号, 国发[2019]5号,
    // 国发（2019）5号): one form, so that a query matches the text whichever it uses.
    match c {
        '[' | '(' | '【' | '〖' => return '〔',
        ']' | ')' | '】' | '〗' => return '〕',
        _ => {}
    }
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if is_cjk(c) {
        return t2s::simplify(c);
    }
    // Skip the slow Unicode case tables for the many characters without case.
    if !c.is_uppercase() {
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Text in search form, with a way back to byte offsets in the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The folded text.
    pub text: String,
    /// For each byte offset of `text` that starts a character (and its end), the byte offset
    /// in the original; `None` when folding kept every character's length, so offsets agree.
    origin: Option<Vec<usize>>,
}

impl Normalized {
    /// Byte offset in the original text of the character at `offset` in the folded text.
    pub fn original_offset(&self, offset: usize) -> usize {
        match &self.origin {
            None => offset,
            Some(map) => map[offset.min(map.len() - 1)],
        }
    }
}

/// Folds every character of `text` (see [`fold_char`]).
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut same_lengths = true;
    for c in text.chars() {
        let f = fold_char(c);
        same_lengths &= f.len_utf8() == c.len_utf8();
        out.push(f);
    }
    if same_lengths {
        return Normalized {
            text: out,
            origin: None,
        };
    }
    let mut map = vec![0; out.len() + 1];
    let mut folded_at = 0;
    for (original_at, c) in text.char_indices() {
        let len = fold_char(c).len_utf8();
        for slot in &mut map[folded_at..folded_at + len] {
            *slot = original_at;
        }
        folded_at += len;
    }
    map[out.len()] = text.len();
    Normalized {
        text: out,
        origin: Some(map),
    }
}

/// Characters that form bigrams: Han ideographs (with 〇), kana and hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{3FFFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{AC00}'..='\u{D7AF}')
}

/// Whether a token is worth indexing: it holds a letter or digit (not punctuation or space).
fn is_word(text: &str) -> bool {
    // CJK first: it is most tokens, and skips the slow Unicode tables.
    text.chars().any(|c| is_cjk(c) || c.is_alphanumeric())
}

/// Word segmentation with jieba's search mode over normalised text.
#[derive(Clone, Copy, Default)]
pub struct JiebaTokenizer;

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = SpanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        SpanTokenStream::new(cached(&JIEBA_CACHE, text, jieba_spans))
    }
}

/// Search-mode jieba tokens of `text`, offsets into `text`.
#[cfg(test)]
fn jieba_tokens(text: &str) -> Vec<Token> {
    jieba_spans(text).tokens()
}

fn jieba_spans(text: &str) -> Analysed {
    let norm = normalize(text);
    let spans = JIEBA_DICT
        .cut_for_search(&norm.text, true)
        .into_iter()
        .filter(|t| is_word(t.word))
        .enumerate()
        .map(|(position, t)| Span::new(&norm, t.byte_start, t.byte_end, position))
        .collect();
    Analysed {
        text: norm.text,
        spans,
    }
}

/// A text tagged by one jieba pass over its normalised form.
pub struct Segmented {
    /// The normalised text.
    pub normalized: String,
    /// The words of the segmentation whose part-of-speech tag `keep` accepted, in order.
    pub kept: Vec<KeptWord>,
}

/// Where a kept word lies, as byte ranges in the normalised and in the original text.
pub struct KeptWord {
    pub normalized: Range<usize>,
    pub original: Range<usize>,
}

/// Tags `text` once and keeps the words `keep(word, tag)` accepts (key phrase candidates).
pub fn segment(text: &str, keep: impl Fn(&str, &str) -> bool) -> Segmented {
    let norm = normalize(text);
    let kept = JIEBA_DICT
        .tag(&norm.text, true)
        .into_iter()
        .filter(|tagged| keep(tagged.word, tagged.tag))
        .map(|tagged| KeptWord {
            normalized: tagged.byte_start..tagged.byte_end,
            original: norm.original_offset(tagged.byte_start)
                ..norm.original_offset(tagged.byte_end),
        })
        .collect();
    Segmented {
        normalized: norm.text,
        kept,
    }
}

/// CJK bigrams and whole Latin/digit words; see the module documentation.
#[derive(Clone, Copy, Default)]
pub struct GramTokenizer;

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = SpanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        SpanTokenStream::new(cached(&GRAM_CACHE, text, gram_spans))
    }
}

/// The characters ending runs of two or more CJK characters; see the module documentation.
#[derive(Clone, Copy, Default)]
pub struct RunEndTokenizer;

impl Tokenizer for RunEndTokenizer {
    type TokenStream<'a> = SpanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        SpanTokenStream::new(cached(&RUN_END_CACHE, text, run_end_spans))
    }
}

/// The tokens of one text: its normalised form and where each token lies in it and in the
/// original. Token texts are slices of `text`, so analysing allocates per text, not per token.
struct Analysed {
    text: String,
    spans: Vec<Span>,
}

struct Span {
    /// Byte range in the normalised text.
    start: u32,
    end: u32,
    /// Byte range in the original text.
    offset_from: usize,
    offset_to: usize,
    position: usize,
}

impl Span {
    fn new(norm: &Normalized, start: usize, end: usize, position: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
            offset_from: norm.original_offset(start),
            offset_to: norm.original_offset(end),
            position,
        }
    }
}

#[cfg(test)]
impl Analysed {
    fn tokens(self) -> Vec<Token> {
        let mut stream = SpanTokenStream::new(Rc::new(self));
        std::iter::from_fn(|| stream.next().cloned()).collect()
    }
}

/// Recently analysed short texts (headings, key phrases) with their tokens, per thread:
/// consecutive passages often repeat them (every article of a chapter has its heading), and
/// re-analysing them was a good part of indexing.
type TokenCache = RefCell<Vec<(String, Rc<Analysed>)>>;
/// Texts longer than this (passage bodies) are rarely repeated and not cached.
const CACHED_MAX_BYTES: usize = 256;
const CACHED_TEXTS: usize = 16;

thread_local! {
    static JIEBA_CACHE: TokenCache = const { RefCell::new(Vec::new()) };
    static GRAM_CACHE: TokenCache = const { RefCell::new(Vec::new()) };
    static RUN_END_CACHE: TokenCache = const { RefCell::new(Vec::new()) };
}

fn cached(
    cache: &'static std::thread::LocalKey<TokenCache>,
    text: &str,
    analyse: fn(&str) -> Analysed,
) -> Rc<Analysed> {
    if text.len() > CACHED_MAX_BYTES {
        return Rc::new(analyse(text));
    }
    cache.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(i) = cache.iter().position(|(t, _)| t == text) {
            // Most recently used last, so the oldest goes first.
            let entry = cache.remove(i);
            let tokens = Rc::clone(&entry.1);
            cache.push(entry);
            return tokens;
        }
        let tokens = Rc::new(analyse(text));
        if cache.len() == CACHED_TEXTS {
            cache.remove(0);
        }
        cache.push((text.to_string(), Rc::clone(&tokens)));
        tokens
    })
}

/// `cjk_gram` tokens of `text`, offsets into `text`.
#[cfg(test)]
fn gram_stream_tokens(text: &str) -> Vec<Token> {
    gram_spans(text).tokens()
}

fn gram_spans(text: &str) -> Analysed {
    let norm = normalize(text);
    let mut spans = Vec::with_capacity(norm.text.len() / 3 + 1);
    for_each_gram(&norm.text, |start, end, position, _| {
        spans.push(Span::new(&norm, start, end, position));
    });
    Analysed {
        text: norm.text,
        spans,
    }
}

/// Read from the text as written: folding keeps a character CJK or not (a test holds it), so
/// only the run ends themselves are folded, and a passage is not normalised once more.
fn run_end_spans(text: &str) -> Analysed {
    let mut ends = String::new();
    let mut spans = Vec::new();
    for_each_run_end(text, |start, end| {
        let from = ends.len();
        ends.extend(text[start..end].chars().map(fold_char));
        spans.push(Span {
            start: from as u32,
            end: ends.len() as u32,
            offset_from: start,
            offset_to: end,
            position: spans.len(),
        });
    });
    Analysed { text: ends, spans }
}

/// Calls `emit(start, end)` for the last character of each run of two or more CJK
/// characters of normalised text.
fn for_each_run_end(text: &str, mut emit: impl FnMut(usize, usize)) {
    let mut run = 0;
    let mut last = 0..0;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if is_cjk(c) {
            run += 1;
            last = i..i + c.len_utf8();
            continue;
        }
        if run >= 2 {
            emit(last.start, last.end);
        }
        run = 0;
    }
}

/// One token of the `cjk_gram` analysis of normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gram {
    /// The bigram, lone CJK character or Latin/digit word.
    pub text: String,
    /// Byte range in the normalised text.
    pub start: usize,
    pub end: usize,
    /// Consecutive grams of one unbroken run have consecutive positions; anything else
    /// (punctuation, spaces) between two runs leaves a gap of one, so phrases never match
    /// across it.
    pub position: usize,
    /// What the gram is made of.
    pub kind: GramKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GramKind {
    /// Two adjacent CJK characters.
    Bigram,
    /// A CJK character with no CJK neighbour in its run.
    Unigram,
    /// A run of letters or digits other than CJK.
    Word,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Cjk,
    Word,
    Other,
}

fn class(c: char) -> CharClass {
    if is_cjk(c) {
        CharClass::Cjk
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Other
    }
}

/// The `cjk_gram` tokens of already normalised text.
pub fn gram_tokens(text: &str) -> Vec<Gram> {
    let mut grams = Vec::with_capacity(text.len() / 3 + 1);
    for_each_gram(text, |start, end, position, kind| {
        grams.push(Gram {
            text: text[start..end].to_string(),
            start,
            end,
            position,
            kind,
        });
    });
    grams
}

/// What stands for a skipped position in [`gram_line`]: a run of punctuation or spaces,
/// across which no phrase matches. Never a token itself (tokens hold letters or digits).
pub const GRAM_GAP: &str = "|";

/// The `cjk_gram` tokens of normalised text as one line, separated by spaces, with
/// [`GRAM_GAP`] where the positions skip one: split on whitespace by another engine, its
/// tokens stand at the positions the index gives them.
pub fn gram_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len() * 2);
    let mut next = 0;
    for_each_gram(text, |start, end, position, _| {
        for _ in next..position {
            line.push_str(GRAM_GAP);
            line.push(' ');
        }
        line.push_str(&text[start..end]);
        line.push(' ');
        next = position + 1;
    });
    line.pop();
    line
}

/// The `jieba` tokens of a text (its normalised search-mode words), separated by spaces.
pub fn word_line(text: &str) -> String {
    let analysed = jieba_spans(text);
    let words: Vec<&str> = analysed
        .spans
        .iter()
        .map(|s| &analysed.text[s.start as usize..s.end as usize])
        .collect();
    words.join(" ")
}

/// Calls `emit(start, end, position, kind)` for each `cjk_gram` token of normalised text.
fn for_each_gram(text: &str, mut emit: impl FnMut(usize, usize, usize, GramKind)) {
    let mut position = 0;
    let mut emitted = false;
    let mut chars = text.char_indices().peekable();
    let mut after_gap = false;
    while let Some(&(start, c)) = chars.peek() {
        let kind = class(c);
        let mut end = start;
        let mut run_len = 0;
        let mut previous = start;
        while let Some(&(i, d)) = chars.peek() {
            if class(d) != kind {
                break;
            }
            if kind == CharClass::Cjk && run_len > 0 {
                emit(previous, i + d.len_utf8(), position, GramKind::Bigram);
                emitted = true;
                position += 1;
            }
            previous = i;
            end = i + d.len_utf8();
            run_len += 1;
            chars.next();
        }
        match kind {
            CharClass::Other => {
                if emitted && !after_gap {
                    position += 1;
                    after_gap = true;
                }
                continue;
            }
            CharClass::Word => {
                emit(start, end, position, GramKind::Word);
                position += 1;
            }
            CharClass::Cjk if run_len == 1 => {
                emit(start, end, position, GramKind::Unigram);
                position += 1;
            }
            CharClass::Cjk => {}
        }
        emitted = true;
        after_gap = false;
    }
}

/// A token stream over spans computed up front, filling one token in place.
pub struct SpanTokenStream {
    analysed: Rc<Analysed>,
    next: usize,
    token: Token,
}

impl SpanTokenStream {
    fn new(analysed: Rc<Analysed>) -> Self {
        SpanTokenStream {
            analysed,
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for SpanTokenStream {
    fn advance(&mut self) -> bool {
        let Some(span) = self.analysed.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        let t = &mut self.token;
        t.text.clear();
        t.text
            .push_str(&self.analysed.text[span.start as usize..span.end as usize]);
        t.offset_from = span.offset_from;
        t.offset_to = span.offset_to;
        t.position = span.position;
        t.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(grams: &[Gram]) -> Vec<(&str, usize)> {
        grams
            .iter()
            .map(|g| (g.text.as_str(), g.position))
            .collect()
    }

    #[test]
    fn run_ends_are_the_last_of_two_or_more() {
        let ends: Vec<String> = run_end_spans("世界貿易，稅 G20峰會。個人")
            .tokens()
            .into_iter()
            .map(|t| t.text)
            .collect();
        // Folded as the bigrams are; the lone 税 is a bigram term already.
        assert_eq!(ends, ["易", "会", "人"]);
    }

    #[test]
    fn folding_keeps_characters_cjk_or_not() {
        let all = (0..=0x3FFFF).filter_map(char::from_u32);
        for c in all {
            assert_eq!(is_cjk(fold_char(c)), is_cjk(c), "{c:?}");
        }
    }

    /// Every character of a text is the start of one of its bigrams, a lone character, or
    /// the end of a run: what a lone-character query relies on.
    #[test]
    fn each_character_begins_a_gram_or_ends_a_run() {
        let text = normalize("关于，数据安全法 第A条 税。国务院令第707号的").text;
        let grams = gram_tokens(&text);
        let mut ends = Vec::new();
        for_each_run_end(&text, |s, e| ends.push(&text[s..e]));
        for c in text.chars().filter(|&c| is_cjk(c)) {
            let c = c.to_string();
            let found = grams
                .iter()
                .any(|g| g.kind != GramKind::Word && g.text.starts_with(&c))
                || ends.contains(&c.as_str());
            assert!(found, "{c}");
        }
    }

    #[test]
    fn brackets_fold_to_one_form() {
        for typed in [
            "国发[2019]5号",
            "国发（2019）5号",
            "国发(2019)5号",
            "国发【2019】5号",
            "国发［2019］5号",
        ] {
            assert_eq!(normalize(typed).text, "国发〔2019〕5号", "{typed}");
        }
        let n = normalize("(一)");
        assert_eq!(n.original_offset("〔一".len()), "(一".len());
    }

    #[test]
    fn folds_full_width_and_case() {
        let n = normalize("ＷＴＯ规则Ab");
        assert_eq!(n.text, "wto规则ab");
        // "规" starts at byte 3 folded, byte 9 original.
        assert_eq!(n.original_offset(3), 9);
        assert_eq!(n.original_offset(n.text.len()), "ＷＴＯ规则Ab".len());
    }

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(normalize("經濟").text, normalize("经济").text);
        assert_eq!(normalize("經濟").text, "经济");
    }

    #[test]
    fn keeps_offsets_when_lengths_agree() {
        let n = normalize("世界贸易组织WTO");
        assert_eq!(n.text, "世界贸易组织wto");
        assert_eq!(n.original_offset(18), 18);
    }

    #[test]
    fn bigrams_words_and_gaps() {
        let grams = gram_tokens(&normalize("世界贸易，G20峰会 税").text);
        assert_eq!(
            texts(&grams),
            vec![
                ("世界", 0),
                ("界贸", 1),
                ("贸易", 2),
                ("g20", 4),
                ("峰会", 5),
                ("税", 7),
            ]
        );
        assert_eq!(grams[5].kind, GramKind::Unigram);
        // The full-width comma folds to one byte, so 峰会 starts at byte 16 of the folded text.
        assert_eq!((grams[4].start, grams[4].end), (16, 22));
    }

    #[test]
    fn cached_tokens_equal_fresh_ones() {
        let texts: Vec<String> = (0..40).map(|i| format!("国务院关于第{i}号通知")).collect();
        for round in 0..2 {
            for t in &texts {
                let mut jieba = JiebaTokenizer;
                let mut grams = GramTokenizer;
                let (mut a, mut b) = (jieba.token_stream(t), grams.token_stream(t));
                let words: Vec<String> =
                    std::iter::from_fn(|| a.next().map(|t| t.text.clone())).collect();
                let bigrams: Vec<usize> =
                    std::iter::from_fn(|| b.next().map(|t| t.offset_to)).collect();
                assert_eq!(
                    words,
                    jieba_tokens(t)
                        .into_iter()
                        .map(|t| t.text)
                        .collect::<Vec<_>>(),
                    "round {round}"
                );
                assert_eq!(
                    bigrams,
                    gram_stream_tokens(t)
                        .into_iter()
                        .map(|t| t.offset_to)
                        .collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn word_line_is_the_jieba_tokens() {
        let text = "　　积极参与世界贸易组织改革，推动ＷＴＯ争端解决机制正常运转。";
        let tokens: Vec<String> = jieba_tokens(text).into_iter().map(|t| t.text).collect();
        assert_eq!(word_line(text), tokens.join(" "));
        let line = word_line(text);
        assert!(line.split(' ').any(|w| w == "wto"), "{line}");
        assert!(line.split(' ').any(|w| w == "世界贸易组织"), "{line}");
    }

    #[test]
    fn kept_words_point_into_both_texts() {
        let text = "　　积极参与ＷＴＯ改革";
        let segmented = segment(text, |_, tag| tag != "v");
        let kept: Vec<(&str, &str)> = segmented
            .kept
            .iter()
            .map(|k| {
                (
                    &segmented.normalized[k.normalized.clone()],
                    &text[k.original.clone()],
                )
            })
            .collect();
        assert!(kept.contains(&("wto", "ＷＴＯ")), "{kept:?}");
        assert!(kept.contains(&("改革", "改革")), "{kept:?}");
        assert!(!kept.iter().any(|k| k.0 == "参与"), "{kept:?}");
    }

    #[test]
    fn jieba_tokens_point_into_original_text() {
        let text = "　　积极参与世界贸易组织改革";
        let tokens = jieba_tokens(text);
        assert!(tokens.iter().any(|t| t.text == "世界贸易组织"));
        for t in &tokens {
            let original = normalize(&text[t.offset_from..t.offset_to]).text;
            assert_eq!(original, t.text);
        }
        assert!(tokens.iter().all(|t| is_word(&t.text)));
    }
}

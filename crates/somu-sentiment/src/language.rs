//! Is this text English? VADER's lexicon is English; scoring a French or
//! Dutch post with it would produce confident nonsense, so such posts are
//! marked and left unscored. Short social-media texts are hard to classify,
//! so the rule leans towards English: only a confident call for another
//! language stops scoring.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use whatlang::Script;

use crate::{markers, pystr};

/// A language as an ISO 639-1 code ("en", "fr", "nl"), ISO 639-3 where a
/// language has no two-letter code, or "und" when undetermined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Language(&'static str);

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

impl Language {
    /// English.
    pub const ENGLISH: Language = Language("en");
    /// Undetermined: too short or unclear to tell (ISO 639-2 "und").
    pub const UNDETERMINED: Language = Language("und");

    /// The language code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// English or undetermined: text that Somu scores.
    pub fn may_be_english(self) -> bool {
        self == Self::ENGLISH || self == Self::UNDETERMINED
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl From<Language> for &'static str {
    fn from(language: Language) -> Self {
        language.0
    }
}

/// A language code that this crate does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language code {0:?}")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        if code == Self::UNDETERMINED.0 {
            return Ok(Self::UNDETERMINED);
        }
        whatlang::Lang::all()
            .iter()
            .map(|&lang| iso639_1(lang))
            .find(|&known| known == code)
            .map(Language)
            .ok_or_else(|| UnknownLanguage(code.to_owned()))
    }
}

impl TryFrom<String> for Language {
    type Error = UnknownLanguage;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        code.parse()
    }
}

/// Fewer letters than this (after links, mentions and hashtags are dropped)
/// is too little text to call a language.
const MIN_LETTERS: usize = 12;
/// Fewer words than this is too little text to call a language.
const MIN_WORDS: usize = 3;
/// whatlang's confidence (0..=1) needed to call a Latin-script text
/// non-English on its own. Chosen on the 4,200 VADER tweets (see the
/// conformance test) and on the French and Dutch posts in `tests/language.rs`.
const MIN_CONFIDENCE: f64 = 0.5;

/// Word counts gathered from a text before deciding its language.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Counts {
    words: usize,
    letters: usize,
    non_ascii_letters: usize,
    english: usize,
    other: [usize; markers::OTHER.len()],
}

impl Counts {
    /// Adds a word's function-word bits ([`markers::lookup`]).
    fn add_function_word(&mut self, capital_i: bool, bits: u8) {
        // A lone capital "I" is English; lowercase "i" is also Italian and Polish.
        if capital_i || bits & 1 != 0 {
            self.english += 1;
        }
        for (index, hits) in self.other.iter_mut().enumerate() {
            *hits += usize::from(bits & (1 << (index + 1)) != 0);
        }
    }

    /// Function words of another language, when they are at least two and a
    /// quarter of all words and there is no English function word at all.
    fn other_language(&self) -> Option<&'static str> {
        if self.english > 0 {
            return None;
        }
        let (best, hits) = self
            .other
            .iter()
            .enumerate()
            .max_by_key(|&(index, hits)| (*hits, std::cmp::Reverse(index)))?;
        (*hits >= 2 && hits * 4 >= self.words).then(|| markers::OTHER[best].0)
    }
}

/// The words of a post that can tell its language: links, @mentions and
/// #hashtags are left out, and non-alphanumeric characters (other than the
/// apostrophe) are trimmed from both ends. Words may be left without
/// letters (numbers, emoji); callers skip those.
fn words(text: &str) -> impl Iterator<Item = &str> {
    pystr::split_whitespace(text)
        .filter(|raw| !is_link_or_handle(raw))
        .map(|raw| {
            if raw.is_ascii() {
                let b = raw.as_bytes();
                let keep = |c: &u8| c.is_ascii_alphanumeric() || *c == b'\'';
                let start = b.iter().position(keep).unwrap_or(b.len());
                let end = b.iter().rposition(keep).map_or(start, |i| i + 1);
                raw.get(start..end).unwrap_or_default()
            } else {
                raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
            }
        })
}

/// Letters in a word, and how many of them are not ASCII.
fn letters(word: &str) -> (usize, usize) {
    if word.is_ascii() {
        (word.bytes().filter(u8::is_ascii_alphabetic).count(), 0)
    } else {
        word.chars()
            .filter(|c| c.is_alphabetic())
            .fold((0, 0), |(all, non_ascii), c| {
                (all + 1, non_ascii + usize::from(!c.is_ascii()))
            })
    }
}

/// Detects the language of a social-media text.
///
/// Links, @mentions, #hashtags, numbers and emoji are ignored. Then, in order:
/// - fewer than 3 words or 12 letters left: [`Language::UNDETERMINED`];
/// - at least a fifth of the words are common English function words:
///   [`Language::ENGLISH`];
/// - only ASCII letters, and some English function word, or fewer than two
///   function words, or fewer than a fifth of the words, from any one of
///   French, Dutch, German, Spanish, Italian or Portuguese: undetermined
///   (nothing clearly points away from English; this also spares nearly
///   every English post the statistical detector, which costs about 100 µs
///   a text);
/// - whatlang says English: English;
/// - a non-Latin script (Cyrillic, Arabic, CJK…): whatlang's language;
/// - whatlang reliable and at least 50% confident: its language;
/// - no English function word, and at least two words and a quarter of all
///   words are function words of one of those six languages: that language
///   (short posts defeat whatlang's statistics);
/// - otherwise undetermined, so the text is scored.
pub fn detect_language(text: &str) -> Language {
    let mut counts = Counts::default();
    if text.is_ascii() {
        count_ascii(text.as_bytes(), &mut counts);
    } else {
        count(text, &mut counts);
    }
    decide(text, &counts)
}

/// Counts words, letters and function words of a text that is not ASCII.
fn count(text: &str, counts: &mut Counts) {
    for word in words(text) {
        let (letters, non_ascii) = letters(word);
        if letters == 0 {
            continue;
        }
        counts.words += 1;
        // Only "at least MIN_LETTERS" matters; the ASCII path stops counting
        // there, and so does this one so that both give the same counts.
        if counts.letters < MIN_LETTERS {
            counts.letters += letters;
        }
        counts.non_ascii_letters += non_ascii;
        let bits = markers::lookup(word);
        counts.add_function_word(word == "I", bits);
    }
}

/// The same counts as [`count`] in a single pass over the bytes of an ASCII
/// text, which is what nearly every post is: detection runs on every post,
/// so it must cost little beside scoring.
fn count_ascii(text: &[u8], counts: &mut Counts) {
    for raw in text
        .split(|&b| pystr::is_ascii_space(b))
        .filter(|raw| !raw.is_empty())
    {
        count_ascii_token(raw, counts, markers::lookup_ascii);
    }
}

/// Adds one whitespace-separated ASCII token to the counts. `bits_of` gives
/// the function-word bits of the trimmed word ([`markers::lookup_ascii`], or
/// a look-up the caller has already made).
pub(crate) fn count_ascii_token(
    raw: &[u8],
    counts: &mut Counts,
    bits_of: impl FnOnce(&[u8]) -> u8,
) {
    let keep = |b: &u8| b.is_ascii_alphanumeric() || *b == b'\'';
    // Each scan stops early on ordinary words; only the colon search and,
    // until the text has enough letters to judge, the letter count read
    // the whole token.
    let Some(first) = raw.iter().position(keep) else {
        return;
    };
    let last = raw.iter().rposition(keep).unwrap_or(first);
    if !raw.iter().any(u8::is_ascii_alphabetic)
        || matches!(raw.first(), Some(b'@' | b'#'))
        || raw.starts_with(b"www.")
        || raw == b"RT"
        || (raw.contains(&b':') && raw.windows(3).any(|w| w == b"://"))
    {
        return;
    }
    // Trimming removes no letter, so the letters of `raw` are the word's.
    let word = raw.get(first..=last).unwrap_or_default();
    counts.words += 1;
    if counts.letters < MIN_LETTERS {
        counts.letters += raw.iter().filter(|b| b.is_ascii_alphabetic()).count();
    }
    counts.add_function_word(word == b"I", bits_of(word));
}

/// Decides from the counts (see [`detect_language`]).
pub(crate) fn decide(text: &str, counts: &Counts) -> Language {
    if counts.words < MIN_WORDS || counts.letters < MIN_LETTERS {
        return Language::UNDETERMINED;
    }
    if counts.english * 5 >= counts.words {
        return Language::ENGLISH;
    }
    let most_other = counts.other.iter().copied().max().unwrap_or(0);
    if counts.non_ascii_letters == 0
        && (counts.english > 0 || most_other < 2 || most_other * 5 < counts.words)
    {
        return Language::UNDETERMINED;
    }
    let mut cleaned = String::with_capacity(text.len());
    for word in words(text).filter(|word| letters(word).0 > 0) {
        cleaned.push_str(word);
        cleaned.push(' ');
    }
    let Some(info) = whatlang::detect(&cleaned) else {
        return Language::UNDETERMINED;
    };
    if info.lang() == whatlang::Lang::Eng {
        return Language::ENGLISH;
    }
    let latin = info.script() == Script::Latin;
    if !latin || (info.is_reliable() && info.confidence() >= MIN_CONFIDENCE) {
        return Language(iso639_1(info.lang()));
    }
    counts
        .other_language()
        .map_or(Language::UNDETERMINED, Language)
}

/// URLs, @mentions, #hashtags and retweet markers say nothing about the
/// language of the text around them.
fn is_link_or_handle(raw: &str) -> bool {
    raw.starts_with('@')
        || raw.starts_with('#')
        || raw.starts_with("www.")
        || raw == "RT"
        || (raw.contains(':') && raw.contains("://"))
}

/// ISO 639-1 code of a whatlang language (ISO 639-3 where there is none).
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_fast_path_counts_like_the_general_path() {
        let corpus = include_str!("../tests/data/varied.txt");
        let extra = [
            "Merci @somu pour le certificat, je suis fier de l'avoir obtenu ! #formation",
            "RT @ana: see https://t.co/x and www.example.org -- 12 34 :) it's GREAT",
            "  I  i I'm  ''quoted''  ...  http:/not-a-link a:b ",
        ];
        let mut checked = 0;
        for text in corpus.lines().chain(extra).filter(|t| t.is_ascii()) {
            let (mut fast, mut general) = (Counts::default(), Counts::default());
            count_ascii(text.as_bytes(), &mut fast);
            count(text, &mut general);
            assert_eq!(fast, general, "{text:?}");
            checked += 1;
        }
        assert!(checked > 1000);
    }

    proptest::proptest! {
        #[test]
        fn ascii_counting_agrees_on_any_ascii(text in "([\\x00-\\x7f]|de |la |the |I |l'a|://){0,40}") {
            let (mut fast, mut general) = (Counts::default(), Counts::default());
            count_ascii(text.as_bytes(), &mut fast);
            count(&text, &mut general);
            proptest::prop_assert_eq!(fast, general);
        }
    }

    #[test]
    fn counts_skip_links_handles_and_numbers() {
        let mut counts = Counts::default();
        count_ascii(b"RT @bob: the #best http://t.co/x 2024 day!", &mut counts);
        // Words: "the", "day"; English function words: both.
        assert_eq!((counts.words, counts.letters, counts.english), (2, 6, 2));
    }
}

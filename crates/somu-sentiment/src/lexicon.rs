//! The word and emoji lexicons, parsed once.

use rustc_hash::FxHashMap;

use crate::{markers, pystr, rules};

/// The VADER word lexicon (7,500 words, emoticons and slang with a mean human
/// valence rating in −4..+4), shipped unchanged from vaderSentiment 3.3.2.
pub const VADER_LEXICON: &str = include_str!("../data/vader_lexicon.txt");

/// The VADER emoji lexicon (emoji → English description), shipped unchanged
/// from vaderSentiment 3.3.2.
pub const EMOJI_LEXICON: &str = include_str!("../data/emoji_utf8_lexicon.txt");

/// A malformed lexicon line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LexiconError {
    /// A line has no tab-separated second field.
    #[error("{lexicon} lexicon, line {line}: expected `entry<TAB>value`")]
    MissingField {
        /// Which lexicon: "word" or "emoji".
        lexicon: &'static str,
        /// 1-based line number.
        line: usize,
    },
    /// A word lexicon line whose rating is not a number.
    #[error("word lexicon, line {line}: rating {value:?} is not a number")]
    BadRating {
        /// 1-based line number.
        line: usize,
        /// The text found where the rating should be.
        value: String,
    },
}

/// What the scorer needs to know about one lowercased word, found with a
/// single hash look-up. Kept to 16 bytes so that the whole table (about
/// 8,000 words) stays in a core's L2 cache: look-ups dominate scoring time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Entry {
    /// Mean human valence rating; NaN for words outside the word lexicon.
    valence: f64,
    /// 1 + index into [`rules::BOOSTERS`] for degree adverbs, else 0.
    booster: u8,
    /// Languages whose function word this is (`markers::lookup` bits), so
    /// that `Analyzer::analyse` detects the language with the same look-up.
    pub(crate) markers: u8,
    /// 1 + index into [`rules::RULE_WORDS`], else 0.
    rule: u8,
    /// One of [`rules::NEGATIONS`].
    pub(crate) negation: bool,
}

impl Default for Entry {
    fn default() -> Self {
        Self {
            valence: f64::NAN,
            booster: 0,
            markers: 0,
            rule: 0,
            negation: false,
        }
    }
}

impl Entry {
    /// Mean human valence rating, for lexicon words.
    pub(crate) fn valence(&self) -> Option<f64> {
        (!self.valence.is_nan()).then_some(self.valence)
    }

    /// The word itself if the rules look for it ([`rules::RULE_WORDS`]),
    /// else "".
    pub(crate) fn rule_word(&self) -> &'static str {
        usize::from(self.rule)
            .checked_sub(1)
            .and_then(|index| rules::RULE_WORDS.get(index))
            .copied()
            .unwrap_or("")
    }

    /// Booster or dampener increment, for degree adverbs.
    pub(crate) fn booster(&self) -> Option<f64> {
        let index = usize::from(self.booster).checked_sub(1)?;
        rules::BOOSTERS.get(index).map(|(_, increment)| *increment)
    }
}

/// Both lexicons, ready for look-ups.
#[derive(Debug, Clone)]
pub struct Lexicon {
    // Words of up to 15 bytes (nearly all) are keyed by `pystr::pack`, so a
    // look-up compares integers; longer ones by their text.
    short: FxHashMap<u128, Entry>,
    long: FxHashMap<Box<str>, Entry>,
    // The reference looks emoji up one code point at a time, so entries made
    // of several code points (flags, skin tones) can never match and are
    // left out.
    emojis: FxHashMap<char, Box<str>>,
}

impl Lexicon {
    /// Parses a word lexicon (`word<TAB>mean rating[<TAB>…]` per line) and an
    /// emoji lexicon (`emoji<TAB>description` per line) the way the reference
    /// does: lines are split on `\n` and trimmed, later duplicates win.
    pub fn parse(words: &str, emojis: &str) -> Result<Self, LexiconError> {
        let mut word_map: FxHashMap<Box<str>, Entry> = FxHashMap::default();
        for (index, line) in words.trim_end_matches('\n').split('\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let mut fields = pystr::strip(line).split('\t');
            let word = fields.next().unwrap_or_default();
            let value = fields.next().ok_or(LexiconError::MissingField {
                lexicon: "word",
                line: index + 1,
            })?;
            let rating = value
                .parse::<f64>()
                .ok()
                .filter(|rating| rating.is_finite())
                .ok_or_else(|| LexiconError::BadRating {
                    line: index + 1,
                    value: value.to_owned(),
                })?;
            // A word listed twice keeps its last rating, as in the reference.
            word_map.entry(Box::<str>::from(word)).or_default().valence = rating;
        }
        for (index, (word, _)) in rules::BOOSTERS.iter().enumerate() {
            // BOOSTERS has fewer than 255 entries (checked by a unit test).
            let booster = u8::try_from(index + 1).unwrap_or(0);
            word_map.entry(Box::from(*word)).or_default().booster = booster;
        }
        for (word, bit) in markers::all_words() {
            word_map.entry(Box::from(word)).or_default().markers |= bit;
        }
        for (index, word) in rules::RULE_WORDS.iter().enumerate() {
            // RULE_WORDS has fewer than 255 entries (checked by a unit test).
            let rule = u8::try_from(index + 1).unwrap_or(0);
            word_map.entry(Box::from(*word)).or_default().rule = rule;
        }
        for word in rules::NEGATIONS {
            word_map.entry(Box::from(*word)).or_default().negation = true;
        }
        let mut emoji_map = FxHashMap::default();
        for (index, line) in emojis.trim_end_matches('\n').split('\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let mut fields = pystr::strip(line).split('\t');
            let emoji = fields.next().unwrap_or_default();
            let description = fields.next().ok_or(LexiconError::MissingField {
                lexicon: "emoji",
                line: index + 1,
            })?;
            let mut chars = emoji.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                emoji_map.insert(c, Box::from(description));
            }
        }
        Ok(Self {
            short: word_map
                .iter()
                .filter_map(|(word, entry)| Some((pystr::pack(word.as_bytes())?, *entry)))
                .collect(),
            long: word_map
                .into_iter()
                .filter(|(word, _)| pystr::pack(word.as_bytes()).is_none())
                .collect(),
            emojis: emoji_map,
        })
    }

    /// The lexicons shipped with this crate.
    pub fn embedded() -> Self {
        // The embedded files are fixed at compile time and a unit test checks
        // that they parse, so this cannot fail at run time.
        Self::parse(VADER_LEXICON, EMOJI_LEXICON).expect("embedded VADER lexicons are well formed")
    }

    /// Mean human valence rating of a lowercased word, if it is in the lexicon.
    pub fn valence(&self, lower: &str) -> Option<f64> {
        self.entry(lower).valence()
    }

    /// [`Lexicon::entry`] of a word of at most 15 bytes, given its
    /// [`pystr::pack`] key.
    pub(crate) fn entry_packed(&self, key: u128) -> Entry {
        self.short.get(&key).copied().unwrap_or_default()
    }

    /// Valence and booster increment of a lowercased word.
    pub(crate) fn entry(&self, lower: &str) -> Entry {
        match pystr::pack(lower.as_bytes()) {
            Some(key) => self.short.get(&key),
            None => self.long.get(lower),
        }
        .copied()
        .unwrap_or_default()
    }

    /// English description of a single-code-point emoji, if known.
    pub fn emoji(&self, c: char) -> Option<&str> {
        self.emojis.get(&c).map(|d| &**d)
    }

    /// Number of entries in the word lexicon.
    pub fn word_count(&self) -> usize {
        self.short
            .values()
            .chain(self.long.values())
            .filter(|e| e.valence().is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_parse_completely() {
        let lexicon = Lexicon::parse(VADER_LEXICON, EMOJI_LEXICON).expect("parses");
        // Python: len(SentimentIntensityAnalyzer().lexicon) == 7506 (7,519
        // lines, some words listed twice).
        assert_eq!(lexicon.word_count(), 7506);
        assert_eq!(lexicon.valence("good"), Some(1.9));
        assert_eq!(lexicon.valence(":)"), Some(2.0));
        assert_eq!(lexicon.valence("can't stand"), Some(-2.0));
        // 15 bytes: packed key; 16 and more: the map keyed by text.
        assert_eq!(lexicon.valence("heartbreakingly"), Some(-1.8));
        assert_eq!(lexicon.valence("advantageousness"), Some(1.6));
        assert!(lexicon.long.keys().all(|w| w.len() > 15));
        assert!(!lexicon.long.is_empty());
        assert_eq!(lexicon.emoji('😁'), Some("beaming face with smiling eyes"));
        assert_eq!(lexicon.emoji('©'), Some("copyright"));
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number() {
        let err = Lexicon::parse("good\t1.9\nbad\n", "").expect_err("missing rating");
        assert_eq!(
            err,
            LexiconError::MissingField {
                lexicon: "word",
                line: 2
            }
        );
        let err = Lexicon::parse("good\tvery\n", "").expect_err("bad rating");
        assert!(matches!(err, LexiconError::BadRating { line: 1, .. }));
        let err = Lexicon::parse("good\t1.9\nodd\tNaN\n", "").expect_err("NaN rating");
        assert!(matches!(err, LexiconError::BadRating { line: 2, .. }));
    }

    #[test]
    fn entries_are_small_and_boosters_fit_their_index() {
        assert_eq!(std::mem::size_of::<Entry>(), 16);
        assert!(rules::BOOSTERS.len() < 255);
        let lexicon = Lexicon::embedded();
        assert_eq!(lexicon.entry("very").booster(), Some(rules::B_INCR));
        assert_eq!(lexicon.entry("sorta").booster(), Some(rules::B_DECR));
        assert_eq!(lexicon.entry("good").booster(), None);
        assert_eq!(lexicon.entry("the").markers, 1);
        assert_eq!(lexicon.entry("but").rule_word(), "but");
        assert_eq!(lexicon.entry("good").rule_word(), "");
        assert!(lexicon.entry("never").negation);
        assert!(!lexicon.entry("mayn't").negation);
    }
}

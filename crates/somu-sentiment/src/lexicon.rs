//! The word and emoji lexicons, parsed once.

use rustc_hash::FxHashMap;

use crate::{pystr, rules};

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
/// single hash look-up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Entry {
    /// Mean human valence rating, for lexicon words.
    pub(crate) valence: Option<f64>,
    /// Booster or dampener increment, for degree adverbs ([`rules::BOOSTERS`]).
    pub(crate) booster: Option<f64>,
}

/// Both lexicons, ready for look-ups.
#[derive(Debug, Clone)]
pub struct Lexicon {
    words: FxHashMap<Box<str>, Entry>,
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
            let rating: f64 = value.parse().map_err(|_| LexiconError::BadRating {
                line: index + 1,
                value: value.to_owned(),
            })?;
            // A word listed twice keeps its last rating, as in the reference.
            word_map.entry(Box::<str>::from(word)).or_default().valence = Some(rating);
        }
        for (word, increment) in rules::BOOSTERS {
            word_map.entry(Box::from(*word)).or_default().booster = Some(*increment);
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
            words: word_map,
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
        self.entry(lower).valence
    }

    /// Valence and booster increment of a lowercased word.
    pub(crate) fn entry(&self, lower: &str) -> Entry {
        self.words.get(lower).copied().unwrap_or_default()
    }

    /// English description of a single-code-point emoji, if known.
    pub fn emoji(&self, c: char) -> Option<&str> {
        self.emojis.get(&c).map(|d| &**d)
    }

    /// Number of entries in the word lexicon.
    pub fn word_count(&self) -> usize {
        self.words.values().filter(|e| e.valence.is_some()).count()
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
    }
}

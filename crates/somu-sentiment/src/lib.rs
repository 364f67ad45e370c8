//! Sentiment scoring for Somu's social activity: every post, reply and
//! mention gets a compound score in −1..=1.
//!
//! The scorer is a faithful Rust port of the behaviour of VADER as published
//! in the Python package vaderSentiment 3.3.2 (Hutto, C.J. & Gilbert, E.E.
//! (2014). *VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
//! Social Media Text.* ICWSM-14). Its two lexicons ship in `data/` under the
//! MIT licence (`data/LICENSE-VADER.txt`). The conformance test checks the
//! compound against stored outputs of the Python reference.
//!
//! How a text is scored:
//! 1. Emoji are replaced by their English descriptions ("😁" → "beaming face
//!    with smiling eyes").
//! 2. The text is split on whitespace; punctuation is stripped from both ends
//!    of each word unless that leaves two characters or fewer (emoticons).
//! 3. Each lexicon word gets its mean human rating (−4..+4), then: a booster
//!    or dampener up to three words before adds or takes ±0.293 (×0.95 and
//!    ×0.9 at distance two and three); a negation up to three words before
//!    multiplies by −0.74; a word in ALL CAPS among mixed-case words gains
//!    ±0.733; "least" negates unless after "at"/"very"; idioms such as "the
//!    shit" or "kiss of death" replace the valence; "kind of" dampens.
//! 4. Valences before the first "but" are halved and those after it ×1.5.
//! 5. The sum x gets ±0.292 per "!" (up to 4) and ±0.18 per "?" (2–3; 0.96
//!    for 4 or more), then compound = x / sqrt(x² + 15).
//!
//! Text that is confidently not English is not scored: see [`Analyzer::analyse`].
//!
//! ```
//! use somu_sentiment::{Analyzer, Language};
//!
//! let analyzer = Analyzer::shared();
//! // "very" boosts "good" (1.9) by 0.293: x = 2.193, 2.193 / sqrt(2.193² + 15) = 0.4927.
//! assert_eq!(analyzer.polarity_scores("The book was very good.").compound, 0.4927);
//!
//! let post = analyzer.analyse("Thanks @somu_academy, the course was great!");
//! assert!(post.language.may_be_english());
//! assert!(post.scores.is_some_and(|s| s.compound > 0.5));
//!
//! let french = analyzer.analyse("La session d'hier était nulle, je n'ai rien appris du tout.");
//! assert_eq!(french.language.code(), "fr");
//! assert_eq!(french.scores, None);
//! ```

#![forbid(unsafe_code)]

mod language;
mod lexicon;
mod markers;
mod pystr;
pub mod rules;
mod scorer;
pub mod stream;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use language::{detect_language, Language, UnknownLanguage};
pub use lexicon::{Lexicon, LexiconError, EMOJI_LEXICON, VADER_LEXICON};
pub use scorer::{normalize, Scores};

/// A sentiment analyser holding the parsed lexicons. Build it once (or use
/// [`Analyzer::shared`]) and score many texts with it; scoring does no I/O
/// and is safe to call from many threads at once.
#[derive(Debug, Clone)]
pub struct Analyzer {
    lexicon: Lexicon,
}

/// The result of [`Analyzer::analyse`]: the detected language and, when the
/// text may be English, its scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Detected language; [`Language::UNDETERMINED`] when the text is too
    /// short or too unclear to tell.
    pub language: Language,
    /// `None` when the text is confidently not English: VADER's lexicon is
    /// English and would score other languages wrongly.
    pub scores: Option<Scores>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    /// An analyser with the lexicons embedded in this crate.
    pub fn new() -> Self {
        Self::with_lexicon(Lexicon::embedded())
    }

    /// An analyser with other lexicons, e.g. a domain-adapted word list
    /// parsed with [`Lexicon::parse`].
    pub fn with_lexicon(lexicon: Lexicon) -> Self {
        Self { lexicon }
    }

    /// A process-wide analyser with the embedded lexicons, parsed on first use.
    pub fn shared() -> &'static Analyzer {
        static SHARED: OnceLock<Analyzer> = OnceLock::new();
        SHARED.get_or_init(Analyzer::new)
    }

    /// Scores `text` with the VADER rules regardless of its language; the
    /// same numbers as `SentimentIntensityAnalyzer().polarity_scores(text)`
    /// of vaderSentiment 3.3.2.
    pub fn polarity_scores(&self, text: &str) -> Scores {
        scorer::polarity_scores(&self.lexicon, text)
    }

    /// Detects the language of `text` and scores it unless it is confidently
    /// not English. Short texts, emoji-only texts and texts made mostly of
    /// links, @mentions and #hashtags are undetermined and scored.
    ///
    /// The result is the same as [`detect_language`] followed, when that
    /// may be English, by [`Analyzer::polarity_scores`]; for ASCII text both
    /// are done in one pass.
    pub fn analyse(&self, text: &str) -> Analysis {
        let (language, scores) = scorer::analyse(&self.lexicon, text);
        Analysis { language, scores }
    }
}

#[cfg(test)]
mod tests;

//! The VADER rules: from a text to one valence per word, then to scores.
//!
//! The order of floating-point operations follows the reference on purpose:
//! the "but" rule compares valences for exact equality, so a result that
//! differs in the last bit could change which words it rescales.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::language::{self, Counts, Language};
use crate::lexicon::{Entry, Lexicon};
use crate::rules::{self, ALPHA, C_INCR, EXCLAMATION_INCR, N_SCALAR, QUESTION_INCR, QUESTION_MAX};
use crate::{markers, pystr};

/// Sentiment scores of one text, rounded as the reference rounds them.
///
/// `pos`, `neu` and `neg` are the shares of the text's sentiment mass that
/// are positive, neutral and negative (they sum to about 1), rounded to 3
/// decimals. `compound` is the normalised sum of all word valences,
/// `x / sqrt(x² + 15)`, in −1..=1, rounded to 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Scores {
    /// Normalised overall sentiment in −1..=1 (4 decimals).
    pub compound: f64,
    /// Share of positive sentiment (3 decimals).
    pub pos: f64,
    /// Share of neutral words (3 decimals).
    pub neu: f64,
    /// Share of negative sentiment (3 decimals).
    pub neg: f64,
}

/// Maps a raw valence sum into −1..=1: `x / sqrt(x² + 15)`.
///
/// Fifteen approximates the largest sum expected in practice, so a single
/// strongly positive word (valence 3) gives 3 / sqrt(24) ≈ 0.612.
pub fn normalize(sum: f64) -> f64 {
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// One word of the text, with everything the rules ask about it computed once.
struct Token<'t> {
    /// The word as written (punctuation stripped by the reference's rule).
    word: &'t str,
    /// The word if the rules look for it ([`rules::RULE_WORDS`]), else "".
    rule: &'static str,
    /// One of [`rules::NEGATIONS`] (words with "n't" are found on demand).
    listed_negation: bool,
    is_upper: bool,
    valence: Option<f64>,
    booster: Option<f64>,
}

impl<'t> Token<'t> {
    fn new(word: &'t str, is_upper: bool, entry: Entry) -> Self {
        Token {
            word,
            rule: entry.rule_word(),
            listed_negation: entry.negation,
            is_upper,
            valence: entry.valence(),
            booster: entry.booster(),
        }
    }

    /// Whether this word negates the sentiment word after it.
    fn is_negation(&self) -> bool {
        self.listed_negation || rules::contains_nt(self.word)
    }
}

/// Replaces each known emoji by its description, with a space before it
/// unless one is already there (the reference does not add one after it).
fn describe_emoji<'t>(lexicon: &Lexicon, text: &'t str) -> Cow<'t, str> {
    // Every emoji in the lexicon is outside ASCII ('©' is the lowest).
    if text.is_ascii() || !text.chars().any(|c| lexicon.emoji(c).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    let mut prev_space = true;
    for c in text.chars() {
        if let Some(description) = lexicon.emoji(c) {
            if !prev_space {
                out.push(' ');
            }
            out.push_str(description);
            prev_space = false;
        } else {
            out.push(c);
            prev_space = c == ' ';
        }
    }
    Cow::Owned(out)
}

/// Scores a text with the VADER rules of vaderSentiment 3.3.2.
pub(crate) fn polarity_scores(lexicon: &Lexicon, text: &str) -> Scores {
    let described = describe_emoji(lexicon, text);
    let text = pystr::strip(&described);
    let tokens = tokenize(lexicon, text, None);
    score_tokens(&tokens, text)
}

/// Detects the language and scores the text unless it is confidently not
/// English. An ASCII text (nearly every post) is split and looked up once
/// for both: the words' lexicon entries also carry their function-word bits.
pub(crate) fn analyse(lexicon: &Lexicon, raw_text: &str) -> (Language, Option<Scores>) {
    if !raw_text.is_ascii() {
        let language = language::detect_language(raw_text);
        let scores = language
            .may_be_english()
            .then(|| polarity_scores(lexicon, raw_text));
        return (language, scores);
    }
    // No emoji in ASCII, and stripping the ends changes no word.
    let text = pystr::strip(raw_text);
    let mut counts = Counts::default();
    let tokens = tokenize(lexicon, text, Some(&mut counts));
    let language = language::decide(raw_text, &counts);
    let scores = language
        .may_be_english()
        .then(|| score_tokens(&tokens, text));
    (language, scores)
}

/// Splits the text into words with their lexicon entries; for an ASCII
/// text, also adds each token to the language `counts` when given.
fn tokenize<'t>(
    lexicon: &Lexicon,
    text: &'t str,
    mut counts: Option<&mut Counts>,
) -> Vec<Token<'t>> {
    let mut tokens: Vec<Token<'t>> = Vec::with_capacity(text.len() / 5 + 1);
    if text.is_ascii() {
        let bytes = text.as_bytes();
        pystr::ascii_words(text, |raw, word, is_upper| {
            let start = word.as_ptr() as usize - text.as_ptr() as usize;
            let entry = match pystr::pack_at_ascii_lower(bytes, start, word.len()) {
                Some(key) => lexicon.entry_packed(key),
                None => lexicon.entry(&word.to_ascii_lowercase()),
            };
            if let Some(counts) = counts.as_deref_mut() {
                language::count_ascii_token(raw.as_bytes(), counts, |trimmed| {
                    // The detector trims differently ("de," stays whole for
                    // the scorer); look up again only when the words differ.
                    if trimmed.eq_ignore_ascii_case(word.as_bytes()) {
                        entry.markers | markers::elision_bits(trimmed)
                    } else {
                        markers::lookup_ascii(trimmed)
                    }
                });
            }
            tokens.push(Token::new(word, is_upper, entry));
        });
    } else {
        for raw in pystr::split_whitespace(text) {
            let word = pystr::strip_punc_if_word(raw);
            let entry = lexicon.entry(&pystr::lower(word));
            tokens.push(Token::new(word, pystr::is_upper(word), entry));
        }
    }
    tokens
}

/// The rules and the final arithmetic on tokenised text.
fn score_tokens(tokens: &[Token<'_>], text: &str) -> Scores {
    let upper_count = tokens.iter().filter(|t| t.is_upper).count();
    // Caps emphasis counts only when some, but not all, words are in caps.
    let cap_diff = upper_count > 0 && upper_count < tokens.len();

    let mut sentiments: Vec<f64> = (0..tokens.len())
        .map(|i| {
            let kind_of =
                tokens[i].rule == "kind" && tokens.get(i + 1).is_some_and(|next| next.rule == "of");
            if tokens[i].booster.is_some() || kind_of {
                0.0
            } else {
                word_valence(tokens, i, cap_diff)
            }
        })
        .collect();
    but_check(tokens, &mut sentiments);
    score_valence(&sentiments, text)
}

/// Valence of word `i` after the negation, booster, caps, idiom and "least"
/// rules; 0 for words outside the lexicon.
fn word_valence(tokens: &[Token<'_>], i: usize, cap_diff: bool) -> f64 {
    let token = &tokens[i];
    let Some(base) = token.valence else {
        return 0.0;
    };
    // Rules compare only with rule words, so a word's tag stands for it.
    let rule = |j: usize| -> &str { tokens[j].rule };
    let mut valence = base;
    // "no" before another lexicon word negates it rather than counting itself.
    if rule(i) == "no" && tokens.get(i + 1).is_some_and(|next| next.valence.is_some()) {
        valence = 0.0;
    }
    if (i > 0 && rule(i - 1) == "no")
        || (i > 1 && rule(i - 2) == "no")
        || (i > 2 && rule(i - 3) == "no" && matches!(rule(i - 1), "or" | "nor"))
    {
        valence = base * N_SCALAR;
    }
    if token.is_upper && cap_diff {
        if valence > 0.0 {
            valence += C_INCR;
        } else {
            valence -= C_INCR;
        }
    }
    for distance in 0..3 {
        // Only words outside the lexicon modify: "very" does, "good" does not.
        if i <= distance || tokens[i - distance - 1].valence.is_some() {
            continue;
        }
        let mut scalar = booster_scalar(&tokens[i - distance - 1], valence, cap_diff);
        // Modifiers further away count less.
        if distance == 1 && scalar != 0.0 {
            scalar *= 0.95;
        }
        if distance == 2 && scalar != 0.0 {
            scalar *= 0.9;
        }
        valence += scalar;
        valence = negation_check(valence, tokens, distance, i);
        if distance == 2 {
            valence = special_idioms_check(valence, tokens, i);
        }
    }
    least_check(valence, tokens, i)
}

/// How much a booster or dampener word shifts the valence of the word it
/// modifies: ±0.293 (sign following the valence), and ±0.733 more when the
/// booster itself is shouted in caps.
fn booster_scalar(modifier: &Token<'_>, valence: f64, cap_diff: bool) -> f64 {
    let Some(mut scalar) = modifier.booster else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar *= -1.0;
    }
    if modifier.is_upper && cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// Applies a negation found `distance + 1` words before word `i`, and the
/// "never so/this" (intensifies) and "without doubt" (no negation) phrases.
fn negation_check(valence: f64, tokens: &[Token<'_>], distance: usize, i: usize) -> f64 {
    let rule = |j: usize| -> &str { tokens[j].rule };
    let so_or_this = |w: &str| w == "so" || w == "this";
    match distance {
        0 if tokens[i - 1].is_negation() => valence * N_SCALAR,
        1 => {
            if rule(i - 2) == "never" && so_or_this(rule(i - 1)) {
                valence * 1.25
            } else if rule(i - 2) == "without" && rule(i - 1) == "doubt" {
                valence
            } else if tokens[i - 2].is_negation() {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        2 => {
            // The reference groups this as (never AND so/this) OR so/this, so
            // "so"/"this" right before the word intensifies with or without "never".
            if (rule(i - 3) == "never" && so_or_this(rule(i - 2))) || so_or_this(rule(i - 1)) {
                valence * 1.25
            } else if rule(i - 3) == "without" && (rule(i - 2) == "doubt" || rule(i - 1) == "doubt")
            {
                valence
            } else if tokens[i - 3].is_negation() {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        _ => valence,
    }
}

/// Special-case phrases around word `i` ("the shit", "kiss of death") and
/// two-word dampeners before it ("kind of", "sort of"). Needs `i >= 3`.
fn special_idioms_check(mut valence: f64, tokens: &[Token<'_>], i: usize) -> f64 {
    let words = |from: usize, to: usize| tokens[from..=to].iter().map(|t| t.rule);
    let before = [
        (i - 1, i),
        (i - 2, i),
        (i - 2, i - 1),
        (i - 3, i - 1),
        (i - 3, i - 2),
    ];
    if let Some(value) = before
        .iter()
        .find_map(|&(from, to)| rules::special_case(words(from, to)))
    {
        valence = value;
    }
    if i + 1 < tokens.len() {
        if let Some(value) = rules::special_case(words(i, i + 1)) {
            valence = value;
        }
    }
    if i + 2 < tokens.len() {
        if let Some(value) = rules::special_case(words(i, i + 2)) {
            valence = value;
        }
    }
    for (first, second) in [(i - 3, i - 2), (i - 2, i - 1)] {
        if let Some(value) = rules::booster_bigram(tokens[first].rule, tokens[second].rule) {
            valence += value;
        }
    }
    valence
}

/// "least good" negates, "at least good" and "very least good" do not.
fn least_check(valence: f64, tokens: &[Token<'_>], i: usize) -> f64 {
    if i == 0 || tokens[i - 1].rule != "least" {
        return valence;
    }
    if i > 1 && matches!(tokens[i - 2].rule, "at" | "very") {
        valence
    } else {
        valence * N_SCALAR
    }
}

/// The contrastive "but": halves valences before the first "but" and
/// multiplies those after it by 1.5.
///
/// The reference finds each valence's position with `list.index(value)`,
/// which returns the first equal value, so when two words share a valence
/// the first is rescaled twice and the second not at all. That quirk is
/// reproduced because agreement with the reference is the goal.
fn but_check(tokens: &[Token<'_>], sentiments: &mut [f64]) {
    let Some(but) = tokens.iter().position(|t| t.rule == "but") else {
        return;
    };
    for k in 0..sentiments.len() {
        let value = sentiments[k];
        let first = sentiments[..=k]
            .iter()
            .position(|&s| s == value)
            .unwrap_or(k);
        if first < but {
            sentiments[first] = value * 0.5;
        } else if first > but {
            sentiments[first] = value * 1.5;
        }
    }
}

/// Emphasis from "!" (0.292 each, up to 4) and "?" (0.18 each for 2 or 3,
/// 0.96 for more), added in the direction of the overall sentiment.
fn punctuation_emphasis(text: &str) -> f64 {
    let (mut exclamations, mut questions) = (0_usize, 0_usize);
    for b in text.bytes() {
        exclamations += usize::from(b == b'!');
        questions += usize::from(b == b'?');
    }
    let exclamations = exclamations.min(4);
    let question_amp = match questions {
        0 | 1 => 0.0,
        2 | 3 => questions as f64 * QUESTION_INCR,
        _ => QUESTION_MAX,
    };
    exclamations as f64 * EXCLAMATION_INCR + question_amp
}

/// From word valences to the four rounded scores.
fn score_valence(sentiments: &[f64], text: &str) -> Scores {
    if sentiments.is_empty() {
        return Scores::default();
    }
    let punct = punctuation_emphasis(text);
    let mut sum: f64 = sentiments.iter().fold(0.0, |acc, &s| acc + s);
    if sum > 0.0 {
        sum += punct;
    } else if sum < 0.0 {
        sum -= punct;
    }
    let compound = normalize(sum);

    // Each sentiment word counts one more than its valence so that it weighs
    // at least as much as a neutral word, which counts 1.
    let (mut pos_sum, mut neg_sum, mut neu_count) = (0.0_f64, 0.0_f64, 0_u32);
    for &s in sentiments {
        if s > 0.0 {
            pos_sum += s + 1.0;
        }
        if s < 0.0 {
            neg_sum += s - 1.0;
        }
        if s == 0.0 {
            neu_count += 1;
        }
    }
    if pos_sum > neg_sum.abs() {
        pos_sum += punct;
    } else if pos_sum < neg_sum.abs() {
        neg_sum -= punct;
    }
    let total = pos_sum + neg_sum.abs() + f64::from(neu_count);
    Scores {
        compound: pystr::round(compound, 4),
        pos: pystr::round((pos_sum / total).abs(), 3),
        neu: pystr::round((f64::from(neu_count) / total).abs(), 3),
        neg: pystr::round((neg_sum / total).abs(), 3),
    }
}

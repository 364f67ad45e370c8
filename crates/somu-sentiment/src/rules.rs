//! The fixed word lists and empirical constants of VADER (Hutto & Gilbert,
//! ICWSM 2014), with the values used by vaderSentiment 3.3.2.

/// Mean rating increase a booster word ("very") adds to the next sentiment word.
pub const B_INCR: f64 = 0.293;
/// Mean rating decrease a dampener word ("slightly") takes from the next sentiment word.
pub const B_DECR: f64 = -0.293;
/// Mean rating increase for a sentiment word in ALL CAPS among mixed-case words.
pub const C_INCR: f64 = 0.733;
/// Factor applied to a sentiment word's valence when it is negated ("not good").
pub const N_SCALAR: f64 = -0.74;
/// Normalisation constant: compound = x / sqrt(x² + ALPHA).
pub const ALPHA: f64 = 15.0;
/// Rating increase per exclamation mark, counted up to four of them.
pub const EXCLAMATION_INCR: f64 = 0.292;
/// Rating increase per question mark when there are two or three of them.
pub const QUESTION_INCR: f64 = 0.18;
/// Rating increase for four or more question marks.
pub const QUESTION_MAX: f64 = 0.96;

/// VADER's negation words. Any word containing `n't` negates as well.
pub const NEGATIONS: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// Whether a lowercased word negates the sentiment word after it: one of
/// [`NEGATIONS`], or any word containing `n't`.
pub fn is_negation(lower: &str) -> bool {
    NEGATIONS.contains(&lower) || lower.contains("n't")
}

/// Whether a word contains `n't` in any case (`N'T`, `n't`): the same as
/// `lower.contains("n't")` on its lowercase form, since no other character
/// lowercases to an ASCII `n` or `t`.
pub(crate) fn contains_nt(word: &str) -> bool {
    word.as_bytes()
        .windows(3)
        .any(|w| w[0] | 0x20 == b'n' && w[1] == b'\'' && w[2] | 0x20 == b't')
}

/// Every word the rules look for by its exact (lowercase) text. The lexicon
/// tags these words, so the scorer compares tags instead of lowercasing and
/// comparing every word of every text.
pub(crate) const RULE_WORDS: &[&str] = &[
    "no", "or", "nor", "but", "least", "at", "very", "never", "so", "this", "without", "doubt",
    "kind", "of", "sort", "just", "enough", "the", "shit", "bomb", "bad", "ass", "bus", "stop",
    "yeah", "right", "kiss", "death", "to", "die", "for", "beating", "heart",
];

/// Degree adverbs ("intensifiers" and "dampeners"): `B_INCR` for boosters,
/// `B_DECR` for dampeners. The reference's two-word entries ("kind of",
/// "sort of", "just enough") are in [`booster_bigram`].
pub const BOOSTERS: &[(&str, f64)] = &[
    ("absolutely", B_INCR),
    ("amazingly", B_INCR),
    ("awfully", B_INCR),
    ("completely", B_INCR),
    ("considerable", B_INCR),
    ("considerably", B_INCR),
    ("decidedly", B_INCR),
    ("deeply", B_INCR),
    ("effing", B_INCR),
    ("enormous", B_INCR),
    ("enormously", B_INCR),
    ("entirely", B_INCR),
    ("especially", B_INCR),
    ("exceptional", B_INCR),
    ("exceptionally", B_INCR),
    ("extreme", B_INCR),
    ("extremely", B_INCR),
    ("fabulously", B_INCR),
    ("flipping", B_INCR),
    ("flippin", B_INCR),
    ("frackin", B_INCR),
    ("fracking", B_INCR),
    ("fricking", B_INCR),
    ("frickin", B_INCR),
    ("frigging", B_INCR),
    ("friggin", B_INCR),
    ("fully", B_INCR),
    ("fuckin", B_INCR),
    ("fucking", B_INCR),
    ("fuggin", B_INCR),
    ("fugging", B_INCR),
    ("greatly", B_INCR),
    ("hella", B_INCR),
    ("highly", B_INCR),
    ("hugely", B_INCR),
    ("incredible", B_INCR),
    ("incredibly", B_INCR),
    ("intensely", B_INCR),
    ("major", B_INCR),
    ("majorly", B_INCR),
    ("more", B_INCR),
    ("most", B_INCR),
    ("particularly", B_INCR),
    ("purely", B_INCR),
    ("quite", B_INCR),
    ("really", B_INCR),
    ("remarkably", B_INCR),
    ("so", B_INCR),
    ("substantially", B_INCR),
    ("thoroughly", B_INCR),
    ("total", B_INCR),
    ("totally", B_INCR),
    ("tremendous", B_INCR),
    ("tremendously", B_INCR),
    ("uber", B_INCR),
    ("unbelievably", B_INCR),
    ("unusually", B_INCR),
    ("utter", B_INCR),
    ("utterly", B_INCR),
    ("very", B_INCR),
    ("almost", B_DECR),
    ("barely", B_DECR),
    ("hardly", B_DECR),
    ("kinda", B_DECR),
    ("kindof", B_DECR),
    ("kind-of", B_DECR),
    ("less", B_DECR),
    ("little", B_DECR),
    ("marginal", B_DECR),
    ("marginally", B_DECR),
    ("occasional", B_DECR),
    ("occasionally", B_DECR),
    ("partly", B_DECR),
    ("scarce", B_DECR),
    ("scarcely", B_DECR),
    ("slight", B_DECR),
    ("slightly", B_DECR),
    ("somewhat", B_DECR),
    ("sorta", B_DECR),
    ("sortof", B_DECR),
    ("sort-of", B_DECR),
];

/// Degree adverb of a lowercased single word, if it is one of [`BOOSTERS`].
/// (The scorer finds it through [`crate::Lexicon`], in the same look-up as
/// the word's valence.)
pub fn booster(lower: &str) -> Option<f64> {
    BOOSTERS
        .iter()
        .find(|(word, _)| *word == lower)
        .map(|(_, value)| *value)
}

/// Two-word dampeners ("kind of good"). The reference adds these to the
/// valence without flipping their sign for negative words.
pub fn booster_bigram(first: &str, second: &str) -> Option<f64> {
    match (first, second) {
        ("just", "enough") | ("kind", "of") | ("sort", "of") => Some(B_DECR),
        _ => None,
    }
}

/// Phrases that replace the valence of the sentiment word inside them
/// ("the shit" is good, "bus stop" is neutral).
const SPECIAL_CASES: &[(&[&str], f64)] = &[
    (&["the", "shit"], 3.0),
    (&["the", "bomb"], 3.0),
    (&["bad", "ass"], 1.5),
    (&["bus", "stop"], 0.0),
    (&["yeah", "right"], -2.0),
    (&["kiss", "of", "death"], -1.5),
    (&["to", "die", "for"], 3.0),
    (&["beating", "heart"], 3.5),
];

/// Valence of a special-case phrase made of exactly these lowercased words.
pub fn special_case<'a>(words: impl ExactSizeIterator<Item = &'a str> + Clone) -> Option<f64> {
    // Most word sequences start with none of the phrases' first words.
    let first = words.clone().next()?;
    if !matches!(
        first,
        "the" | "bad" | "bus" | "yeah" | "kiss" | "to" | "beating"
    ) {
        return None;
    }
    SPECIAL_CASES
        .iter()
        .find(|(phrase, _)| phrase.len() == words.len() && words.clone().eq(phrase.iter().copied()))
        .map(|(_, value)| *value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negations_include_any_nt_contraction() {
        assert!(is_negation("not"));
        assert!(is_negation("shouldn't"));
        assert!(is_negation("ain't"));
        // Not in the list, but contains "n't".
        assert!(is_negation("mayn't"));
        assert!(!is_negation("no"));
        assert!(!is_negation("nothings"));
    }

    #[test]
    fn nt_check_ignores_case_like_the_lowercase_check() {
        for word in [
            "couldn't", "COULDN'T", "CouldN't", "n't", "don", "dont", "n`t", "nt",
        ] {
            assert_eq!(
                contains_nt(word),
                word.to_lowercase().contains("n't"),
                "{word}"
            );
        }
    }

    #[test]
    fn every_word_a_rule_compares_with_is_a_rule_word() {
        let phrases = SPECIAL_CASES.iter().flat_map(|(phrase, _)| phrase.iter());
        let bigrams = ["just", "enough", "kind", "of", "sort"];
        let others = [
            "no", "or", "nor", "but", "least", "at", "very", "never", "so", "this", "without",
            "doubt",
        ];
        for word in phrases.chain(&bigrams).chain(&others) {
            assert!(RULE_WORDS.contains(word), "{word}");
        }
        assert!(RULE_WORDS.len() < 255);
    }

    #[test]
    fn boosters_and_dampeners() {
        assert_eq!(booster("very"), Some(B_INCR));
        assert_eq!(booster("sorta"), Some(B_DECR));
        assert_eq!(booster("good"), None);
        assert_eq!(booster_bigram("kind", "of"), Some(B_DECR));
    }

    #[test]
    fn special_cases_match_whole_phrases_only() {
        assert_eq!(special_case(["the", "shit"].into_iter()), Some(3.0));
        assert_eq!(
            special_case(["kiss", "of", "death"].into_iter()),
            Some(-1.5)
        );
        assert_eq!(special_case(["kiss", "of"].into_iter()), None);
    }
}

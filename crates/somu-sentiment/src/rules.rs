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

/// Whether a lowercased word negates the sentiment word after it: one of
/// VADER's negation words, or any word containing `n't`.
pub fn is_negation(lower: &str) -> bool {
    matches!(
        lower,
        "aint"
            | "arent"
            | "cannot"
            | "cant"
            | "couldnt"
            | "darent"
            | "didnt"
            | "doesnt"
            | "ain't"
            | "aren't"
            | "can't"
            | "couldn't"
            | "daren't"
            | "didn't"
            | "doesn't"
            | "dont"
            | "hadnt"
            | "hasnt"
            | "havent"
            | "isnt"
            | "mightnt"
            | "mustnt"
            | "neither"
            | "don't"
            | "hadn't"
            | "hasn't"
            | "haven't"
            | "isn't"
            | "mightn't"
            | "mustn't"
            | "neednt"
            | "needn't"
            | "never"
            | "none"
            | "nope"
            | "nor"
            | "not"
            | "nothing"
            | "nowhere"
            | "oughtnt"
            | "shant"
            | "shouldnt"
            | "uhuh"
            | "wasnt"
            | "werent"
            | "oughtn't"
            | "shan't"
            | "shouldn't"
            | "uh-uh"
            | "wasn't"
            | "weren't"
            | "without"
            | "wont"
            | "wouldnt"
            | "won't"
            | "wouldn't"
            | "rarely"
            | "seldom"
            | "despite"
    ) || lower.contains("n't")
}

/// Degree adverb of a lowercased single word: `B_INCR` for boosters,
/// `B_DECR` for dampeners, `None` otherwise.
pub fn booster(lower: &str) -> Option<f64> {
    let value = match lower {
        "absolutely" | "amazingly" | "awfully" | "completely" | "considerable" | "considerably"
        | "decidedly" | "deeply" | "effing" | "enormous" | "enormously" | "entirely"
        | "especially" | "exceptional" | "exceptionally" | "extreme" | "extremely"
        | "fabulously" | "flipping" | "flippin" | "frackin" | "fracking" | "fricking"
        | "frickin" | "frigging" | "friggin" | "fully" | "fuckin" | "fucking" | "fuggin"
        | "fugging" | "greatly" | "hella" | "highly" | "hugely" | "incredible" | "incredibly"
        | "intensely" | "major" | "majorly" | "more" | "most" | "particularly" | "purely"
        | "quite" | "really" | "remarkably" | "so" | "substantially" | "thoroughly" | "total"
        | "totally" | "tremendous" | "tremendously" | "uber" | "unbelievably" | "unusually"
        | "utter" | "utterly" | "very" => B_INCR,
        "almost" | "barely" | "hardly" | "kinda" | "kindof" | "kind-of" | "less" | "little"
        | "marginal" | "marginally" | "occasional" | "occasionally" | "partly" | "scarce"
        | "scarcely" | "slight" | "slightly" | "somewhat" | "sorta" | "sortof" | "sort-of" => {
            B_DECR
        }
        _ => return None,
    };
    Some(value)
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

//! Laws that hold for any input: scoring never panics, scores stay in range,
//! and `analyse` is exactly detection followed by scoring.

use proptest::prelude::*;
use somu_sentiment::{detect_language, Analyzer};

/// Text built from pieces that exercise the rules, mixed with arbitrary
/// characters (including non-ASCII whitespace, emoji and punctuation).
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("good".to_owned()),
        Just("BAD".to_owned()),
        Just("not".to_owned()),
        Just("very".to_owned()),
        Just("kind of".to_owned()),
        Just("but".to_owned()),
        Just("least".to_owned()),
        Just("no".to_owned()),
        Just("the shit".to_owned()),
        Just("!!!".to_owned()),
        Just("???".to_owned()),
        Just("😁".to_owned()),
        Just(":)".to_owned()),
        Just("@ana".to_owned()),
        Just("http://t.co/x".to_owned()),
        Just("de la".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\u{1f}".to_owned()),
        "\\PC{0,8}",
        "[ -~]{0,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #[test]
    fn scores_stay_in_range(text in text()) {
        let s = Analyzer::shared().polarity_scores(&text);
        prop_assert!((-1.0..=1.0).contains(&s.compound));
        for share in [s.pos, s.neu, s.neg] {
            prop_assert!((0.0..=1.0).contains(&share));
        }
        let total = s.pos + s.neu + s.neg;
        // Each share is rounded to 3 decimals, so the sum is 1 within 0.002,
        // or 0 for a text without words.
        prop_assert!(total == 0.0 || (total - 1.0).abs() <= 0.002, "{total}");
    }

    #[test]
    fn analyse_is_detection_then_scoring(text in text()) {
        let analyzer = Analyzer::shared();
        let language = detect_language(&text);
        let expected = language.may_be_english().then(|| analyzer.polarity_scores(&text));
        let analysis = analyzer.analyse(&text);
        prop_assert_eq!(analysis.language, language);
        prop_assert_eq!(analysis.scores, expected);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        let analysis = Analyzer::shared().analyse(&text);
        prop_assert!(analysis.scores.is_none_or(|s| s.compound.is_finite()));
    }
}

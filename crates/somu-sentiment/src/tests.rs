//! Hand-worked cases for the scorer. Each expected compound is derived from
//! the rules with compound = x / sqrt(x² + 15), x the sum of word valences
//! plus punctuation emphasis, and checked against vaderSentiment 3.3.2.

use super::*;

fn scores(text: &str) -> Scores {
    Analyzer::shared().polarity_scores(text)
}

#[test]
fn single_positive_word() {
    // "good" has valence 1.9: x = 1.9, compound = 1.9 / sqrt(3.61 + 15) = 0.4404.
    // pos = (1.9 + 1) / (2.9 + 3 neutral words) = 0.4915 → 0.492.
    let s = scores("The book was good.");
    assert_eq!(s.compound, 0.4404);
    assert_eq!(s.pos, 0.492);
    assert_eq!(s.neu, 0.508);
    assert_eq!(s.neg, 0.0);
}

#[test]
fn booster_adds_0_293() {
    // "very" boosts "good": x = 1.9 + 0.293 = 2.193,
    // compound = 2.193 / sqrt(4.809249 + 15) = 2.193 / 4.45076 = 0.4927.
    assert_eq!(scores("The book was very good.").compound, 0.4927);
}

#[test]
fn negation_multiplies_by_minus_0_74() {
    // "not good": x = 1.9 × −0.74 = −1.406, compound = −1.406 / sqrt(1.976836 + 15) = −0.3412.
    assert_eq!(scores("The book was not good.").compound, -0.3412);
}

#[test]
fn exclamation_marks_add_emphasis() {
    // "good!!": x = 1.9 + 2 × 0.292 = 2.484, compound = 2.484 / sqrt(6.170256 + 15) = 0.5399.
    assert_eq!(scores("good!!").compound, 0.5399);
}

#[test]
fn caps_emphasis_among_mixed_case() {
    // "GOOD" in caps while "book" is not: x = 1.9 + 0.733 = 2.633,
    // compound = 2.633 / sqrt(6.932689 + 15) = 0.56222 → 0.5622.
    assert_eq!(scores("book GOOD").compound, 0.5622);
    // All words in caps: no differential, so no emphasis.
    assert_eq!(scores("BOOK GOOD").compound, 0.4404);
}

#[test]
fn but_shifts_weight_to_the_second_clause() {
    // good (1.9) × 0.5 = 0.95, bad (−2.5) × 1.5 = −3.75: x = −2.8,
    // compound = −2.8 / sqrt(7.84 + 15) = −0.5859.
    assert_eq!(scores("good but bad").compound, -0.5859);
}

#[test]
fn kind_of_dampens() {
    // "kind of good": "kind" and "of" score 0, then the bigram dampener
    // adds −0.293 to good: x = 1.607, compound = 1.607 / sqrt(2.582449 + 15) = 0.3832.
    assert_eq!(scores("it was kind of good").compound, 0.3832);
}

#[test]
fn emoji_are_described() {
    // 😁 → "beaming face with smiling eyes": only "smiling" (2.0) is in the
    // lexicon: x = 2.0, compound = 2 / sqrt(4 + 15) = 0.4588;
    // pos = (2 + 1) / (3 + 4 neutral words) = 0.429.
    let s = scores("😁");
    assert_eq!(s.compound, 0.4588);
    assert_eq!(s.pos, 0.429);
}

#[test]
fn empty_and_neutral_texts() {
    assert_eq!(scores(""), Scores::default());
    assert_eq!(scores("   "), Scores::default());
    let s = scores("the table");
    assert_eq!((s.compound, s.neu), (0.0, 1.0));
}

#[test]
fn analyse_scores_english_and_skips_french() {
    let a = Analyzer::shared();
    let en = a.analyse("I really love this course, the trainers were great!");
    assert_eq!(en.language, Language::ENGLISH);
    assert!(en.scores.is_some_and(|s| s.compound > 0.5));
    let fr = a.analyse(
        "Je suis vraiment très content de cette formation, merci beaucoup à toute l'équipe",
    );
    assert_eq!(fr.language.code(), "fr");
    assert_eq!(fr.scores, None);
}

#[test]
fn shouted_no_before_a_sentiment_word() {
    // "NO" before a lexicon word counts 0, then caps emphasis (some words
    // are lowercase) takes 0.733 from it since 0 is not > 0: −0.733.
    // "good" after "no" is negated: 1.9 × −0.74 = −1.406.
    // x = −2.139, compound = −2.139 / sqrt(4.575321 + 15) = −0.4835.
    assert_eq!(scores("NO good day").compound, -0.4835);
    // Lowercase: only the negation, −1.406 / sqrt(1.976836 + 15) = −0.3412.
    assert_eq!(scores("no good day").compound, -0.3412);
}

#[test]
fn this_two_words_before_intensifies() {
    // With three words before "good", the reference's third-word check
    // multiplies by 1.25 when the word right before is "so" or "this":
    // 1.9 × 1.25 = 2.375, compound = 2.375 / sqrt(5.640625 + 15) = 0.5228.
    assert_eq!(scores("we have this good day").compound, 0.5228);
    // Too close to the start for that check: plain 1.9 → 0.4404.
    assert_eq!(scores("this good day").compound, 0.4404);
}

#[test]
fn least_negates_unless_after_at_or_very() {
    // "least good": 1.9 × −0.74 = −1.406 → −0.3412.
    assert_eq!(scores("the least good").compound, -0.3412);
    // "at least good" keeps 1.9 → 0.4404.
    assert_eq!(scores("at least good").compound, 0.4404);
}

#[test]
fn question_marks_add_emphasis_from_two() {
    // "good??": 1.9 + 2 × 0.18 = 2.26 → 2.26 / sqrt(5.1076 + 15) = 0.504.
    assert_eq!(scores("good??").compound, 0.504);
    // A single "?" adds nothing.
    assert_eq!(scores("good?").compound, 0.4404);
    // Four or more add 0.96: 2.86 / sqrt(8.1796 + 15) = 0.59404 → 0.594.
    assert_eq!(scores("good????").compound, 0.594);
}

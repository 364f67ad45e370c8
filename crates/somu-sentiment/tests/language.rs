//! Language gate of `Analyzer::analyse`: French and Dutch posts (written for
//! this test) are marked and not scored; short, emoji-only and link-heavy
//! English posts are still scored.

use somu_sentiment::{detect_language, Analyzer, Language};

const FRENCH: &[&str] = &[
    "Je suis vraiment très content de cette formation, merci à toute l'équipe !",
    "La session d'hier était nulle, je n'ai rien appris du tout.",
    "Quelle journée magnifique pour apprendre les bases des réseaux sociaux",
    "Le formateur parlait trop vite et les exercices étaient beaucoup trop difficiles.",
    "Merci @somu pour le certificat, je suis fier de l'avoir obtenu ! #formation",
    "Nous avons enfin terminé notre projet de stratégie pour le client, quel soulagement",
    "Franchement, ce cours ne sert à rien et personne ne l'a compris.",
    "C'est la meilleure formation que j'ai suivie cette année, je la recommande vivement",
    "Rendez-vous lundi prochain pour la deuxième partie du programme https://example.org/fr",
    "On se voit demain matin à la réunion, n'oubliez pas vos ordinateurs portables.",
];

const DUTCH: &[&str] = &[
    "Ik ben echt heel blij met deze cursus, bedankt aan het hele team!",
    "De training van gisteren was slecht, ik heb er helemaal niets van geleerd.",
    "Wat een prachtige dag om de basis van sociale media te leren",
    "De docent sprak veel te snel en de opdrachten waren veel te moeilijk.",
    "Bedankt @somu voor het certificaat, ik ben er trots op! #opleiding",
    "We hebben eindelijk ons strategieplan voor de klant afgerond, wat een opluchting",
    "Eerlijk gezegd heeft deze cursus geen enkel nut en niemand begreep het.",
    "Dit is de beste opleiding die ik dit jaar heb gevolgd, echt een aanrader",
    "Tot volgende week maandag voor het tweede deel van het programma https://example.org/nl",
    "Zien we elkaar morgenochtend bij de vergadering? Vergeet jullie laptops niet.",
];

const ENGLISH: &[&str] = &[
    "I really love this course, the trainers were great!",
    "The webinar was boring and way too long.",
    "Congrats on the certification, well deserved!",
    "Our team finally finished the strategy handbook for the client",
    "Never again. Worst session of the year.",
    "Thanks @somu_academy for the great course! https://t.co/abc123 #learning",
];

/// Short or unclear posts: undetermined, so scored as English.
const UNCLEAR: &[&str] = &[
    "😁😁😁",
    "lol",
    "omg yes!!!",
    "@bob @alice 👍",
    "https://t.co/xyz #win",
    "Great!",
    ":) :) :)",
    "RT @ana: 🎉🎉",
    "",
    "12/10",
];

#[test]
fn french_posts_are_marked_and_not_scored() {
    for text in FRENCH {
        let analysis = Analyzer::shared().analyse(text);
        assert_eq!(analysis.language.code(), "fr", "{text}");
        assert_eq!(analysis.scores, None, "{text}");
    }
}

#[test]
fn dutch_posts_are_marked_and_not_scored() {
    for text in DUTCH {
        let analysis = Analyzer::shared().analyse(text);
        assert_eq!(analysis.language.code(), "nl", "{text}");
        assert_eq!(analysis.scores, None, "{text}");
    }
}

#[test]
fn english_posts_are_scored() {
    for text in ENGLISH {
        let analysis = Analyzer::shared().analyse(text);
        // English, or undetermined when nothing points to another language.
        assert!(analysis.language.may_be_english(), "{text}");
        assert_eq!(
            analysis.scores,
            Some(Analyzer::shared().polarity_scores(text)),
            "{text}"
        );
    }
}

#[test]
fn short_and_emoji_only_posts_are_undetermined_and_scored() {
    for text in UNCLEAR {
        assert_eq!(detect_language(text), Language::UNDETERMINED, "{text:?}");
        assert!(
            Analyzer::shared().analyse(text).scores.is_some(),
            "{text:?}"
        );
    }
    // The emoji are described in English and scored.
    let party = Analyzer::shared().analyse("🎉🎉🎉").scores;
    assert!(party.is_some_and(|s| s.compound > 0.0));
}

#[test]
fn language_codes_round_trip_through_json() {
    let analysis = Analyzer::shared().analyse(FRENCH[0]);
    let json = serde_json::to_string(&analysis).expect("serialises");
    assert_eq!(json, r#"{"language":"fr","scores":null}"#);
    let back: somu_sentiment::Analysis = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, analysis);
    assert!(serde_json::from_str::<Language>(r#""xx""#).is_err());
    assert_eq!("nl".parse::<Language>().map(Language::code), Ok("nl"));
}

#[test]
fn analyse_equals_detection_then_scoring_on_every_corpus_text() {
    // analyse() shares one pass between detection and scoring for ASCII
    // text; it must give exactly what the two separate calls give.
    let analyzer = Analyzer::shared();
    let corpus = include_str!("data/varied.txt");
    let tweets = include_str!("data/reference.tsv");
    let texts = corpus
        .lines()
        .chain(tweets.lines().filter_map(|l| l.splitn(8, '\t').nth(7)))
        .chain(
            FRENCH
                .iter()
                .chain(DUTCH)
                .chain(ENGLISH)
                .chain(UNCLEAR)
                .copied(),
        );
    let mut checked = 0;
    for text in texts {
        let language = detect_language(text);
        let expected = language
            .may_be_english()
            .then(|| analyzer.polarity_scores(text));
        let analysis = analyzer.analyse(text);
        assert_eq!(
            (analysis.language, analysis.scores),
            (language, expected),
            "{text:?}"
        );
        checked += 1;
    }
    assert!(checked > 7000);
}

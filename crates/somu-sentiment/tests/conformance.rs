//! Conformance of the Rust scorer with the reference Python implementation,
//! vaderSentiment 3.3.2, on the 4,200 human-rated tweets of Hutto & Gilbert
//! (ICWSM 2014, MIT licence; `shared/conformance/vader/`) and on the varied
//! texts of `tests/data/varied.txt`.
//!
//! The reference outputs are stored in `tests/data/reference.tsv`, produced by
//! `scripts/vader_reference.py`; no Python is needed here.

use std::path::{Path, PathBuf};

use somu_sentiment::{Analyzer, Scores};

/// The bar: at least 99% of compounds within 0.001 of the reference.
const REQUIRED_AGREEMENT: f64 = 0.99;
const TOLERANCE: f64 = 0.001;

struct Row {
    corpus: String,
    id: String,
    human_rating: Option<f64>,
    reference: Scores,
    text: String,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
}

fn read_reference() -> Vec<Row> {
    let path = data_dir().join("reference.tsv");
    let content = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let number = |field: &str, line: usize| -> f64 {
        field
            .parse()
            .unwrap_or_else(|_| panic!("reference.tsv line {line}: {field:?} is not a number"))
    };
    content
        .split('\n')
        .enumerate()
        .skip(1)
        .filter(|(_, line)| !line.is_empty())
        .map(|(index, line)| {
            let n = index + 1;
            let f: Vec<&str> = line.splitn(8, '\t').collect();
            assert_eq!(f.len(), 8, "reference.tsv line {n}: expected 8 fields");
            Row {
                corpus: f[0].to_owned(),
                id: f[1].to_owned(),
                human_rating: (!f[2].is_empty()).then(|| number(f[2], n)),
                reference: Scores {
                    neg: number(f[3], n),
                    neu: number(f[4], n),
                    pos: number(f[5], n),
                    compound: number(f[6], n),
                },
                text: f[7].to_owned(),
            }
        })
        .collect()
}

/// Fails when the corpus files changed without regenerating reference.tsv.
fn check_reference_is_current(rows: &[Row]) {
    let varied = std::fs::read_to_string(data_dir().join("varied.txt")).expect("varied.txt");
    let varied: Vec<&str> = varied.split('\n').filter(|t| !t.is_empty()).collect();
    let stored: Vec<&str> = rows
        .iter()
        .filter(|r| r.corpus == "varied")
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        stored, varied,
        "reference.tsv is stale: run scripts/vader_reference.py"
    );

    // The tweets live in shared/ beside the repository; when it is there,
    // check the stored texts are exactly its texts.
    let tweets_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/vader/tweets_GroundTruth.txt");
    if let Ok(raw) = std::fs::read_to_string(&tweets_path) {
        let tweets: Vec<(&str, &str)> = raw
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                Some((f.next()?, f.nth(1)?))
            })
            .collect();
        let stored: Vec<(&str, &str)> = rows
            .iter()
            .filter(|r| r.corpus == "tweets")
            .map(|r| (r.id.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            stored,
            tweets,
            "reference.tsv tweets differ from {}",
            tweets_path.display()
        );
    } else {
        println!(
            "note: {} not found; using the tweet texts stored in reference.tsv",
            tweets_path.display()
        );
    }
}

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

#[test]
fn compound_agrees_with_reference_python() {
    let rows = read_reference();
    check_reference_is_current(&rows);
    let tweets = rows.iter().filter(|r| r.corpus == "tweets").count();
    assert_eq!(tweets, 4200, "the 4,200 rated tweets");
    assert!(rows.len() - tweets >= 3000, "a few thousand varied texts");

    let analyzer = Analyzer::new();
    let mut agree = 0;
    let mut exact = 0;
    let mut disagreements = Vec::new();
    for row in &rows {
        let ours = analyzer.polarity_scores(&row.text);
        if (ours.compound - row.reference.compound).abs() <= TOLERANCE {
            agree += 1;
        } else {
            disagreements.push((row, ours));
        }
        if ours == row.reference {
            exact += 1;
        }
    }
    let rate = agree as f64 / rows.len() as f64;
    println!(
        "compound within {TOLERANCE} of vaderSentiment 3.3.2: {agree}/{} = {:.4}%; all four scores identical: {exact}/{}",
        rows.len(),
        rate * 100.0,
        rows.len()
    );
    for (row, ours) in disagreements.iter().take(20) {
        println!(
            "  {} {}: ours {:?}, reference {:?}: {:?}",
            row.corpus, row.id, ours, row.reference, row.text
        );
    }
    assert!(
        rate >= REQUIRED_AGREEMENT,
        "agreement {rate} below {REQUIRED_AGREEMENT}"
    );
}

#[test]
fn correlation_with_human_ratings_matches_reference() {
    let rows = read_reference();
    let analyzer = Analyzer::new();
    let tweets: Vec<&Row> = rows.iter().filter(|r| r.corpus == "tweets").collect();
    let human: Vec<f64> = tweets.iter().filter_map(|r| r.human_rating).collect();
    assert_eq!(human.len(), tweets.len(), "every tweet has a human rating");
    let ours: Vec<f64> = tweets
        .iter()
        .map(|r| analyzer.polarity_scores(&r.text).compound)
        .collect();
    let reference: Vec<f64> = tweets.iter().map(|r| r.reference.compound).collect();
    let r_ours = pearson(&ours, &human);
    let r_reference = pearson(&reference, &human);
    println!(
        "Pearson r with human ratings on {} tweets: somu-sentiment {r_ours:.4}, vaderSentiment 3.3.2 {r_reference:.4}",
        tweets.len()
    );
    assert!(
        r_reference > 0.8,
        "reference correlation {r_reference} implausible"
    );
    assert!((r_ours - r_reference).abs() <= 0.01);
}

#[test]
fn nearly_all_tweets_are_scored_as_english() {
    let rows = read_reference();
    let analyzer = Analyzer::new();
    let mut not_scored = Vec::new();
    let mut undetermined = 0;
    let mut tweets = 0;
    for row in rows.iter().filter(|r| r.corpus == "tweets") {
        tweets += 1;
        let analysis = analyzer.analyse(&row.text);
        match analysis.scores {
            None => not_scored.push((row, analysis.language)),
            Some(scores) => {
                // When scored, analyse gives exactly the core scorer's numbers.
                assert_eq!(scores, analyzer.polarity_scores(&row.text));
                if analysis.language.code() == "und" {
                    undetermined += 1;
                }
            }
        }
    }
    println!(
        "tweets judged not English (not scored): {}/{tweets}; undetermined but scored: {undetermined}",
        not_scored.len()
    );
    for (row, language) in &not_scored {
        println!("  {} [{language}] {:?}", row.id, row.text);
    }
    // The 4,200 tweets are English: at most 0.5% may be misjudged.
    assert!(
        not_scored.len() * 200 <= tweets,
        "{} tweets not scored",
        not_scored.len()
    );
}

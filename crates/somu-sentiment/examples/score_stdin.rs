//! Scores texts read one per line on standard input and prints one JSON
//! object per line, in input order:
//! `{"text":…,"compound":…,"pos":…,"neu":…,"neg":…,"language":…}`.
//! The four scores are `null` for text detected as confidently not English.
//!
//! ```text
//! cargo run --release -p somu-sentiment --example score_stdin < texts.txt
//! cargo run --release -p somu-sentiment --example score_stdin -- --no-language --threads 1 < texts.txt
//! ```
//!
//! `--no-language` skips language detection and scores every line, like
//! `scripts/vader_stdin.py` does with the Python reference. `--threads N`
//! sets the number of worker threads (default: all cores); lines are read in
//! blocks, each block is split between the threads, and the output keeps the
//! input order. A trailing `\r` is removed from each line; invalid UTF-8 is
//! replaced rather than rejected.

use std::borrow::Cow;
use std::io::{self, BufRead, Write};
use std::num::NonZeroUsize;

use serde::Serialize;
use somu_sentiment::{Analyzer, Language, Scores};

/// Lines read before the block is scored in parallel.
const BLOCK_LINES: usize = 8192;

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    compound: Option<f64>,
    pos: Option<f64>,
    neu: Option<f64>,
    neg: Option<f64>,
    language: Language,
}

fn score_into(analyzer: &Analyzer, detect: bool, texts: &[Cow<'_, str>], out: &mut Vec<u8>) {
    for text in texts {
        let (language, scores): (Language, Option<Scores>) = if detect {
            let analysis = analyzer.analyse(text);
            (analysis.language, analysis.scores)
        } else {
            (Language::UNDETERMINED, Some(analyzer.polarity_scores(text)))
        };
        let line = Line {
            text,
            compound: scores.map(|s| s.compound),
            pos: scores.map(|s| s.pos),
            neu: scores.map(|s| s.neu),
            neg: scores.map(|s| s.neg),
            language,
        };
        // Writing JSON into a Vec cannot fail.
        if serde_json::to_writer(&mut *out, &line).is_ok() {
            out.push(b'\n');
        }
    }
}

/// One line of input as text: without its line end, invalid UTF-8 replaced.
fn line_text(line: &[u8]) -> Cow<'_, str> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    match std::str::from_utf8(line) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(line),
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let detect = !args.iter().any(|a| a == "--no-language");
    let threads = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<NonZeroUsize>().ok())
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);

    let analyzer = Analyzer::new();
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    // A block of input lines lives in one buffer; `ends` marks where each ends.
    let mut buf = Vec::new();
    let mut ends = Vec::with_capacity(BLOCK_LINES);
    let mut outs: Vec<Vec<u8>> = vec![Vec::new(); threads];
    loop {
        buf.clear();
        ends.clear();
        while ends.len() < BLOCK_LINES {
            if input.read_until(b'\n', &mut buf)? == 0 {
                break;
            }
            ends.push(buf.len());
        }
        if ends.is_empty() {
            break;
        }
        let mut start = 0;
        let texts: Vec<Cow<'_, str>> = ends
            .iter()
            .map(|&end| {
                let text = line_text(buf.get(start..end).unwrap_or_default());
                start = end;
                text
            })
            .collect();
        let share = texts.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let mut jobs = texts.chunks(share).zip(outs.iter_mut());
            // The main thread takes the first share itself.
            let first = jobs.next();
            for (texts, out) in jobs {
                out.clear();
                let analyzer = &analyzer;
                scope.spawn(move || score_into(analyzer, detect, texts, out));
            }
            if let Some((texts, out)) = first {
                out.clear();
                score_into(&analyzer, detect, texts, out);
            }
        });
        for out in outs.iter().take(texts.len().div_ceil(share)) {
            output.write_all(out)?;
        }
    }
    output.flush()
}

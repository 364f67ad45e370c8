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
//! sets the number of scoring threads (default: all cores).

use std::io;
use std::num::NonZeroUsize;

use somu_sentiment::{stream, Analyzer};

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
    stream::score_lines(&analyzer, io::stdin().lock(), io::stdout(), threads, detect)
}

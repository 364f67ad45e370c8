//! Scoring a stream of texts, one per line, into JSON Lines, using every core while keeping
//! the input order. This is what `somu sentiment` and the throughput example run.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::{mpsc, Mutex};

use serde::Serialize;

use crate::{Analyzer, Language, Scores};

/// Lines in a block: the unit of work handed to a thread.
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

fn score_into<'a>(
    analyzer: &Analyzer,
    detect: bool,
    texts: impl Iterator<Item = Cow<'a, str>>,
    out: &mut Vec<u8>,
) {
    for text in texts {
        let text = &*text;
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

/// A block of input lines in one buffer; `ends[i]` is where line `i` ends.
struct Block {
    number: usize,
    buf: Vec<u8>,
    ends: Vec<usize>,
}

impl Block {
    fn texts(&self) -> impl Iterator<Item = Cow<'_, str>> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| line_text(self.buf.get(start..end).unwrap_or_default()))
    }
}

/// Reads up to `BLOCK_LINES` lines; `None` at the end of the input.
fn read_block(input: &mut impl BufRead, number: usize) -> io::Result<Option<Block>> {
    let mut block = Block {
        number,
        buf: Vec::new(),
        ends: Vec::with_capacity(BLOCK_LINES),
    };
    while block.ends.len() < BLOCK_LINES {
        if input.read_until(b'\n', &mut block.buf)? == 0 {
            break;
        }
        block.ends.push(block.buf.len());
    }
    Ok((!block.ends.is_empty()).then_some(block))
}

/// Read texts one per line from `input` and write one JSON object per line to `output`:
/// `{"text":…,"compound":…,"pos":…,"neu":…,"neg":…,"language":…}`, in input order. Scores are
/// `null` for text detected as confidently not English; `detect = false` scores every line.
/// A trailing `\r` is removed; invalid UTF-8 is replaced rather than rejected.
pub fn score_lines<R: BufRead, W: Write + Send>(
    analyzer: &Analyzer,
    mut input: R,
    output: W,
    threads: usize,
    detect: bool,
) -> io::Result<()> {
    let threads = threads.max(1);
    if threads == 1 {
        let mut output = io::BufWriter::new(output);
        let mut out = Vec::new();
        while let Some(block) = read_block(&mut input, 0)? {
            out.clear();
            score_into(analyzer, detect, block.texts(), &mut out);
            output.write_all(&out)?;
        }
        return output.flush();
    }

    // The main thread reads blocks and hands them to the workers; each
    // worker scores whole blocks; a writer puts the results back in order.
    // Reading, scoring and writing overlap.
    let (block_tx, block_rx) = mpsc::sync_channel::<Block>(threads * 2);
    let block_rx = Mutex::new(block_rx);
    let (out_tx, out_rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(threads * 2);
    std::thread::scope(|scope| -> io::Result<()> {
        for _ in 0..threads {
            let (analyzer, block_rx, out_tx) = (&analyzer, &block_rx, out_tx.clone());
            scope.spawn(move || loop {
                let next = block_rx.lock().map(|rx| rx.recv());
                let Ok(Ok(block)) = next else { break };
                let mut out = Vec::with_capacity(block.buf.len() * 2);
                score_into(analyzer, detect, block.texts(), &mut out);
                if out_tx.send((block.number, out)).is_err() {
                    break;
                }
            });
        }
        drop(out_tx);
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut output = io::BufWriter::new(output);
            let mut pending = BTreeMap::new();
            let mut next = 0;
            for (number, out) in out_rx {
                pending.insert(number, out);
                while let Some(out) = pending.remove(&next) {
                    output.write_all(&out)?;
                    next += 1;
                }
            }
            output.flush()
        });
        let mut number = 0;
        while let Some(block) = read_block(&mut input, number)? {
            if block_tx.send(block).is_err() {
                break;
            }
            number += 1;
        }
        drop(block_tx);
        writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer thread panicked")))
    })
}

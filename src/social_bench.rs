//! `somu bench social-import --posts N`: write a generic JSONL export of N varied posts (originals,
//! replies, reposts, mentions, emoji, several languages of punctuation and casing) to a temporary
//! directory, then import it twice into a fresh SQLite database with the same code path as
//! `somu import social`, reporting posts per second and the peak resident memory (VmHWM).

use crate::demo::Seeded;
use anyhow::{anyhow, Result};
use somu_domain::ids::PersonId;
use somu_social::{Format, ReadOptions, Source};
use somu_store::social::NewLink;
use std::io::Write;
use std::time::Instant;

const PLATFORMS: [(&str, &str); 5] = [
    ("x", ""),
    ("mastodon", "@outdoor.social"),
    ("bluesky", ".bsky.social"),
    ("linkedin", ""),
    ("other", ""),
];

const STARTS: [&str; 14] = [
    "Just finished",
    "Loving",
    "Can't believe",
    "Honestly not sure about",
    "Great morning at",
    "Thread: what I learned from",
    "Quick tip on",
    "Anyone else tired of",
    "So proud of the team for",
    "WOW,",
    "Not bad at all:",
    "Frustrating day with",
    "Reading up on",
    "Big thanks to everyone at",
];
const SUBJECTS: [&str; 16] = [
    "the new trail guide",
    "our winter gear launch",
    "the hiking workshop",
    "the customer service chat",
    "the spring catalogue",
    "a very long delivery wait",
    "the repair café",
    "the beginners' climbing course",
    "our store opening in Ghent",
    "the sustainability report",
    "the return policy",
    "the photo contest",
    "the rain jacket test",
    "community clean-up day",
    "the new app update",
    "the trail running club",
];
const ENDS: [&str; 14] = [
    "Highly recommended!",
    "It was okay, I guess.",
    "Not impressed at all.",
    "Absolutely LOVED it 😍",
    "meh 😐",
    "Would do it again in a heartbeat :)",
    "Terrible experience, never again 😡",
    "Pretty good, but the queue was awful.",
    "Kind of a mixed bag tbh",
    "Best decision this year!!! 🎉🎉",
    "no complaints, no praise",
    "I'm not sure it was worth it...",
    "Sooo good 👍",
    "Disappointed and a bit angry.",
];
const TAGS: [&str; 6] = [
    "#outdoors",
    "#hiking",
    "#gear",
    "#teamwork",
    "#learning",
    "#climbing",
];

/// The generated export: handles of the people's accounts come first so the bench can link them.
struct Generator {
    rng: Seeded,
    people: usize,
    fans: usize,
}

/// The handle of person `person` (or of outside account `fan`) on platform number `platform`.
fn handle(platform: usize, person: Option<usize>, fan: usize) -> String {
    let (code, suffix) = PLATFORMS[platform];
    match (person, code) {
        (Some(p), "mastodon") => format!("@person{p}{suffix}"),
        (Some(p), _) => format!("person{p}{suffix}"),
        (None, "mastodon") => format!("@fan{fan}@mastodon.example"),
        (None, _) => format!("fan{fan}{suffix}"),
    }
}

impl Generator {
    fn text(&mut self, mention: Option<&str>) -> String {
        let mut t = format!(
            "{} {}. {}",
            self.rng.pick(&STARTS),
            self.rng.pick(&SUBJECTS),
            self.rng.pick(&ENDS)
        );
        if self.rng.below(3) == 0 {
            t.push(' ');
            t.push_str(TAGS[self.rng.below(TAGS.len())]);
        }
        if self.rng.below(10) == 0 {
            t.push_str(" https://example.com/p/");
            t.push_str(&self.rng.below(100_000).to_string());
        }
        if let Some(m) = mention {
            t.push(' ');
            t.push_str(m);
        }
        t
    }

    /// One JSON line; `i` numbers the post (ids and times derive from it).
    fn line(&mut self, i: usize, out: &mut Vec<u8>) -> Result<()> {
        let platform = i % PLATFORMS.len();
        let at = 1_735_689_600 + (i as i64) * 29;
        let roll = self.rng.below(100);
        let (person, kind, reply_to) = if roll < 65 {
            (Some(self.rng.below(self.people)), "original", None)
        } else if roll < 92 && i >= PLATFORMS.len() {
            // A reply from an outside account to an earlier post on the same platform.
            let back = PLATFORMS.len() * (1 + self.rng.below(200.min(i / PLATFORMS.len())));
            (None, "reply", Some(format!("p{}", i - back)))
        } else {
            (Some(self.rng.below(self.people)), "repost", None)
        };
        let fan = self.rng.below(self.fans);
        let account = handle(platform, person, fan);
        let mention = (self.rng.below(12) == 0).then(|| handle(platform, None, 0));
        let text = if kind == "repost" {
            String::new()
        } else {
            self.text(mention.as_deref().map(|m| m.trim_start_matches('@')))
        };
        let followers = 50 + self.rng.below(5_000);
        let likes = self.rng.below(1 + followers / 20);
        let impressions = (PLATFORMS[platform].0 == "x" || PLATFORMS[platform].0 == "linkedin")
            .then(|| followers * (1 + self.rng.below(4)));
        let line = serde_json::json!({
            "platform": PLATFORMS[platform].0,
            "account": account,
            "post_id": format!("p{i}"),
            "created_at": somu_domain::time_util::from_unix(at)
                .format(&time::format_description::well_known::Rfc3339)?,
            "kind": kind,
            "text": text,
            "in_reply_to": reply_to,
            "likes": likes,
            "reposts": likes / 4,
            "replies": self.rng.below(5),
            "quotes": self.rng.below(2),
            "impressions": impressions,
            "followers": followers,
            "mentions": mention.into_iter().collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut *out, &line)?;
        out.push(b'\n');
        Ok(())
    }
}

/// Peak resident memory of this process in MB (VmHWM).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Run the benchmark: generate, then import `runs` times.
pub async fn run(posts: usize, people: usize, runs: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench-posts.jsonl");
    let t = Instant::now();
    {
        let mut gen = Generator {
            rng: Seeded::new(0x50c1a1),
            people: people.max(1),
            fans: (posts / 20).max(10),
        };
        let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        let mut buf = Vec::with_capacity(1024);
        for i in 0..posts {
            buf.clear();
            gen.line(i, &mut buf)?;
            file.write_all(&buf)?;
        }
        file.flush()?;
    }
    let size = std::fs::metadata(&path)?.len();
    println!(
        "generated {posts} posts ({:.1} MB of JSONL) in {:.1} s; peak RSS so far {:.0} MB",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        peak_rss_mb().unwrap_or(0.0)
    );
    let bench = crate::bench::setup(people.max(1), true).await?;
    let store = &bench.state.store;
    let org = store
        .org_by_slug(&bench.slug)
        .await?
        .ok_or_else(|| anyhow!("the bench organisation"))?
        .org_id();
    // Link the first people's accounts so posts attach to people as in a real organisation.
    let everyone = store.all_people(org, &Default::default()).await?;
    for (n, person) in everyone.iter().enumerate() {
        for (p, (code, _)) in PLATFORMS.iter().enumerate().take(4) {
            let platform =
                somu_social::Platform::parse(code).unwrap_or(somu_social::Platform::Other);
            let handle = somu_social::normalize_handle(platform, &handle(p, Some(n), 0));
            store
                .link_social_account(
                    org,
                    &NewLink {
                        platform: code,
                        handle: &handle,
                        person: Some(PersonId(person.id)),
                        brand: false,
                        consent_at: Some(1_735_689_600),
                        consent_source: "bulk",
                    },
                )
                .await?;
        }
    }
    for run in 1..=runs.max(1) {
        let bar = crate::social_cli::progress_bar(&format!("run {run}: checking"));
        let progress = crate::social_cli::progress_fn(&bar);
        let t = Instant::now();
        let s = store
            .import_social(
                org,
                Source::File(path.clone()),
                Format::Jsonl,
                ReadOptions::default(),
                &progress,
            )
            .await?;
        bar.finish_and_clear();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "run {run}: {} posts in {secs:.2} s = {:.0} posts/s (check, sentiment and write); {} new, {} updated, {} unchanged; peak RSS {:.0} MB",
            s.posts,
            s.posts as f64 / secs.max(1e-9),
            s.inserted,
            s.updated,
            s.unchanged,
            peak_rss_mb().unwrap_or(0.0)
        );
    }
    Ok(())
}

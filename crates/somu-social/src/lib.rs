//! Social activity exports, read as a stream of posts.
//!
//! One reader per format people actually have: the generic JSON Lines format v1 of PRODUCT.md,
//! an X/Twitter account archive (`tweets.js`), a Mastodon outbox (`outbox.json`), a Bluesky
//! author feed (`app.bsky.feed.getAuthorFeed`) and a LinkedIn `Shares.csv`, each zipped or not.
//! Readers never hold the whole file: they hand posts one at a time to a callback, so a file of
//! several gigabytes is read in bounded memory. Every problem names its place (line or JSON path
//! and field). No database; the store drives the two passes (check, then write). Only [`pull`]
//! talks to the network (live pulls from Mastodon and Bluesky).
#![forbid(unsafe_code)]

mod bluesky;
mod json_stream;
mod jsonl;
mod linkedin;
mod links;
mod mastodon;
pub mod pull;
mod source;
mod text;
mod x;

#[cfg(test)]
mod tests;

pub use links::{parse_links_csv, LinkRow};
pub use source::{Format, Source};
pub use text::{html_to_text, mentions_in};

use somu_domain::FieldError;
use std::fmt;

/// A platform an account lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// X (formerly Twitter).
    X,
    /// LinkedIn.
    Linkedin,
    /// Mastodon (any instance).
    Mastodon,
    /// Bluesky.
    Bluesky,
    /// Anything else, through the generic format.
    Other,
}

impl Platform {
    /// Every platform, in the order forms list them.
    pub const ALL: &'static [Platform] = &[
        Platform::X,
        Platform::Linkedin,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Other,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Platform::X => "x",
            Platform::Linkedin => "linkedin",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::Other => "other",
        }
    }

    /// Parse a code (`twitter` is read as `x`).
    pub fn parse(s: &str) -> Option<Platform> {
        match s.trim().to_ascii_lowercase().as_str() {
            "x" | "twitter" => Some(Platform::X),
            "linkedin" => Some(Platform::Linkedin),
            "mastodon" => Some(Platform::Mastodon),
            "bluesky" | "bsky" => Some(Platform::Bluesky),
            "other" => Some(Platform::Other),
            _ => None,
        }
    }

    /// Whether the platform reports impressions (seen) rather than only potential reach.
    pub fn has_impressions(self) -> bool {
        matches!(self, Platform::X | Platform::Linkedin | Platform::Other)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a post is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    /// Written by the account.
    Original,
    /// An answer to another post.
    Reply,
    /// A boost / retweet / repost of someone else's post.
    Repost,
    /// A repost with a comment.
    Quote,
}

impl PostKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            PostKind::Original => "original",
            PostKind::Reply => "reply",
            PostKind::Repost => "repost",
            PostKind::Quote => "quote",
        }
    }

    /// Parse a stored code.
    pub fn parse(s: &str) -> Option<PostKind> {
        match s {
            "original" => Some(PostKind::Original),
            "reply" => Some(PostKind::Reply),
            "repost" => Some(PostKind::Repost),
            "quote" => Some(PostKind::Quote),
            _ => None,
        }
    }
}

/// One post as an export describes it, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct SocialPost {
    /// Platform.
    pub platform: Platform,
    /// The author's handle, normalised by [`normalize_handle`].
    pub account: String,
    /// The platform's id of the post (unique per account).
    pub post_id: String,
    /// When it was posted (Unix seconds).
    pub created_at: i64,
    /// Original, reply, repost or quote.
    pub kind: PostKind,
    /// Plain text (HTML removed).
    pub text: String,
    /// The post this one answers (the platform's post id).
    pub in_reply_to: Option<String>,
    /// Likes / favourites.
    pub likes: i64,
    /// Reposts / boosts / retweets.
    pub reposts: i64,
    /// Replies received.
    pub replies: i64,
    /// Quotes received.
    pub quotes: i64,
    /// Times seen, when the platform says.
    pub impressions: Option<i64>,
    /// The author's followers when posting, when the export says.
    pub followers: Option<i64>,
    /// Accounts mentioned, normalised.
    pub mentions: Vec<String>,
}

/// What a reader needs beyond the file.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The account the file belongs to, for formats that do not name it (X, LinkedIn); overrides
    /// what a Mastodon or Bluesky file says.
    pub account: Option<String>,
}

/// One item a reader hands over: a post, or a problem at a place.
pub type Item = Result<SocialPost, FieldError>;

/// Normalise a handle for its platform: trimmed, lower case; Mastodon as `@user@host`, others
/// without a leading `@`.
pub fn normalize_handle(platform: Platform, handle: &str) -> String {
    let h = handle.trim().to_lowercase();
    match platform {
        Platform::Mastodon => {
            if h.starts_with('@') {
                h
            } else {
                format!("@{h}")
            }
        }
        _ => h.trim_start_matches('@').to_string(),
    }
}

/// Check a handle typed by a person: 1 to 200 visible characters, no spaces.
pub fn check_handle(platform: Platform, handle: &str) -> Result<String, String> {
    let h = normalize_handle(platform, handle);
    let bare = h.trim_start_matches('@');
    if bare.is_empty() || h.chars().count() > 200 {
        return Err("give a handle of 1 to 200 characters".into());
    }
    if h.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a handle has no spaces".into());
    }
    if platform == Platform::Mastodon && !bare.contains('@') {
        return Err("a Mastodon handle names its server, like @ana@example.social".into());
    }
    Ok(h)
}

/// Parse an RFC 3339 timestamp into Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Read every post of a source in `format`, handing each (or each problem) to `each`; stops early
/// when `each` returns `false`. A problem with the file as a whole comes back as `Err`.
pub fn read(
    source: &Source,
    format: Format,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FieldError> {
    let name = source.name(format);
    source.with_reader(format, |input, companion| match format {
        Format::Jsonl => jsonl::read(input, &name, each),
        Format::XArchive => {
            let account = match &opts.account {
                Some(a) => Some(a.clone()),
                None => companion.and_then(|c| x::account_from(&c)),
            };
            x::read(input, &name, account.as_deref(), each)
        }
        Format::MastodonOutbox => mastodon::read(input, &name, opts.account.as_deref(), each),
        Format::BlueskyFeed => bluesky::read(input, &name, opts.account.as_deref(), each),
        Format::LinkedinShares => linkedin::read(input, &name, opts.account.as_deref(), each),
    })
}

/// A problem at a place in a file.
pub(crate) fn problem(
    field: impl Into<String>,
    code: &'static str,
    message: impl Into<String>,
) -> FieldError {
    FieldError::new(field, code, message)
}

/// A count that may be written as a number or as a string of digits (X archives).
pub(crate) fn count_of(v: Option<&serde_json::Value>) -> Result<i64, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(0),
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .filter(|n| *n >= 0)
            .ok_or_else(|| "give a whole number of 0 or more".to_string()),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| format!("\"{s}\" is not a whole number of 0 or more")),
        Some(other) => Err(format!("{other} is not a whole number")),
    }
}

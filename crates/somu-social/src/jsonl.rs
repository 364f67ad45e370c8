//! The generic social activity format v1 (PRODUCT.md): JSON Lines, one post a line.

use crate::{
    count_of, normalize_handle, parse_rfc3339, problem, Item, Platform, PostKind, SocialPost,
};
use serde::Deserialize;
use serde_json::{Map, Value};
use somu_domain::FieldError;
use std::borrow::Cow;
use std::io::BufRead;

/// Longest line accepted (a post's text is short; this bounds memory on a corrupt file).
const MAX_LINE: usize = 1 << 20;

pub(crate) fn read(
    input: &mut dyn BufRead,
    name: &str,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FieldError> {
    let mut buf = Vec::with_capacity(1024);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = std::io::Read::take(&mut *input, MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| problem(name, "unreadable", format!("cannot read: {e}")))?;
        if n == 0 {
            return Ok(());
        }
        line_no += 1;
        if buf.len() > MAX_LINE {
            each(Err(problem(
                "line",
                "too-long",
                "a line is longer than 1 MiB",
            )
            .at_line(line_no)));
            return Ok(());
        }
        let line = trim_line(&buf);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let keep_going = match parse_line(line) {
            Ok(post) => each(Ok(post)),
            Err(errors) => {
                let mut go = true;
                for e in errors {
                    go = each(Err(e.at_line(line_no)));
                }
                go
            }
        };
        if !keep_going {
            return Ok(());
        }
    }
}

fn trim_line(buf: &[u8]) -> &[u8] {
    let mut line = buf;
    if line.starts_with(b"\xEF\xBB\xBF") {
        line = &line[3..];
    }
    while let [rest @ .., b'\n' | b'\r'] = line {
        line = rest;
    }
    line
}

/// One line of the generic format, every problem listed.
pub(crate) fn parse_line(line: &[u8]) -> Result<SocialPost, Vec<FieldError>> {
    match fast_line(line) {
        Some(post) => Ok(post),
        None => checked_line(line),
    }
}

/// A well-formed line as the typed fast path reads it: strings borrowed from the line, counts as
/// plain numbers. Anything unusual (counts as strings, a numeric post id, a null where a value is
/// required, duplicate keys) fails here and goes to [`checked_line`], which accepts the same
/// lines and names every problem.
#[derive(Deserialize)]
struct FastLine<'a> {
    #[serde(borrow)]
    platform: Cow<'a, str>,
    #[serde(borrow)]
    account: Cow<'a, str>,
    #[serde(borrow)]
    post_id: Cow<'a, str>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow, default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    in_reply_to: Option<Cow<'a, str>>,
    #[serde(default)]
    likes: Option<u64>,
    #[serde(default)]
    reposts: Option<u64>,
    #[serde(default)]
    replies: Option<u64>,
    #[serde(default)]
    quotes: Option<u64>,
    #[serde(default)]
    impressions: Option<u64>,
    followers: u64,
    #[serde(borrow, default)]
    mentions: Option<Vec<Cow<'a, str>>>,
}

/// The line as a post when it is well-formed in the usual way; `None` sends it to the full check.
fn fast_line(line: &[u8]) -> Option<SocialPost> {
    let f: FastLine<'_> = serde_json::from_slice(line).ok()?;
    let present = |s: &Cow<'_, str>| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let count = |n: Option<u64>| i64::try_from(n.unwrap_or(0)).ok();
    let platform = Platform::parse(&present(&f.platform)?)?;
    let account = present(&f.account)?;
    let post_id = present(&f.post_id)?;
    let created_at = parse_rfc3339(&present(&f.created_at)?)?;
    let in_reply_to = match &f.in_reply_to {
        None => None,
        Some(r) => Some(present(r)?),
    };
    let kind = match &f.kind {
        None if in_reply_to.is_some() => PostKind::Reply,
        None => PostKind::Original,
        Some(k) => PostKind::parse(k)?,
    };
    let mut mentions = Vec::new();
    for m in f.mentions.iter().flatten() {
        mentions.push(normalize_handle(platform, &present(m)?));
    }
    Some(SocialPost {
        platform,
        account: normalize_handle(platform, &account),
        post_id,
        created_at,
        kind,
        text: f.text.map(Cow::into_owned).unwrap_or_default(),
        in_reply_to,
        likes: count(f.likes)?,
        reposts: count(f.reposts)?,
        replies: count(f.replies)?,
        quotes: count(f.quotes)?,
        impressions: match f.impressions {
            None => None,
            Some(n) => Some(i64::try_from(n).ok()?),
        },
        followers: Some(i64::try_from(f.followers).ok()?),
        mentions,
    })
}

/// One line through the full check: every problem, each naming its field.
fn checked_line(line: &[u8]) -> Result<SocialPost, Vec<FieldError>> {
    let obj: Map<String, Value> = match serde_json::from_slice(line) {
        Ok(Value::Object(m)) => m,
        Ok(_) => {
            return Err(vec![problem(
                "line",
                "not-object",
                "each line is one JSON object",
            )])
        }
        Err(e) => {
            return Err(vec![problem(
                "line",
                "bad-json",
                format!("not valid JSON: {e}"),
            )])
        }
    };
    let mut errors = Vec::new();
    let text_field = |key: &str, errors: &mut Vec<FieldError>| -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) if key == "post_id" => Some(n.to_string()),
            None | Some(Value::Null) => {
                errors.push(problem(key, "required", format!("{key} is required")));
                None
            }
            Some(_) => {
                errors.push(problem(
                    key,
                    "invalid",
                    format!("{key} must be a non-empty string"),
                ));
                None
            }
        }
    };
    let platform = text_field("platform", &mut errors).and_then(|p| {
        Platform::parse(&p).or_else(|| {
            errors.push(problem(
                "platform",
                "unknown-value",
                format!("\"{p}\" is not one of x, linkedin, mastodon, bluesky, other"),
            ));
            None
        })
    });
    let account = text_field("account", &mut errors);
    let post_id = text_field("post_id", &mut errors);
    let created_at = text_field("created_at", &mut errors).and_then(|t| {
        parse_rfc3339(&t).or_else(|| {
            errors.push(problem(
                "created_at",
                "invalid-date",
                format!("\"{t}\" is not an RFC 3339 time like 2026-03-02T09:14:00Z"),
            ));
            None
        })
    });
    let mut count = |key: &str| match count_of(obj.get(key)) {
        Ok(n) => n,
        Err(m) => {
            errors.push(problem(key, "invalid-number", m));
            0
        }
    };
    let (likes, reposts, replies, quotes) = (
        count("likes"),
        count("reposts"),
        count("replies"),
        count("quotes"),
    );
    let impressions = match obj.get("impressions") {
        None | Some(Value::Null) => None,
        Some(_) => Some(count("impressions")),
    };
    let followers = match obj.get("followers") {
        None | Some(Value::Null) => {
            errors.push(problem("followers", "required", "followers is required"));
            None
        }
        Some(_) => Some(count("followers")),
    };
    let text = match obj.get("text") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            errors.push(problem("text", "invalid", "text must be a string"));
            String::new()
        }
    };
    let in_reply_to = match obj.get("in_reply_to") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.push(problem(
                "in_reply_to",
                "invalid",
                "in_reply_to must be a post id or null",
            ));
            None
        }
    };
    let mut mentions = Vec::new();
    match obj.get("mentions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, m) in items.iter().enumerate() {
                match m.as_str().filter(|s| !s.trim().is_empty()) {
                    Some(s) => mentions.push(s.trim().to_string()),
                    None => errors.push(problem(
                        format!("mentions[{i}]"),
                        "invalid",
                        "each mention is a handle (a string)",
                    )),
                }
            }
        }
        Some(_) => errors.push(problem(
            "mentions",
            "invalid",
            "mentions must be an array of handles",
        )),
    }
    let kind = match obj.get("kind").and_then(Value::as_str) {
        None if in_reply_to.is_some() => PostKind::Reply,
        None => PostKind::Original,
        Some(k) => PostKind::parse(k).unwrap_or_else(|| {
            errors.push(problem(
                "kind",
                "unknown-value",
                format!("\"{k}\" is not one of original, reply, repost, quote"),
            ));
            PostKind::Original
        }),
    };
    match (platform, account, post_id, created_at) {
        (Some(platform), Some(account), Some(post_id), Some(created_at)) if errors.is_empty() => {
            Ok(SocialPost {
                platform,
                account: normalize_handle(platform, &account),
                post_id,
                created_at,
                kind,
                text,
                in_reply_to,
                likes,
                reposts,
                replies,
                quotes,
                impressions,
                followers,
                mentions: mentions
                    .iter()
                    .map(|m| normalize_handle(platform, m))
                    .collect(),
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::{checked_line, fast_line};

    /// Whatever the fast path accepts, the full check accepts with the same post.
    #[test]
    fn the_fast_path_agrees_with_the_full_check() {
        let lines = [
            r#"{"platform":"X","account":" @Ana ","post_id":"1","created_at":"2026-03-02T09:14:00Z","text":" Hi 😀 ","likes":3,"followers":10,"mentions":[" @Bo "]}"#,
            r#"{"platform":"mastodon","account":"ana@m.example","post_id":"2","created_at":"2026-03-02T09:14:00+01:00","in_reply_to":" 1 ","followers":0,"impressions":null,"kind":null}"#,
            r#"{"platform":"bluesky","account":"a.bsky.social","post_id":"3","created_at":"2026-03-02T09:14:00Z","kind":"repost","followers":5,"impressions":7,"quotes":1,"replies":2,"reposts":4}"#,
            r#"{"platform":"x","account":"a","post_id":4,"created_at":"2026-03-02T09:14:00Z","followers":1}"#,
            r#"{"platform":"x","account":"a","post_id":"5","created_at":"2026-03-02T09:14:00Z","followers":"12","likes":"3"}"#,
            r#"{"platform":"x","account":"a","post_id":"6","created_at":"2026-03-02T09:14:00Z","followers":null}"#,
            r#"{"platform":"x","account":"a","post_id":"7","created_at":"2026-03-02T09:14:00Z","followers":1,"in_reply_to":"  "}"#,
            r#"{"platform":"x","account":"a","post_id":"8","created_at":"yesterday","followers":1}"#,
            r#"{"platform":"x","account":"a","post_id":"9","created_at":"2026-03-02T09:14:00Z","followers":1,"likes":-1}"#,
            r#"{"platform":"x","account":"a","post_id":"10","created_at":"2026-03-02T09:14:00Z","followers":1,"likes":1.5}"#,
            r#"{"platform":"x","account":"a","post_id":"11","created_at":"2026-03-02T09:14:00Z","followers":1,"kind":"story"}"#,
            r#"{"platform":"x","account":"a","post_id":"12","created_at":"2026-03-02T09:14:00Z","followers":1,"mentions":["", "b"]}"#,
            r#"{"platform":"x","account":"a","post_id":"13","created_at":"2026-03-02T09:14:00Z","followers":99999999999999999999}"#,
            r#"{"platform":"x","account":"a","post_id":"14","post_id":"15","created_at":"2026-03-02T09:14:00Z","followers":1}"#,
        ];
        let mut fast = 0;
        for line in lines {
            let checked = checked_line(line.as_bytes()).ok();
            if let Some(post) = fast_line(line.as_bytes()) {
                fast += 1;
                assert_eq!(Some(post), checked, "{line}");
            }
            assert_eq!(super::parse_line(line.as_bytes()).ok(), checked, "{line}");
        }
        assert_eq!(fast, 3, "the usual lines take the fast path");
    }
}

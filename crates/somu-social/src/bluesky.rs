//! Bluesky author feed: the JSON of `app.bsky.feed.getAuthorFeed` (`{"feed": [ {"post": …,
//! "reason": …}, … ], "cursor": …}`). A `reasonRepost` entry is the author's repost.

use crate::json_stream::{each_element, get, get_str};
use crate::{
    count_of, mentions_in, normalize_handle, parse_rfc3339, problem, Item, Platform, PostKind,
    SocialPost,
};
use serde_json::Value;
use somu_domain::FieldError;
use std::io::BufRead;

/// The record key at the end of an `at://did/app.bsky.feed.post/rkey` URI.
pub(crate) fn rkey(uri: &str) -> Option<String> {
    uri.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub(crate) fn read(
    input: &mut dyn BufRead,
    name: &str,
    account: Option<&str>,
    each: &mut dyn FnMut(Item) -> bool,
) -> Result<(), FieldError> {
    let found = each_element(input, &["feed"], &mut |i, v| match entry(account, &v) {
        Ok(p) => each(Ok(p)),
        Err((field, m)) => each(Err(problem(format!("feed[{i}].{field}"), "invalid", m))),
    })
    .map_err(|e| problem(name, "bad-json", format!("not a readable author feed: {e}")))?;
    if found {
        Ok(())
    } else {
        Err(problem(
            format!("{name}: feed"),
            "required",
            "an author feed is an object with a feed array (app.bsky.feed.getAuthorFeed)",
        ))
    }
}

/// One feed entry as a post (also used by live pulls).
pub fn entry(account: Option<&str>, v: &Value) -> Result<SocialPost, (&'static str, String)> {
    let p = get(v, "post").ok_or(("post", "every feed entry holds a post".to_string()))?;
    let uri = get_str(p, "uri").ok_or(("post.uri", "every post has a uri".to_string()))?;
    let id = rkey(uri).ok_or(("post.uri", format!("\"{uri}\" is not an at:// post URI")))?;
    let author = get_str(p, "author.handle").ok_or((
        "post.author.handle",
        "every post names its author".to_string(),
    ))?;
    let repost = get_str(v, "reason.$type").is_some_and(|t| t.ends_with("reasonRepost"));
    let handle = match (account, repost) {
        (Some(a), _) => a.to_string(),
        (None, true) => get_str(v, "reason.by.handle")
            .ok_or((
                "reason.by.handle",
                "a repost names who reposted".to_string(),
            ))?
            .to_string(),
        (None, false) => author.to_string(),
    };
    let date_field = if repost {
        "reason.indexedAt"
    } else {
        "post.record.createdAt"
    };
    let date = get_str(v, date_field).ok_or((date_field, "a time is required".to_string()))?;
    let created_at =
        parse_rfc3339(date).ok_or((date_field, format!("\"{date}\" is not an RFC 3339 time")))?;
    let text = get_str(p, "record.text").unwrap_or_default().to_string();
    let in_reply_to = get_str(p, "record.reply.parent.uri").and_then(rkey);
    let counts = |key: &'static str| {
        count_of(get(p, key)).map_err(|m| match key {
            "likeCount" => ("post.likeCount", m),
            "repostCount" => ("post.repostCount", m),
            "replyCount" => ("post.replyCount", m),
            _ => ("post.quoteCount", m),
        })
    };
    let platform = Platform::Bluesky;
    if repost {
        return Ok(SocialPost {
            platform,
            account: normalize_handle(platform, &handle),
            post_id: format!("repost-{id}"),
            created_at,
            kind: PostKind::Repost,
            text: uri.to_string(),
            in_reply_to: None,
            likes: 0,
            reposts: 0,
            replies: 0,
            quotes: 0,
            impressions: None,
            followers: None,
            mentions: Vec::new(),
        });
    }
    let quote =
        get_str(p, "record.embed.$type").is_some_and(|t| t.starts_with("app.bsky.embed.record"));
    Ok(SocialPost {
        platform,
        account: normalize_handle(platform, &handle),
        post_id: id,
        created_at,
        kind: if in_reply_to.is_some() {
            PostKind::Reply
        } else if quote {
            PostKind::Quote
        } else {
            PostKind::Original
        },
        mentions: mentions_in(&text)
            .iter()
            .map(|m| normalize_handle(platform, m))
            .collect(),
        text,
        in_reply_to,
        likes: counts("likeCount")?,
        reposts: counts("repostCount")?,
        replies: counts("replyCount")?,
        quotes: counts("quoteCount")?,
        impressions: None,
        followers: get(p, "author.followersCount").and_then(Value::as_i64),
    })
}

//! The Bluesky AppView's XRPC: `app.bsky.actor.getProfile` (followers),
//! `app.bsky.feed.getAuthorFeed` (newest first, older pages through `cursor`) and
//! `app.bsky.feed.getPostThread` for the replies. Entries are read by the importer's rules.

use super::{encode, shape, trim_base, Http, Page, Profile, PullError};
use crate::json_stream::{get, get_str};
use crate::SocialPost;
use serde_json::Value;

/// `app.bsky.actor.getProfile?actor=`: the DID and followers.
pub async fn profile(http: &Http, base: &str, handle: &str) -> Result<Profile, PullError> {
    let url = format!(
        "{}/xrpc/app.bsky.actor.getProfile?actor={}",
        trim_base(base),
        encode(handle)
    );
    let a = http.get(&url).await?;
    let id = get_str(&a.body, "did")
        .ok_or_else(|| shape(&url, "did".into(), "the profile has no did".into()))?;
    Ok(Profile {
        id: id.to_string(),
        followers: get(&a.body, "followersCount").and_then(Value::as_i64),
    })
}

/// Whether a feed entry is the author's pinned post (shown first whatever its age).
pub fn pinned(entry: &Value) -> bool {
    get_str(entry, "reason.$type").is_some_and(|t| t.ends_with("reasonPin"))
}

/// `app.bsky.feed.getAuthorFeed?actor=&limit=&cursor=`: one page, newest first.
pub async fn feed(
    http: &Http,
    base: &str,
    handle: &str,
    cursor: Option<&str>,
) -> Result<Page, PullError> {
    let mut url = format!(
        "{}/xrpc/app.bsky.feed.getAuthorFeed?actor={}&limit=50",
        trim_base(base),
        encode(handle)
    );
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", encode(c)));
    }
    let a = http.get(&url).await?;
    let list = a
        .body
        .get("feed")
        .and_then(Value::as_array)
        .ok_or_else(|| shape(&url, "feed".into(), "expected a feed array".into()))?;
    let mut page = Page::default();
    for (i, v) in list.iter().enumerate() {
        if pinned(v) {
            continue;
        }
        let p = crate::bluesky::entry(Some(handle), v)
            .map_err(|(f, m)| shape(&url, format!("feed[{i}].{f}"), m))?;
        let uri = get_str(v, "post.uri").unwrap_or_default().to_string();
        page.posts.push((p, uri));
    }
    page.next = if list.is_empty() {
        None
    } else {
        get_str(&a.body, "cursor").map(str::to_string)
    };
    Ok(page)
}

/// `app.bsky.feed.getPostThread?uri=`: the replies below a post, at every depth returned.
pub async fn replies(http: &Http, base: &str, uri: &str) -> Result<Vec<SocialPost>, PullError> {
    let url = format!(
        "{}/xrpc/app.bsky.feed.getPostThread?uri={}&depth=10&parentHeight=0",
        trim_base(base),
        encode(uri)
    );
    let a = http.get(&url).await?;
    let thread = a
        .body
        .get("thread")
        .ok_or_else(|| shape(&url, "thread".into(), "expected a thread".into()))?;
    let mut out = Vec::new();
    let mut stack: Vec<(String, &Value)> = vec![("thread".into(), thread)];
    while let Some((path, node)) = stack.pop() {
        let Some(children) = node.get("replies").and_then(Value::as_array) else {
            continue;
        };
        for (i, child) in children.iter().enumerate() {
            let here = format!("{path}.replies[{i}]");
            // Blocked or deleted replies come as other view types without a post.
            let Some(post) = child.get("post") else {
                continue;
            };
            let entry = serde_json::json!({ "post": post });
            let p = crate::bluesky::entry(None, &entry)
                .map_err(|(f, m)| shape(&url, format!("{here}.{f}"), m))?;
            out.push(p);
            stack.push((here, child));
        }
    }
    Ok(out)
}

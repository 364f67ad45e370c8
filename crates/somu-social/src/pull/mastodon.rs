//! Mastodon's REST API: `accounts/lookup`, `accounts/{id}/statuses` (newest first, older pages
//! through `max_id` from the `Link` header, `since_id` for what is new) and `statuses/{id}/context`
//! for the replies.

use super::http::query_param;
use super::{encode, shape, trim_base, Http, Page, Profile, PullError};
use crate::json_stream::{get, get_str};
use crate::{
    count_of, html_to_text, normalize_handle, parse_rfc3339, Platform, PostKind, SocialPost,
};
use serde_json::Value;

/// `@ana@example.social` → (`ana`, `example.social`).
pub fn split_handle(handle: &str) -> Option<(&str, &str)> {
    let (user, host) = handle.trim_start_matches('@').split_once('@')?;
    (!user.is_empty() && !host.is_empty()).then_some((user, host))
}

/// The address of a Mastodon account's own instance (`https://host`), when the host is a public
/// DNS name: not an IP address, `localhost` or a local-only name, and nothing but letters, digits,
/// dots and hyphens (a handle must not make Somu call into its own network).
pub fn instance_url(handle: &str) -> Option<String> {
    let (_, host) = split_handle(handle)?;
    let host = host.to_ascii_lowercase();
    public_host(&host).then(|| format!("https://{host}"))
}

/// Whether a (lower-case) host is a public DNS name: letters, digits, dots and hyphens with at
/// least one dot, and neither an IP address nor `localhost` nor a local-only name.
pub fn public_host(host: &str) -> bool {
    let name_like = host.contains('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-']);
    let last = host.rsplit('.').next().unwrap_or_default();
    let local = [
        "localhost",
        "local",
        "internal",
        "lan",
        "home",
        "arpa",
        "invalid",
        "test",
    ]
    .contains(&last)
        || last.chars().all(|c| c.is_ascii_digit());
    name_like && !local
}

/// An account's `acct` as a full handle: local accounts (`ana`) get the instance's host.
fn full_handle(acct: &str, host: &str) -> String {
    if acct.contains('@') {
        normalize_handle(Platform::Mastodon, acct)
    } else {
        normalize_handle(Platform::Mastodon, &format!("{acct}@{host}"))
    }
}

/// One Status as a post. `host` completes local handles; `account` (the pulled account) is used
/// for the author when given.
pub fn status(
    v: &Value,
    host: &str,
    account: Option<&str>,
) -> Result<SocialPost, (String, String)> {
    let field = |f: &str, m: &str| (f.to_string(), m.to_string());
    let id = get_str(v, "id").ok_or_else(|| field("id", "every status has an id"))?;
    let date = get_str(v, "created_at").ok_or_else(|| field("created_at", "a time is required"))?;
    let created_at = parse_rfc3339(date)
        .ok_or_else(|| field("created_at", &format!("\"{date}\" is not an RFC 3339 time")))?;
    let author = match account {
        Some(a) => a.to_string(),
        None => full_handle(
            get_str(v, "account.acct")
                .ok_or_else(|| field("account.acct", "every status names its author"))?,
            host,
        ),
    };
    let count = |k: &str| count_of(get(v, k)).map_err(|m| (k.to_string(), m));
    let platform = Platform::Mastodon;
    let followers = get(v, "account.followers_count").and_then(Value::as_i64);
    if let Some(boosted) = get(v, "reblog") {
        let url = get_str(boosted, "url")
            .or_else(|| get_str(boosted, "uri"))
            .unwrap_or_default();
        return Ok(SocialPost {
            platform,
            account: author,
            post_id: id.to_string(),
            created_at,
            kind: PostKind::Repost,
            text: url.to_string(),
            in_reply_to: None,
            likes: 0,
            reposts: 0,
            replies: 0,
            quotes: 0,
            impressions: None,
            followers,
            mentions: Vec::new(),
        });
    }
    let in_reply_to = get_str(v, "in_reply_to_id").map(str::to_string);
    let mentions = get(v, "mentions")
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .filter_map(|m| get_str(m, "acct"))
                .map(|a| full_handle(a, host))
                .collect()
        })
        .unwrap_or_default();
    Ok(SocialPost {
        platform,
        account: author,
        post_id: id.to_string(),
        created_at,
        kind: if in_reply_to.is_some() {
            PostKind::Reply
        } else {
            PostKind::Original
        },
        text: html_to_text(get_str(v, "content").unwrap_or_default()),
        in_reply_to,
        likes: count("favourites_count")?,
        reposts: count("reblogs_count")?,
        replies: count("replies_count")?,
        quotes: 0,
        impressions: None,
        followers,
        mentions,
    })
}

/// `GET /api/v1/accounts/lookup?acct=`: the account's id and followers.
pub async fn lookup(http: &Http, base: &str, handle: &str) -> Result<Profile, PullError> {
    let acct = handle.trim_start_matches('@');
    let url = format!(
        "{}/api/v1/accounts/lookup?acct={}",
        trim_base(base),
        encode(acct)
    );
    let a = http.get(&url).await?;
    let id = get_str(&a.body, "id")
        .ok_or_else(|| shape(&url, "id".into(), "the account has no id".into()))?;
    Ok(Profile {
        id: id.to_string(),
        followers: get(&a.body, "followers_count").and_then(Value::as_i64),
    })
}

/// `GET /api/v1/accounts/{id}/statuses`: one page, newest first. `since` keeps only statuses newer
/// than that id; `max_id` starts below that id (the next page).
pub async fn statuses(
    http: &Http,
    base: &str,
    handle: &str,
    account_id: &str,
    since: Option<&str>,
    max_id: Option<&str>,
) -> Result<Page, PullError> {
    let host = split_handle(handle).map(|(_, h)| h).unwrap_or_default();
    let mut url = format!(
        "{}/api/v1/accounts/{}/statuses?limit=40",
        trim_base(base),
        encode(account_id)
    );
    if let Some(s) = since {
        url.push_str(&format!("&since_id={}", encode(s)));
    }
    if let Some(m) = max_id {
        url.push_str(&format!("&max_id={}", encode(m)));
    }
    let a = http.get(&url).await?;
    let list = a
        .body
        .as_array()
        .ok_or_else(|| shape(&url, "$".into(), "expected an array of statuses".into()))?;
    let mut page = Page::default();
    for (i, v) in list.iter().enumerate() {
        let p =
            status(v, host, Some(handle)).map_err(|(f, m)| shape(&url, format!("[{i}].{f}"), m))?;
        let key = p.post_id.clone();
        page.posts.push((p, key));
    }
    // Only the max_id of the next page is kept: pages are always asked of the configured server.
    page.next = if page.posts.is_empty() {
        None
    } else {
        a.next.as_deref().and_then(|n| query_param(n, "max_id"))
    };
    Ok(page)
}

/// `GET /api/v1/statuses/{id}/context`: the replies below a status (its descendants).
pub async fn replies(
    http: &Http,
    base: &str,
    handle: &str,
    status_id: &str,
) -> Result<Vec<SocialPost>, PullError> {
    let host = split_handle(handle).map(|(_, h)| h).unwrap_or_default();
    let url = format!(
        "{}/api/v1/statuses/{}/context",
        trim_base(base),
        encode(status_id)
    );
    let a = http.get(&url).await?;
    let list = a
        .body
        .get("descendants")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            shape(
                &url,
                "descendants".into(),
                "expected an array of statuses".into(),
            )
        })?;
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            status(v, host, None).map_err(|(f, m)| shape(&url, format!("descendants[{i}].{f}"), m))
        })
        .collect()
}

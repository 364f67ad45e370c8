//! Mastodon account archive: `outbox.json`, an ActivityPub `OrderedCollection` whose
//! `orderedItems` are `Create` activities (posts: HTML `content`, `likes`/`shares` totals,
//! `inReplyTo`, `Mention` tags) and `Announce` activities (boosts).

use crate::json_stream::{each_element, get, get_str};
use crate::{
    count_of, html_to_text, normalize_handle, parse_rfc3339, problem, Item, Platform, PostKind,
    SocialPost,
};
use serde_json::Value;
use somu_domain::FieldError;
use std::io::BufRead;

/// `https://example.social/users/ana` → `@ana@example.social`.
pub(crate) fn handle_from_actor(actor: &str) -> Option<String> {
    let rest = actor
        .strip_prefix("https://")
        .or_else(|| actor.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let user = path
        .strip_prefix("users/")
        .or_else(|| path.strip_prefix('@'))?;
    let user = user.split('/').next().filter(|u| !u.is_empty())?;
    Some(format!("@{user}@{host}"))
}

/// The last path segment of a status URL (`…/statuses/1093` or `…/statuses/1093/activity`).
pub(crate) fn status_id(url: &str) -> Option<String> {
    let url = url.trim_end_matches('/').trim_end_matches("/activity");
    url.rsplit('/')
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
    let account = account.map(|a| normalize_handle(Platform::Mastodon, a));
    let found = each_element(input, &["orderedItems"], &mut |i, v| match activity(
        account.as_deref(),
        &v,
    ) {
        Ok(Some(p)) => each(Ok(p)),
        Ok(None) => true,
        Err((field, m)) => each(Err(problem(
            format!("orderedItems[{i}].{field}"),
            "invalid",
            m,
        ))),
    })
    .map_err(|e| problem(name, "bad-json", format!("not a readable outbox: {e}")))?;
    if found {
        Ok(())
    } else {
        Err(problem(
            format!("{name}: orderedItems"),
            "required",
            "an outbox is an OrderedCollection with orderedItems",
        ))
    }
}

fn activity(
    account: Option<&str>,
    v: &Value,
) -> Result<Option<SocialPost>, (&'static str, String)> {
    let kind = get_str(v, "type").unwrap_or_default();
    if kind != "Create" && kind != "Announce" {
        return Ok(None);
    }
    let account = match account {
        Some(a) => a.to_string(),
        None => get_str(v, "actor")
            .and_then(handle_from_actor)
            .map(|h| normalize_handle(Platform::Mastodon, &h))
            .ok_or((
                "actor",
                "the actor is not an account URL like https://host/users/name".to_string(),
            ))?,
    };
    let published = get_str(v, "published")
        .or_else(|| get_str(v, "object.published"))
        .ok_or((
            "published",
            "every activity has a published time".to_string(),
        ))?;
    let created_at = parse_rfc3339(published).ok_or((
        "published",
        format!("\"{published}\" is not an RFC 3339 time"),
    ))?;
    if kind == "Announce" {
        let post_id = get_str(v, "id")
            .and_then(status_id)
            .ok_or(("id", "every activity has an id".to_string()))?;
        let target = get_str(v, "object").unwrap_or_default();
        return Ok(Some(SocialPost {
            platform: Platform::Mastodon,
            account,
            post_id,
            created_at,
            kind: PostKind::Repost,
            text: target.to_string(),
            in_reply_to: None,
            likes: 0,
            reposts: 0,
            replies: 0,
            quotes: 0,
            impressions: None,
            followers: None,
            mentions: Vec::new(),
        }));
    }
    let o = get(v, "object").filter(|o| o.is_object()).ok_or((
        "object",
        "a Create activity holds the post as an object".to_string(),
    ))?;
    let post_id = get_str(o, "id")
        .and_then(status_id)
        .ok_or(("object.id", "every post has an id".to_string()))?;
    let in_reply_to = get_str(o, "inReplyTo").and_then(status_id);
    let mentions = get(o, "tag")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter(|t| get_str(t, "type") == Some("Mention"))
                .filter_map(|t| get_str(t, "name"))
                .map(|n| normalize_handle(Platform::Mastodon, n))
                .collect()
        })
        .unwrap_or_default();
    let likes = count_of(get(o, "likes.totalItems")).map_err(|m| ("object.likes.totalItems", m))?;
    let reposts =
        count_of(get(o, "shares.totalItems")).map_err(|m| ("object.shares.totalItems", m))?;
    let replies =
        count_of(get(o, "replies.totalItems")).map_err(|m| ("object.replies.totalItems", m))?;
    Ok(Some(SocialPost {
        platform: Platform::Mastodon,
        account,
        post_id,
        created_at,
        kind: if in_reply_to.is_some() {
            PostKind::Reply
        } else {
            PostKind::Original
        },
        text: html_to_text(get_str(o, "content").unwrap_or_default()),
        in_reply_to,
        likes,
        reposts,
        replies,
        quotes: 0,
        impressions: None,
        followers: None,
        mentions,
    }))
}

//! Demo social activity for Northwind: brand accounts, about half of the people with a linked
//! account, and 12 months of posts, replies, brand mentions and follower counts, more active and
//! better received after each person's training. Training dates come from the learning record
//! (`completed` a track) when the progress demo wrote them, otherwise from the seed.

use super::org::DEMO_SLUG;
use super::Seeded;
use anyhow::Result;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::xapi::{ActivityKind, Verb};
use somu_social::{normalize_handle, Platform, PostKind, SocialPost};
use somu_store::org::PersonFilter;
use somu_store::social::{week_start, NewLink, ScoredPost, SocialWriter};
use somu_store::statements::StatementFilter;
use somu_web::AppState;
use std::collections::HashMap;

const WEEK: i64 = 7 * 86_400;
const WEEKS: i64 = 52;

const BRANDS: [(Platform, &str); 4] = [
    (Platform::X, "northwindoutdoor"),
    (Platform::Linkedin, "northwind-outdoor"),
    (Platform::Mastodon, "@northwind@outdoor.social"),
    (Platform::Bluesky, "northwind.bsky.social"),
];

const OPENERS: [&str; 10] = [
    "Just back from",
    "Spent the morning at",
    "Proud of the team behind",
    "Some thoughts on",
    "Quick update from",
    "Really enjoyed",
    "Lessons learned at",
    "Behind the scenes of",
    "Honest review of",
    "Still thinking about",
];
const TOPICS: [&str; 12] = [
    "our spring trail clean-up",
    "the new waterproof range",
    "the Lake District store opening",
    "a customer workshop on layering",
    "our repair-not-replace programme",
    "the warehouse move",
    "a long day of returns",
    "the winter catalogue shoot",
    "the volunteer day with the mountain rescue team",
    "our first kids' camping weekend",
    "the new recycled fleece",
    "a supplier visit in Porto",
];
const GOOD: [&str; 8] = [
    "Great people, great day!",
    "Thank you all, it was brilliant.",
    "Loved every minute of it.",
    "Really proud of what we built together.",
    "Happy customers make happy teams :)",
    "Wonderful feedback so far, thanks everyone!",
    "Such a good reminder of why we do this.",
    "Excellent work by everyone involved.",
];
const FLAT: [&str; 6] = [
    "More soon.",
    "Details on our site.",
    "Photos below.",
    "Here is what we did.",
    "Notes in the thread.",
    "Next one is in May.",
];
const BAD: [&str; 5] = [
    "Not our best day, honestly.",
    "Long queues and a broken till, sorry to everyone who waited.",
    "Tired and a bit frustrated, but we learned a lot.",
    "The weather ruined half of it.",
    "Disappointed the delivery was late again.",
];
const REPLIES: [&str; 10] = [
    "Love this, thanks for sharing!",
    "Great work, well done.",
    "Where can I sign up?",
    "Is this in the Leeds store too?",
    "Looks amazing!",
    "Not impressed with the new prices, to be honest.",
    "Thanks, very helpful.",
    "My order still has not arrived.",
    "Brilliant idea, more of this please.",
    "Interesting. Any photos?",
];
const FANS: [&str; 12] = [
    "hikerjo",
    "trailmum",
    "peakbagger",
    "wildcampsam",
    "rainjacketreviews",
    "fellrunnerliz",
    "gearnerd",
    "coastpathkim",
    "bothybob",
    "outdoorsy_ola",
    "munrotom",
    "campfirecat",
];

fn fan_handle(platform: Platform, name: &str) -> String {
    let raw = match platform {
        Platform::Mastodon => format!("@{name}@mastodon.example"),
        Platform::Bluesky => format!("{name}.bsky.social"),
        _ => name.to_string(),
    };
    normalize_handle(platform, &raw)
}

fn person_handle(platform: Platform, email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email).replace('.', "_");
    let raw = match platform {
        Platform::Mastodon => format!("@{local}@outdoor.social"),
        Platform::Bluesky => format!("{}.bsky.social", local.replace('_', "-")),
        Platform::Linkedin => local.replace('_', "-"),
        _ => local,
    };
    normalize_handle(platform, &raw)
}

struct Gen {
    rng: Seeded,
    posts: Vec<ScoredPost>,
    next: u64,
}

impl Gen {
    fn text(&mut self, trained: bool) -> String {
        let opener = *self.rng.pick(&OPENERS);
        let topic = *self.rng.pick(&TOPICS);
        let mood = self.rng.below(100);
        let (good, bad) = if trained { (55, 8) } else { (30, 20) };
        let closer = if mood < good {
            *self.rng.pick(&GOOD)
        } else if mood < good + bad {
            *self.rng.pick(&BAD)
        } else {
            *self.rng.pick(&FLAT)
        };
        format!("{opener} {topic}. {closer}")
    }

    #[allow(clippy::too_many_arguments)]
    fn post(
        &mut self,
        platform: Platform,
        account: &str,
        at: i64,
        followers: i64,
        trained: bool,
        brand: Option<&str>,
        mention_brand: bool,
    ) {
        self.next += 1;
        let id = format!("{}{}", at / 60, self.next);
        let mut text = self.text(trained);
        let mut mentions = Vec::new();
        if let (true, Some(b)) = (mention_brand, brand) {
            text.push_str(&format!(" @{}", b.trim_start_matches('@')));
            mentions.push(b.to_string());
        }
        let engagement = if trained { 30 } else { 15 };
        let likes = (followers * (5 + self.rng.below(engagement) as i64)) / 1000;
        let replies = self.rng.below(if trained { 4 } else { 2 }) as i64;
        let impressions = matches!(platform, Platform::X | Platform::Linkedin)
            .then(|| followers * (40 + self.rng.below(160) as i64) / 100);
        self.posts.push(ScoredPost::score(SocialPost {
            platform,
            account: account.to_string(),
            post_id: id.clone(),
            created_at: at,
            kind: PostKind::Original,
            text,
            in_reply_to: None,
            likes,
            reposts: likes / (3 + self.rng.below(5) as i64),
            replies,
            quotes: i64::from(self.rng.below(20) == 0),
            impressions,
            followers: Some(followers),
            mentions,
        }));
        for r in 0..replies {
            let name = *self.rng.pick(&FANS);
            let fan = fan_handle(platform, name);
            self.next += 1;
            let text = (*self.rng.pick(&REPLIES)).to_string();
            self.posts.push(ScoredPost::score(SocialPost {
                platform,
                account: fan,
                post_id: format!("{}{}", at / 60 + 1, self.next),
                created_at: at + 3_600 * (r + 1),
                kind: PostKind::Reply,
                text,
                in_reply_to: Some(id.clone()),
                likes: self.rng.below(4) as i64,
                reposts: 0,
                replies: 0,
                quotes: 0,
                impressions: None,
                followers: Some(50 + self.rng.below(400) as i64),
                mentions: Vec::new(),
            }));
        }
    }
}

/// Add this area's demo data to the demo organisations (which exist when this runs).
pub async fn seed(state: &AppState) -> Result<()> {
    let store = &state.store;
    let Some(org) = store.org_by_slug(DEMO_SLUG).await? else {
        return Ok(());
    };
    let org: OrgId = org.org_id();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let end = week_start(now) + WEEK;
    let start = end - WEEKS * WEEK;
    let mut gen = Gen {
        rng: Seeded::new(20_260_606),
        posts: Vec::new(),
        next: 0,
    };
    let brand: HashMap<Platform, &str> = BRANDS.iter().copied().collect();
    for (platform, handle) in BRANDS {
        store
            .link_social_account(
                org,
                &NewLink {
                    platform: platform.code(),
                    handle,
                    person: None,
                    brand: true,
                    consent_at: None,
                    consent_source: "admin",
                },
            )
            .await?;
    }
    let trained_at = training_dates(state, org).await?;
    let people = store.all_people(org, &PersonFilter::default()).await?;
    let platforms = [
        Platform::Linkedin,
        Platform::X,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Linkedin,
    ];
    for p in &people {
        if gen.rng.below(100) >= 55 {
            continue;
        }
        let platform = *gen.rng.pick(&platforms);
        let handle = person_handle(platform, &p.email);
        let consent_at = start - (gen.rng.below(60) as i64 + 1) * 86_400;
        store
            .link_social_account(
                org,
                &NewLink {
                    platform: platform.code(),
                    handle: &handle,
                    person: Some(PersonId(p.id)),
                    brand: false,
                    consent_at: Some(consent_at),
                    consent_source: "bulk",
                },
            )
            .await?;
        let training = trained_at
            .get(&p.id)
            .copied()
            .unwrap_or_else(|| start + (16 + gen.rng.below(24) as i64) * WEEK);
        let mut followers = 60.0 + gen.rng.below(900) as f64;
        // Posts per week, in tenths: quieter before training, busier after.
        let (before, after) = (3 + gen.rng.below(6), 9 + gen.rng.below(10));
        for week in 0..WEEKS {
            let t = start + week * WEEK;
            let trained = t >= training;
            followers *= if trained { 1.012 } else { 1.003 };
            let rate = if trained { after } else { before };
            let n = rate / 10 + usize::from(gen.rng.below(10) < rate % 10);
            for _ in 0..n {
                let at = t + gen.rng.below(WEEK as usize) as i64;
                if at >= now {
                    continue;
                }
                let mention = gen.rng.below(100) < if trained { 30 } else { 8 };
                gen.post(
                    platform,
                    &handle,
                    at,
                    followers as i64,
                    trained,
                    brand.get(&platform).copied(),
                    mention,
                );
            }
        }
    }
    // Brand accounts post three times a week; fans mention the brand now and then.
    for (platform, handle) in BRANDS {
        let mut followers = 2_000.0 + gen.rng.below(6_000) as f64;
        for week in 0..WEEKS {
            followers *= 1.006;
            let t = start + week * WEEK;
            for _ in 0..3 {
                let at = t + gen.rng.below(WEEK as usize) as i64;
                if at < now {
                    gen.post(platform, handle, at, followers as i64, true, None, false);
                }
            }
            if gen.rng.below(2) == 0 {
                let name = *gen.rng.pick(&FANS);
                let fan = fan_handle(platform, name);
                let at = t + gen.rng.below(WEEK as usize) as i64;
                if at < now {
                    let f = 100 + gen.rng.below(500) as i64;
                    gen.post(platform, &fan, at, f, false, Some(handle), true);
                }
            }
        }
    }
    let mut writer: SocialWriter = store.social_writer(org).await?;
    let posts = std::mem::take(&mut gen.posts);
    let mut batch = Vec::with_capacity(4000);
    for p in posts {
        batch.push(p);
        if batch.len() == 4000 {
            writer.write(store, std::mem::take(&mut batch)).await?;
        }
    }
    writer.write(store, batch).await?;
    Ok(())
}

/// When each person completed a track (their earliest), from the learning record.
async fn training_dates(state: &AppState, org: OrgId) -> Result<HashMap<i64, i64>> {
    let filter = StatementFilter {
        verb: Some(Verb::Completed),
        kind: Some(ActivityKind::Track),
        ..Default::default()
    };
    let mut out: HashMap<i64, i64> = HashMap::new();
    for s in state.store.statements(org, &filter, 100_000).await? {
        let at = out.entry(s.body.person.0).or_insert(s.body.at);
        *at = (*at).min(s.body.at);
    }
    Ok(out)
}

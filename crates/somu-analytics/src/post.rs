//! Per-post metrics: followers(a,t), engagements(p), reach(p), warmth(p).

use crate::metric::{Metric, Reason};
use std::ops::{Add, AddAssign};
use time::OffsetDateTime;

/// The caller's dense key for a social account (the store maps its ids to these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountKey(pub u64);

/// A follower-count snapshot of one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowerSnapshot {
    /// When the count was observed.
    pub at: OffsetDateTime,
    /// Followers at that moment.
    pub followers: u64,
}

/// `followers(a,t)`: the latest follower-count snapshot at or before `t`.
/// Of two snapshots at the same instant the later one in the slice wins.
/// No snapshot at or before `t` → [`Reason::NoFollowers`].
pub fn followers_at(snapshots: &[FollowerSnapshot], t: OffsetDateTime) -> Metric<u64> {
    let mut best: Option<&FollowerSnapshot> = None;
    for s in snapshots.iter().filter(|s| s.at <= t) {
        if best.is_none_or(|b| s.at >= b.at) {
            best = Some(s);
        }
    }
    match best {
        Some(s) => Metric::Value(s.followers),
        None => Metric::NotEnoughData(Reason::NoFollowers),
    }
}

/// Engagement counts of a post by type. Platforms that do not report clicks or saves
/// leave them at 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EngagementCounts {
    /// Likes (favourites, reactions).
    pub likes: u64,
    /// Reposts (boosts, retweets, shares).
    pub reposts: u64,
    /// Replies received.
    pub replies: u64,
    /// Quote posts.
    pub quotes: u64,
    /// Link clicks, where the platform gives them.
    pub clicks: u64,
    /// Saves/bookmarks, where the platform gives them.
    pub saves: u64,
}

impl EngagementCounts {
    /// `engagements(p)` = likes + reposts + replies + quotes + clicks + saves
    /// (saturating, so absurd inputs cannot wrap around).
    pub fn total(&self) -> u64 {
        self.likes
            .saturating_add(self.reposts)
            .saturating_add(self.replies)
            .saturating_add(self.quotes)
            .saturating_add(self.clicks)
            .saturating_add(self.saves)
    }
}

impl Add for EngagementCounts {
    type Output = EngagementCounts;
    fn add(self, o: EngagementCounts) -> EngagementCounts {
        EngagementCounts {
            likes: self.likes.saturating_add(o.likes),
            reposts: self.reposts.saturating_add(o.reposts),
            replies: self.replies.saturating_add(o.replies),
            quotes: self.quotes.saturating_add(o.quotes),
            clicks: self.clicks.saturating_add(o.clicks),
            saves: self.saves.saturating_add(o.saves),
        }
    }
}

impl AddAssign for EngagementCounts {
    fn add_assign(&mut self, o: EngagementCounts) {
        *self = *self + o;
    }
}

/// One post as the metrics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The author's account.
    pub account: AccountKey,
    /// When it was published.
    pub created_at: OffsetDateTime,
    /// Engagements by type.
    pub counts: EngagementCounts,
    /// Impressions, where the platform reports them.
    pub impressions: Option<u64>,
    /// The author's followers at post time.
    pub followers: u64,
    /// Mean sentiment compound (−1…1) of the replies and mentions the post received, if any
    /// were scored (see [`mean_compound`]).
    pub response_sentiment: Option<f64>,
    /// Sentiment compound (−1…1) of the post's own text, if scored.
    pub own_sentiment: Option<f64>,
    /// An original post (not a repost of or a reply to someone else's post).
    pub is_original: bool,
}

/// Which figure a reach value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum ReachKind {
    /// Impressions reported by the platform.
    Impressions,
    /// Followers of the author at post time ("potential reach").
    Potential,
}

/// `reach(p)` with the kind the UI must show beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Reach {
    /// The number of people.
    pub value: u64,
    /// Impressions or potential reach.
    pub kind: ReachKind,
}

impl Post {
    /// `engagements(p)` = likes + reposts + replies + quotes + clicks + saves.
    pub fn engagements(&self) -> u64 {
        self.counts.total()
    }

    /// `reach(p)`: impressions where the platform reports them, else followers of the author
    /// at post time ("potential reach").
    pub fn reach(&self) -> Reach {
        match self.impressions {
            Some(value) => Reach {
                value,
                kind: ReachKind::Impressions,
            },
            None => Reach {
                value: self.followers,
                kind: ReachKind::Potential,
            },
        }
    }

    /// `warmth(p)` = (1 + s)/2 in \[0,1\], s the mean sentiment compound of the replies and
    /// mentions p received, else of p's own text. Non-finite scores count as absent;
    /// scores outside −1…1 are clamped to it. Neither present → [`Reason::NoSentiment`].
    pub fn warmth(&self) -> Metric<f64> {
        let usable = |s: Option<f64>| s.filter(|v| v.is_finite());
        match usable(self.response_sentiment).or(usable(self.own_sentiment)) {
            Some(s) => Metric::Value(warmth_of_compound(s)),
            None => Metric::NotEnoughData(Reason::NoSentiment),
        }
    }
}

/// (1 + s)/2 for a compound s clamped to −1…1.
pub fn warmth_of_compound(s: f64) -> f64 {
    (1.0 + s.clamp(-1.0, 1.0)) / 2.0
}

/// Mean of the finite sentiment compounds; `None` when there is none (so the post's own
/// text is used instead).
pub fn mean_compound(compounds: &[f64]) -> Option<f64> {
    let (sum, n) = compounds
        .iter()
        .filter(|c| c.is_finite())
        .fold((0.0, 0u32), |(s, n), c| (s + c.clamp(-1.0, 1.0), n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use time::macros::datetime;

    /// A post with the given counts, reach inputs and sentiment, for tests.
    pub(crate) fn post(
        likes: u64,
        replies: u64,
        impressions: Option<u64>,
        followers: u64,
        response: Option<f64>,
    ) -> Post {
        Post {
            account: AccountKey(1),
            created_at: datetime!(2026-03-02 09:14 UTC),
            counts: EngagementCounts {
                likes,
                replies,
                ..Default::default()
            },
            impressions,
            followers,
            response_sentiment: response,
            own_sentiment: None,
            is_original: true,
        }
    }

    #[test]
    fn followers_at_takes_latest_snapshot_not_after_t() {
        let s = [
            FollowerSnapshot {
                at: datetime!(2026-03-01 00:00 UTC),
                followers: 800,
            },
            FollowerSnapshot {
                at: datetime!(2026-03-10 00:00 UTC),
                followers: 900,
            },
            FollowerSnapshot {
                at: datetime!(2026-03-05 00:00 UTC),
                followers: 845,
            },
        ];
        // At 8 March the snapshots of 1 and 5 March qualify; 5 March is latest → 845.
        assert_eq!(
            followers_at(&s, datetime!(2026-03-08 00:00 UTC)),
            Metric::Value(845)
        );
        // Exactly at a snapshot's instant counts ("at or before").
        assert_eq!(
            followers_at(&s, datetime!(2026-03-10 00:00 UTC)),
            Metric::Value(900)
        );
        assert_eq!(
            followers_at(&s, datetime!(2026-02-01 00:00 UTC)),
            Metric::NotEnoughData(Reason::NoFollowers)
        );
    }

    #[test]
    fn engagements_sum_every_type() {
        let c = EngagementCounts {
            likes: 12,
            reposts: 3,
            replies: 2,
            quotes: 1,
            clicks: 5,
            saves: 4,
        };
        // 12 + 3 + 2 + 1 + 5 + 4 = 27
        assert_eq!(c.total(), 27);
        let huge = EngagementCounts {
            likes: u64::MAX,
            reposts: 1,
            ..Default::default()
        };
        assert_eq!(huge.total(), u64::MAX);
    }

    #[test]
    fn reach_prefers_impressions_and_says_which() {
        let p = post(1, 0, Some(5000), 845, None);
        assert_eq!(
            p.reach(),
            Reach {
                value: 5000,
                kind: ReachKind::Impressions
            }
        );
        let q = post(1, 0, None, 845, None);
        assert_eq!(
            q.reach(),
            Reach {
                value: 845,
                kind: ReachKind::Potential
            }
        );
    }

    #[test]
    fn warmth_uses_responses_then_own_text() {
        // Responses mean 0.5 → (1 + 0.5)/2 = 0.75, own text ignored.
        let mut p = post(1, 0, None, 10, Some(0.5));
        p.own_sentiment = Some(-1.0);
        assert_eq!(p.warmth(), Metric::Value(0.75));
        // No responses → own text −0.2 → (1 − 0.2)/2 = 0.4.
        p.response_sentiment = None;
        p.own_sentiment = Some(-0.2);
        assert_eq!(p.warmth(), Metric::Value(0.4));
        // NaN response is ignored, falls back to own text.
        p.response_sentiment = Some(f64::NAN);
        assert_eq!(p.warmth(), Metric::Value(0.4));
        p.own_sentiment = None;
        assert_eq!(p.warmth(), Metric::NotEnoughData(Reason::NoSentiment));
        // Out-of-range 3.0 is clamped to 1 → warmth 1.
        p.response_sentiment = Some(3.0);
        assert_eq!(p.warmth(), Metric::Value(1.0));
    }

    #[test]
    fn mean_compound_skips_non_finite() {
        // (0.6 + (−0.2)) / 2 = 0.2; the NaN is not counted.
        let m = mean_compound(&[0.6, f64::NAN, -0.2]).unwrap();
        assert!((m - 0.2).abs() < 1e-12);
        assert_eq!(mean_compound(&[]), None);
    }
}

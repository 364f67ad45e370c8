//! Additive totals over sets of posts, and weekly roll-ups built from them.
//!
//! Every set-level ratio (engagement rate, warmth over a set, warm score) is computed from
//! sums, and sums of disjoint sets add. So the store can keep one [`WeeklyRollup`] per person
//! and week, update it on import, and a dashboard over any team, audience or period adds the
//! roll-ups it needs instead of reading posts. The laws are checked by property tests below.

use crate::metric::{ratio, Metric, Reason};
use crate::period::IsoWeek;
use crate::post::{EngagementCounts, FollowerSnapshot, Post, ReachKind};
use std::ops::{Add, AddAssign};

/// Which figure the reach of a set of posts is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum SetReachKind {
    /// Every post reported impressions.
    Impressions,
    /// No post reported impressions: followers at post time.
    Potential,
    /// Some posts give impressions and others potential reach; the UI must say so.
    Mixed,
}

/// Σ reach(p) over a set, with its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SetReach {
    /// Σ reach(p).
    pub value: u64,
    /// Impressions, potential or mixed.
    pub kind: SetReachKind,
}

/// Additive sums over a set of posts. `totals(A ∪ B) = totals(A) + totals(B)` for
/// disjoint A and B (the warmth sum up to floating-point rounding).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PostTotals {
    /// Number of posts.
    pub posts: u64,
    /// Number of original posts.
    pub original_posts: u64,
    /// Engagements by type, summed.
    pub counts: EngagementCounts,
    /// Σ impressions over posts that report them.
    pub impressions: u64,
    /// Posts that report impressions.
    pub impression_posts: u64,
    /// Σ followers at post time over posts without impressions.
    pub potential: u64,
    /// Posts without impressions.
    pub potential_posts: u64,
    /// Σ engagements(p) × warmth(p) over posts that have a warmth.
    pub warm_engagements: f64,
    /// Σ engagements(p) over posts that have a warmth (the weight of the mean).
    pub warmth_weight: u64,
    /// Posts that have a warmth.
    pub warmth_posts: u64,
}

impl PostTotals {
    /// Totals of one post.
    pub fn of_post(p: &Post) -> PostTotals {
        let reach = p.reach();
        let (impressions, impression_posts, potential, potential_posts) = match reach.kind {
            ReachKind::Impressions => (reach.value, 1, 0, 0),
            ReachKind::Potential => (0, 0, reach.value, 1),
        };
        let eng = p.engagements();
        let (warm_engagements, warmth_weight, warmth_posts) = match p.warmth() {
            Metric::Value(w) => (eng as f64 * w, eng, 1),
            Metric::NotEnoughData(_) => (0.0, 0, 0),
        };
        PostTotals {
            posts: 1,
            original_posts: u64::from(p.is_original),
            counts: p.counts,
            impressions,
            impression_posts,
            potential,
            potential_posts,
            warm_engagements,
            warmth_weight,
            warmth_posts,
        }
    }

    /// Totals of a set of posts.
    pub fn of_posts<'a>(posts: impl IntoIterator<Item = &'a Post>) -> PostTotals {
        posts.into_iter().map(PostTotals::of_post).sum()
    }

    /// Σ engagements(p).
    pub fn engagements(&self) -> u64 {
        self.counts.total()
    }

    /// Σ reach(p) and whether it is impressions, potential reach or mixed.
    /// No posts → [`Reason::NoPosts`].
    pub fn reach(&self) -> Metric<SetReach> {
        let kind = match (self.impression_posts > 0, self.potential_posts > 0) {
            (false, false) => return Metric::NotEnoughData(Reason::NoPosts),
            (true, false) => SetReachKind::Impressions,
            (false, true) => SetReachKind::Potential,
            (true, true) => SetReachKind::Mixed,
        };
        Metric::Value(SetReach {
            value: self.impressions.saturating_add(self.potential),
            kind,
        })
    }

    /// Engagement rate ER = Σ engagements / Σ reach.
    /// No posts → [`Reason::NoPosts`]; zero reach → [`Reason::NoReach`].
    pub fn engagement_rate(&self) -> Metric<f64> {
        self.reach()
            .and_then(|r| ratio(self.engagements() as f64, r.value as f64, Reason::NoReach))
    }

    /// Warmth over the set: the engagement-weighted mean of warmth(p),
    /// Σ eng(p)·warmth(p) / Σ eng(p) over posts that have a warmth.
    /// No posts → NoPosts; no post with a sentiment → NoSentiment; those posts have no
    /// engagements → NoEngagements.
    pub fn warmth(&self) -> Metric<f64> {
        if self.posts == 0 {
            return Metric::NotEnoughData(Reason::NoPosts);
        }
        if self.warmth_posts == 0 {
            return Metric::NotEnoughData(Reason::NoSentiment);
        }
        ratio(
            self.warm_engagements,
            self.warmth_weight as f64,
            Reason::NoEngagements,
        )
    }

    /// Warm score W = ER × warmth. When ER is exactly 0 (reach but no engagements), W is 0
    /// whatever the warmth, since warmth weights engagements and there are none.
    pub fn warm_score(&self) -> Metric<f64> {
        self.engagement_rate().and_then(|er| {
            if er == 0.0 {
                Metric::Value(0.0)
            } else {
                self.warmth().and_then(|w| Metric::finite(er * w))
            }
        })
    }
}

impl Add for PostTotals {
    type Output = PostTotals;
    fn add(self, o: PostTotals) -> PostTotals {
        PostTotals {
            posts: self.posts.saturating_add(o.posts),
            original_posts: self.original_posts.saturating_add(o.original_posts),
            counts: self.counts + o.counts,
            impressions: self.impressions.saturating_add(o.impressions),
            impression_posts: self.impression_posts.saturating_add(o.impression_posts),
            potential: self.potential.saturating_add(o.potential),
            potential_posts: self.potential_posts.saturating_add(o.potential_posts),
            warm_engagements: self.warm_engagements + o.warm_engagements,
            warmth_weight: self.warmth_weight.saturating_add(o.warmth_weight),
            warmth_posts: self.warmth_posts.saturating_add(o.warmth_posts),
        }
    }
}

impl AddAssign for PostTotals {
    fn add_assign(&mut self, o: PostTotals) {
        *self = *self + o;
    }
}

impl std::iter::Sum for PostTotals {
    fn sum<I: Iterator<Item = PostTotals>>(iter: I) -> PostTotals {
        iter.fold(PostTotals::default(), Add::add)
    }
}

/// The roll-up of one person's posts in one ISO week, kept by the store and updated on
/// import. `P` is the caller's person key.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyRollup<P> {
    /// The person.
    pub person: P,
    /// The week.
    pub week: IsoWeek,
    /// Sums over the person's posts in the week.
    pub totals: PostTotals,
    /// The latest follower snapshot seen for the person's accounts in the week, summed
    /// across accounts by the caller if the person has several (a max-by-time, not a sum).
    pub latest_followers: Option<FollowerSnapshot>,
}

/// Two roll-ups for different people or weeks cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("roll-ups of different person-weeks cannot be merged")]
pub struct RollupKeyMismatch;

impl<P: PartialEq + Clone> WeeklyRollup<P> {
    /// An empty roll-up.
    pub fn empty(person: P, week: IsoWeek) -> WeeklyRollup<P> {
        WeeklyRollup {
            person,
            week,
            totals: PostTotals::default(),
            latest_followers: None,
        }
    }

    /// Adds one post of this person-week.
    pub fn add_post(&mut self, p: &Post) {
        self.totals += PostTotals::of_post(p);
    }

    /// Merges a roll-up of a disjoint set of posts of the same person-week. The follower
    /// snapshot kept is the later one (ties: the larger count, so merging is order-free).
    pub fn merge(&mut self, other: &WeeklyRollup<P>) -> Result<(), RollupKeyMismatch> {
        if self.person != other.person || self.week != other.week {
            return Err(RollupKeyMismatch);
        }
        self.totals += other.totals;
        self.latest_followers = match (self.latest_followers, other.latest_followers) {
            (Some(a), Some(b)) => Some(if (b.at, b.followers) > (a.at, a.followers) {
                b
            } else {
                a
            }),
            (a, b) => a.or(b),
        };
        Ok(())
    }

    /// Active person-week: at least one original post in the week.
    pub fn is_active(&self) -> bool {
        self.totals.original_posts > 0
    }
}

/// Rolls one person's posts up by ISO week (UTC), weeks ascending.
pub fn rollups_by_week<'a, P: PartialEq + Clone>(
    person: &P,
    posts: impl IntoIterator<Item = &'a Post>,
) -> Vec<WeeklyRollup<P>> {
    let mut by_week: std::collections::BTreeMap<IsoWeek, PostTotals> = Default::default();
    for p in posts {
        *by_week.entry(IsoWeek::of(p.created_at)).or_default() += PostTotals::of_post(p);
    }
    by_week
        .into_iter()
        .map(|(week, totals)| WeeklyRollup {
            person: person.clone(),
            week,
            totals,
            latest_followers: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::tests::post;
    use proptest::prelude::*;

    #[test]
    fn engagement_rate_warmth_and_warm_score_by_hand() {
        // Post A: 10 likes + 2 replies = 12 engagements, 1000 impressions, responses 0.5
        //   → warmth 0.75.
        // Post B: 4 likes = 4 engagements, no impressions, 600 followers (potential),
        //   responses −0.5 → warmth 0.25.
        let posts = [
            post(10, 2, Some(1000), 5000, Some(0.5)),
            post(4, 0, None, 600, Some(-0.5)),
        ];
        let t = PostTotals::of_posts(&posts);
        // Reach = 1000 + 600 = 1600, mixed kinds.
        assert_eq!(
            t.reach(),
            Metric::Value(SetReach {
                value: 1600,
                kind: SetReachKind::Mixed
            })
        );
        // ER = 16 / 1600 = 0.01.
        assert_eq!(t.engagement_rate(), Metric::Value(0.01));
        // Warmth = (12 × 0.75 + 4 × 0.25) / 16 = (9 + 1) / 16 = 0.625.
        assert_eq!(t.warmth(), Metric::Value(0.625));
        // W = 0.01 × 0.625 = 0.00625.
        let w = t.warm_score().value().unwrap();
        assert!((w - 0.00625).abs() < 1e-15);
    }

    #[test]
    fn empty_and_degenerate_sets_say_why() {
        let none = PostTotals::default();
        assert_eq!(
            none.engagement_rate(),
            Metric::NotEnoughData(Reason::NoPosts)
        );
        assert_eq!(none.warmth(), Metric::NotEnoughData(Reason::NoPosts));
        // A post with 0 impressions and 0 followers: reach 0.
        let zero = PostTotals::of_posts(&[post(3, 0, Some(0), 0, None)]);
        assert_eq!(
            zero.engagement_rate(),
            Metric::NotEnoughData(Reason::NoReach)
        );
        // Engagements but no sentiment anywhere.
        let cold = PostTotals::of_posts(&[post(3, 0, Some(100), 0, None)]);
        assert_eq!(cold.warmth(), Metric::NotEnoughData(Reason::NoSentiment));
        assert_eq!(
            cold.warm_score(),
            Metric::NotEnoughData(Reason::NoSentiment)
        );
        // Sentiment but no engagements: warmth undefined, yet W = ER × … = 0 since ER = 0.
        let quiet = PostTotals::of_posts(&[post(0, 0, Some(100), 0, Some(0.9))]);
        assert_eq!(quiet.warmth(), Metric::NotEnoughData(Reason::NoEngagements));
        assert_eq!(quiet.warm_score(), Metric::Value(0.0));
    }

    #[test]
    fn reach_kind_of_uniform_sets() {
        let imp = PostTotals::of_posts(&[post(1, 0, Some(10), 99, None)]);
        assert_eq!(
            imp.reach().value().map(|r| r.kind),
            Some(SetReachKind::Impressions)
        );
        let pot = PostTotals::of_posts(&[post(1, 0, None, 99, None)]);
        assert_eq!(
            pot.reach().value().map(|r| (r.value, r.kind)),
            Some((99, SetReachKind::Potential))
        );
    }

    #[test]
    fn rollup_merge_checks_keys_and_keeps_latest_followers() {
        use time::macros::datetime;
        let w = IsoWeek::of(datetime!(2026-03-02 00:00 UTC));
        let mut a = WeeklyRollup::empty(1u32, w);
        a.add_post(&post(1, 0, None, 10, None));
        a.latest_followers = Some(FollowerSnapshot {
            at: datetime!(2026-03-03 00:00 UTC),
            followers: 10,
        });
        let mut b = WeeklyRollup::empty(1u32, w);
        b.latest_followers = Some(FollowerSnapshot {
            at: datetime!(2026-03-05 00:00 UTC),
            followers: 12,
        });
        assert_eq!(a.merge(&b), Ok(()));
        assert_eq!(a.latest_followers.map(|s| s.followers), Some(12));
        assert!(a.is_active());
        assert_eq!(
            a.merge(&WeeklyRollup::empty(2u32, w)),
            Err(RollupKeyMismatch)
        );
    }

    #[test]
    fn rollups_by_week_split_on_monday_utc() {
        use time::macros::datetime;
        let mut a = post(1, 0, None, 10, None);
        a.created_at = datetime!(2026-03-08 23:59 UTC); // Sunday, week 10
        let mut b = post(2, 0, None, 10, None);
        b.created_at = datetime!(2026-03-09 00:00 UTC); // Monday, week 11
        let mut c = b.clone();
        c.is_original = false;
        let r = rollups_by_week(&"ana", [&a, &b, &c]);
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].week.year_week(), r[0].totals.posts), ((2026, 10), 1));
        // Week 11: two posts (4 engagements), one of them original.
        assert_eq!((r[1].totals.posts, r[1].totals.original_posts), (2, 1));
        assert_eq!(r[1].totals.engagements(), 4);
    }

    fn arb_post() -> impl Strategy<Value = Post> {
        (
            0u64..1000,
            0u64..50,
            proptest::option::of(0u64..100_000),
            0u64..100_000,
            proptest::option::of(-1.0f64..=1.0),
            proptest::option::of(-1.0f64..=1.0),
            any::<bool>(),
        )
            .prop_map(|(likes, replies, imp, fol, resp, own, orig)| {
                let mut p = post(likes, replies, imp, fol, resp);
                p.own_sentiment = own;
                p.is_original = orig;
                p
            })
    }

    fn close(a: Metric<f64>, b: Metric<f64>) -> bool {
        match (a, b) {
            (Metric::Value(x), Metric::Value(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            (x, y) => x == y,
        }
    }

    proptest! {
        /// totals(A ∪ B) = totals(A) + totals(B) for disjoint A, B, and so every
        /// set metric over the union agrees with the one computed from combined parts.
        #[test]
        fn union_of_disjoint_sets_equals_sum_of_parts(
            a in proptest::collection::vec(arb_post(), 0..20),
            b in proptest::collection::vec(arb_post(), 0..20),
        ) {
            let union: Vec<Post> = a.iter().chain(b.iter()).cloned().collect();
            let whole = PostTotals::of_posts(&union);
            let parts = PostTotals::of_posts(&a) + PostTotals::of_posts(&b);
            prop_assert_eq!(whole.posts, parts.posts);
            prop_assert_eq!(whole.counts, parts.counts);
            prop_assert_eq!(whole.reach(), parts.reach());
            prop_assert_eq!(whole.warmth_weight, parts.warmth_weight);
            prop_assert!(close(whole.engagement_rate(), parts.engagement_rate()));
            prop_assert!(close(whole.warmth(), parts.warmth()));
            prop_assert!(close(whole.warm_score(), parts.warm_score()));
            // Never a non-finite value, whatever the input.
            if let Metric::Value(w) = whole.warm_score() { prop_assert!(w.is_finite()); }
        }

        /// A metric over a period equals the metric over its weeks' roll-ups added up: the
        /// period is the disjoint union of its weeks.
        #[test]
        fn period_totals_equal_sum_of_weekly_rollups(
            posts in proptest::collection::vec((arb_post(), 0i64..(4 * 7 * 86_400)), 0..30),
        ) {
            use time::macros::datetime;
            let start = datetime!(2026-03-02 00:00 UTC);
            let posts: Vec<Post> = posts
                .into_iter()
                .map(|(mut p, s)| { p.created_at = start + time::Duration::seconds(s); p })
                .collect();
            let weekly = rollups_by_week(&1u8, &posts);
            prop_assert!(weekly.len() <= 4);
            let summed: PostTotals = weekly.iter().map(|r| r.totals).sum();
            let whole = PostTotals::of_posts(&posts);
            prop_assert_eq!(summed.counts, whole.counts);
            prop_assert_eq!(summed.reach(), whole.reach());
            prop_assert!(close(summed.engagement_rate(), whole.engagement_rate()));
            prop_assert!(close(summed.warmth(), whole.warmth()));
        }

        /// Roll-ups by week of a set of posts, merged in any split, equal the roll-up of all.
        #[test]
        fn weekly_rollups_merge_like_unions(
            a in proptest::collection::vec(arb_post(), 0..10),
            b in proptest::collection::vec(arb_post(), 0..10),
        ) {
            use time::macros::datetime;
            let w = IsoWeek::of(datetime!(2026-03-02 00:00 UTC));
            let mut ra = WeeklyRollup::empty(7u8, w);
            a.iter().for_each(|p| ra.add_post(p));
            let mut rb = WeeklyRollup::empty(7u8, w);
            b.iter().for_each(|p| rb.add_post(p));
            let mut all = WeeklyRollup::empty(7u8, w);
            a.iter().chain(b.iter()).for_each(|p| all.add_post(p));
            prop_assert_eq!(ra.merge(&rb), Ok(()));
            prop_assert_eq!(ra.totals.original_posts, all.totals.original_posts);
            prop_assert_eq!(ra.is_active(), all.is_active());
            prop_assert!(close(ra.totals.engagement_rate(), all.totals.engagement_rate()));
        }
    }
}

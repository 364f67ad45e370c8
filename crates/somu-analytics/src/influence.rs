//! Audience-level metrics: cold score, influence (Return on Influence), RevPAF, share of
//! voice, democratisation of influence, earned media value.

use crate::metric::{ratio, Metric, Reason};
use crate::money::Money;
use crate::post::{followers_at, EngagementCounts, FollowerSnapshot};
use crate::rollup::PostTotals;
use time::OffsetDateTime;

/// Cold score C: Σ followers of the accounts at the end of the period, with how many
/// accounts were counted and how many had no snapshot yet (they add nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Audience {
    /// Σ followers(a, end).
    pub followers: u64,
    /// Accounts that had a snapshot at or before the end.
    pub accounts_counted: usize,
    /// Accounts without any snapshot at or before the end.
    pub accounts_missing: usize,
}

/// Cold score C = Σ followers(a, end) over the accounts (one snapshot slice per account).
/// No account has a snapshot at or before `end` → [`Reason::NoFollowers`].
pub fn cold_score(accounts: &[&[FollowerSnapshot]], end: OffsetDateTime) -> Metric<Audience> {
    let mut a = Audience {
        followers: 0,
        accounts_counted: 0,
        accounts_missing: 0,
    };
    for snaps in accounts {
        match followers_at(snaps, end) {
            Metric::Value(f) => {
                a.followers = a.followers.saturating_add(f);
                a.accounts_counted += 1;
            }
            Metric::NotEnoughData(_) => a.accounts_missing += 1,
        }
    }
    if a.accounts_counted == 0 {
        Metric::NotEnoughData(Reason::NoFollowers)
    } else {
        Metric::Value(a)
    }
}

/// Influence (Return on Influence) I = C × W, always with C and W (and W's parts) beside it.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Influence {
    /// I = C × W: the warm engagements a post can expect at the current audience.
    pub influence: f64,
    /// Cold score C (audience at the end of the period).
    pub cold: u64,
    /// Warm score W = ER × warmth.
    pub warm: f64,
}

/// I = C × W from the audience C and the posts' totals (for W).
pub fn influence(cold: u64, posts: &PostTotals) -> Metric<Influence> {
    posts.warm_score().and_then(|warm| {
        Metric::finite(cold as f64 * warm).map(|influence| Influence {
            influence,
            cold,
            warm,
        })
    })
}

/// Whose audience RevPAF divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum RevpafScope {
    /// The organisation's brand accounts only (the definition's default).
    BrandOnly,
    /// Brand accounts plus the linked employee accounts.
    BrandAndEmployees,
}

/// Revenue per available fan/follower, with its parts.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RevPaf {
    /// Revenue in currency units per follower.
    pub per_follower: f64,
    /// The revenue of the period.
    pub revenue: Money,
    /// The audience divided by.
    pub audience: u64,
    /// Which accounts the audience covers.
    pub scope: RevpafScope,
}

/// RevPAF = revenue in P / audience of the brand accounts at the end of P (optionally
/// adding linked employee accounts). No revenue entered → NoRevenue; no audience →
/// NoFollowers.
pub fn revpaf(
    revenue: Option<Money>,
    brand_accounts: &[&[FollowerSnapshot]],
    employee_accounts: &[&[FollowerSnapshot]],
    scope: RevpafScope,
    end: OffsetDateTime,
) -> Metric<RevPaf> {
    let Some(revenue) = revenue else {
        return Metric::NotEnoughData(Reason::NoRevenue);
    };
    let brand = cold_score(brand_accounts, end)
        .value()
        .map_or(0, |a| a.followers);
    let staff = match scope {
        RevpafScope::BrandOnly => 0,
        RevpafScope::BrandAndEmployees => cold_score(employee_accounts, end)
            .value()
            .map_or(0, |a| a.followers),
    };
    let audience = brand.saturating_add(staff);
    ratio(revenue.as_units(), audience as f64, Reason::NoFollowers).map(|per_follower| RevPaf {
        per_follower,
        revenue,
        audience,
        scope,
    })
}

/// Who authored a post that mentions the brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthorKind {
    /// One of the organisation's brand accounts.
    Brand,
    /// A linked employee account.
    Employee,
    /// Anyone else.
    Other,
}

/// Share of voice among posts mentioning the brand.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ShareOfVoice {
    /// Posts mentioning the brand.
    pub total: u64,
    /// Share authored by brand accounts.
    pub brand: f64,
    /// Share authored by employees.
    pub employees: f64,
    /// Share authored by everyone else.
    pub others: f64,
}

impl ShareOfVoice {
    /// Democratisation of influence = 1 − brand share.
    pub fn democratisation(&self) -> f64 {
        1.0 - self.brand
    }
}

/// Share of voice: of all posts mentioning the brand in P, the shares authored by brand
/// accounts, employees and everyone else. No posts → NoPosts.
pub fn share_of_voice(authors: impl IntoIterator<Item = AuthorKind>) -> Metric<ShareOfVoice> {
    let (mut b, mut e, mut o) = (0u64, 0u64, 0u64);
    for a in authors {
        match a {
            AuthorKind::Brand => b += 1,
            AuthorKind::Employee => e += 1,
            AuthorKind::Other => o += 1,
        }
    }
    let total = b + e + o;
    if total == 0 {
        return Metric::NotEnoughData(Reason::NoPosts);
    }
    let t = total as f64;
    Metric::Value(ShareOfVoice {
        total,
        brand: b as f64 / t,
        employees: e as f64 / t,
        others: o as f64 / t,
    })
}

/// The organisation's money value of one engagement of each type. `None` = not valued
/// (those engagements add nothing). Somu has no built-in values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EngagementValues {
    /// Value of a like.
    pub like: Option<Money>,
    /// Value of a repost.
    pub repost: Option<Money>,
    /// Value of a reply.
    pub reply: Option<Money>,
    /// Value of a quote.
    pub quote: Option<Money>,
    /// Value of a click.
    pub click: Option<Money>,
    /// Value of a save.
    pub save: Option<Money>,
}

/// Earned media value = Σ engagements by type × the organisation's value per type.
/// No value set at all → NoValues; overflow → NotFinite.
pub fn earned_media_value(counts: &EngagementCounts, values: &EngagementValues) -> Metric<Money> {
    let pairs = [
        (counts.likes, values.like),
        (counts.reposts, values.repost),
        (counts.replies, values.reply),
        (counts.quotes, values.quote),
        (counts.clicks, values.click),
        (counts.saves, values.save),
    ];
    if pairs.iter().all(|(_, v)| v.is_none()) {
        return Metric::NotEnoughData(Reason::NoValues);
    }
    let mut sum = Money::ZERO;
    for (n, v) in pairs {
        if let Some(v) = v {
            match v.checked_mul(n).and_then(|x| sum.checked_add(x)) {
                Some(s) => sum = s,
                None => return Metric::NotEnoughData(Reason::NotFinite),
            }
        }
    }
    Metric::Value(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::tests::post;
    use time::macros::datetime;

    fn snap(followers: u64) -> FollowerSnapshot {
        FollowerSnapshot {
            at: datetime!(2026-03-01 00:00 UTC),
            followers,
        }
    }

    #[test]
    fn cold_score_sums_end_of_period_followers() {
        let (a, b) = ([snap(845)], [snap(155)]);
        let late = [FollowerSnapshot {
            at: datetime!(2026-05-01 00:00 UTC),
            followers: 9,
        }];
        let end = datetime!(2026-04-01 00:00 UTC);
        // 845 + 155 = 1000; the third account's only snapshot is after the end.
        let c = cold_score(&[&a, &b, &late], end);
        assert_eq!(
            c,
            Metric::Value(Audience {
                followers: 1000,
                accounts_counted: 2,
                accounts_missing: 1
            })
        );
        assert_eq!(
            cold_score(&[&late], end),
            Metric::NotEnoughData(Reason::NoFollowers)
        );
    }

    #[test]
    fn influence_is_cold_times_warm() {
        // ER = 12 / 1000 = 0.012, warmth (1 + 0.5)/2 = 0.75 → W = 0.009.
        // C = 2000 → I = 2000 × 0.009 = 18 warm engagements per post.
        let t = PostTotals::of_posts(&[post(10, 2, Some(1000), 500, Some(0.5))]);
        let i = influence(2000, &t).value().unwrap();
        assert_eq!(i.cold, 2000);
        assert!((i.warm - 0.009).abs() < 1e-15);
        assert!((i.influence - 18.0).abs() < 1e-9);
        assert_eq!(
            influence(2000, &PostTotals::default()),
            Metric::NotEnoughData(Reason::NoPosts)
        );
    }

    #[test]
    fn revpaf_brand_only_and_with_employees() {
        let brand = [snap(4000)];
        let staff = [snap(1000)];
        let end = datetime!(2026-04-01 00:00 UTC);
        let rev = Money::from_cents("revenue", 1_000_000).ok(); // 10 000.00
                                                                // 10 000 / 4 000 = 2.50 per follower.
        let r = revpaf(rev, &[&brand], &[&staff], RevpafScope::BrandOnly, end)
            .value()
            .unwrap();
        assert_eq!((r.per_follower, r.audience), (2.5, 4000));
        // With employees: 10 000 / 5 000 = 2.00.
        let r = revpaf(
            rev,
            &[&brand],
            &[&staff],
            RevpafScope::BrandAndEmployees,
            end,
        );
        assert_eq!(r.value().map(|r| r.per_follower), Some(2.0));
        assert_eq!(
            revpaf(None, &[&brand], &[], RevpafScope::BrandOnly, end),
            Metric::NotEnoughData(Reason::NoRevenue)
        );
        assert_eq!(
            revpaf(rev, &[], &[&staff], RevpafScope::BrandOnly, end),
            Metric::NotEnoughData(Reason::NoFollowers)
        );
    }

    #[test]
    fn share_of_voice_and_democratisation() {
        use AuthorKind::*;
        // 1 brand, 2 employees, 1 other of 4 → 0.25 / 0.5 / 0.25; democratisation 0.75.
        let s = share_of_voice([Brand, Employee, Employee, Other])
            .value()
            .unwrap();
        assert_eq!(
            (s.total, s.brand, s.employees, s.others),
            (4, 0.25, 0.5, 0.25)
        );
        assert_eq!(s.democratisation(), 0.75);
        assert_eq!(share_of_voice([]), Metric::NotEnoughData(Reason::NoPosts));
    }

    #[test]
    fn earned_media_value_uses_only_org_values() {
        let c = EngagementCounts {
            likes: 100,
            reposts: 10,
            replies: 5,
            ..Default::default()
        };
        let v = EngagementValues {
            like: Money::from_cents("like", 5).ok(),
            repost: Money::from_cents("repost", 50).ok(),
            ..Default::default()
        };
        // 100 × 0.05 + 10 × 0.50 = 5.00 + 5.00 = 10.00; replies are not valued.
        assert_eq!(
            earned_media_value(&c, &v).map(Money::cents),
            Metric::Value(1000)
        );
        assert_eq!(
            earned_media_value(&c, &EngagementValues::default()),
            Metric::NotEnoughData(Reason::NoValues)
        );
        let huge = EngagementCounts {
            likes: u64::MAX,
            ..Default::default()
        };
        assert_eq!(
            earned_media_value(&huge, &v),
            Metric::NotEnoughData(Reason::NotFinite)
        );
    }
}

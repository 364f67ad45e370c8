//! Synthetic organisations for benchmarks, demos and for checking the estimator: people
//! with audiences, teams and very different baselines, staggered training cohorts (some
//! never trained), noise, seasonality, and a **planted** training effect E = extra original
//! posts per person per week after completion. Engagements and influence follow from posts.
//!
//! Generation is streamed person by person: each person has their own random stream
//! (ChaCha8, stream = person index + 1), so posts can be produced lazily in any amount, and
//! the same seed gives the same organisation on every platform.

use crate::panel::{ActivityPanel, PersonIdx, WeekActivity};
use crate::period::IsoWeek;
use crate::post::{AccountKey, EngagementCounts, Post};
use crate::rollup::PostTotals;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, LogNormal, Normal, Poisson};
use time::Duration;

/// What to generate (`somu bench generate --org SLUG --people N --weeks W --effect E --seed S`).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticParams {
    /// The organisation's slug (used in handles).
    pub org: String,
    /// People.
    pub people: u32,
    /// Weeks observed.
    pub weeks: u32,
    /// Planted effect: extra original posts per person-week after completion.
    pub effect: f64,
    /// Seed.
    pub seed: u64,
    /// First week observed.
    pub first_week: IsoWeek,
    /// Weeks between training classes (cohorts), at least 1.
    pub cohort_every_weeks: u32,
}

impl SyntheticParams {
    /// Parameters with the defaults: observation starts in ISO week 1 of 2026 and a class
    /// completes every 2 weeks.
    pub fn new(org: &str, people: u32, weeks: u32, effect: f64, seed: u64) -> SyntheticParams {
        SyntheticParams {
            org: org.to_owned(),
            people,
            weeks,
            effect,
            seed,
            // ISO week 1 of 2026 always exists; the fallback is unreachable.
            first_week: IsoWeek::new(2026, 1).unwrap_or(IsoWeek::of_date(time::Date::MIN)),
            cohort_every_weeks: 2,
        }
    }
}

/// A parameter that cannot be used, with the field named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntheticError {
    /// `people` must be at least 1.
    #[error("people: must be at least 1")]
    NoPeople,
    /// `weeks` must be 1…520.
    #[error("weeks: must be between 1 and 520")]
    Weeks,
    /// `effect` must be finite and ≥ 0.
    #[error("effect: must be a number of extra posts per week, 0 or more")]
    Effect,
    /// `org` must not be empty.
    #[error("org: must not be empty")]
    Org,
    /// `cohort_every_weeks` must be at least 1.
    #[error("cohort_every_weeks: must be at least 1")]
    CohortSpacing,
}

/// The audience profiles, in the product's order.
pub const AUDIENCES: [&str; 5] = [
    "leadership",
    "management",
    "practitioner",
    "infrastructure",
    "observer",
];

/// One synthetic person.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticPerson {
    /// Index, 0…people−1.
    pub index: u32,
    /// Account handle, e.g. `@p000042@acme.example`.
    pub handle: String,
    /// One of [`AUDIENCES`].
    pub audience: &'static str,
    /// Team number.
    pub team: u32,
    /// Week of completion as an offset from the first week; may lie after the span
    /// (trained later); `None` = never trained.
    pub completion: Option<i64>,
    /// Baseline original posts per week.
    pub base_rate: f64,
    /// Followers at the first week.
    pub followers: u64,
    /// Expected engagements per follower per post.
    pub engagement_rate: f64,
    /// Mean sentiment compound of the replies the person gets.
    pub tone: f64,
    /// Whether the person's platform reports impressions.
    pub reports_impressions: bool,
}

/// A generated post with its author and week.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticPost {
    /// Author (index into [`Synthetic::people`]).
    pub person: u32,
    /// Week offset from the first week.
    pub week: u32,
    /// The post.
    pub post: Post,
}

/// One person's week, summed from their generated posts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonWeek {
    /// Person index.
    pub person: u32,
    /// Week offset.
    pub week: u32,
    /// Sums over the week's posts.
    pub totals: PostTotals,
    /// Followers at the end of the week.
    pub followers: u64,
}

/// A generated organisation: the people are held; posts are streamed.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// The parameters used.
    pub params: SyntheticParams,
    /// The people.
    pub people: Vec<SyntheticPerson>,
}

/// Builds the people of a synthetic organisation (posts come from [`Synthetic::posts`]).
pub fn generate(params: SyntheticParams) -> Result<Synthetic, SyntheticError> {
    if params.people == 0 {
        return Err(SyntheticError::NoPeople);
    }
    if params.weeks == 0 || params.weeks > 520 {
        return Err(SyntheticError::Weeks);
    }
    if !params.effect.is_finite() || params.effect < 0.0 {
        return Err(SyntheticError::Effect);
    }
    if params.org.trim().is_empty() {
        return Err(SyntheticError::Org);
    }
    if params.cohort_every_weeks == 0 {
        return Err(SyntheticError::CohortSpacing);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let weeks = i64::from(params.weeks);
    // Training waves every few weeks, placed where both 8-week windows are observed when the
    // span allows it.
    let waves: Vec<i64> = if weeks >= 17 {
        (8..weeks - 8)
            .step_by(params.cohort_every_weeks as usize)
            .collect()
    } else {
        vec![weeks / 2]
    };
    let teams = (params.people / 12).max(1);
    // Heavy-tailed baselines: medians 2.5 posts/week, 300 followers, 1% engagement.
    let rate = LogNormal::new(2.5f64.ln(), 0.9).map_err(|_| SyntheticError::Effect)?;
    let followers = LogNormal::new(300f64.ln(), 1.3).map_err(|_| SyntheticError::Effect)?;
    let er = LogNormal::new(0.01f64.ln(), 0.6).map_err(|_| SyntheticError::Effect)?;
    let tone = Normal::new(0.2f64, 0.25).map_err(|_| SyntheticError::Effect)?;
    let people = (0..params.people)
        .map(|index| {
            let audience = match rng.gen_range(0..100) {
                0..=4 => AUDIENCES[0],
                5..=19 => AUDIENCES[1],
                20..=79 => AUDIENCES[2],
                80..=89 => AUDIENCES[3],
                _ => AUDIENCES[4],
            };
            let lurker = rng.gen_bool(0.2);
            let completion = match rng.gen_range(0..100) {
                0..=24 => None,
                25..=29 => Some(weeks + rng.gen_range(0..26)),
                _ => Some(waves[rng.gen_range(0..waves.len())]),
            };
            SyntheticPerson {
                index,
                handle: format!("@p{index:06}@{}.example", params.org),
                audience,
                team: rng.gen_range(0..teams),
                completion,
                base_rate: rate.sample(&mut rng).min(40.0) * if lurker { 0.05 } else { 1.0 },
                followers: followers.sample(&mut rng).min(2e6) as u64,
                engagement_rate: er.sample(&mut rng).min(0.2),
                tone: tone.sample(&mut rng).clamp(-0.9, 0.9),
                reports_impressions: rng.gen_bool(0.5),
            }
        })
        .collect();
    Ok(Synthetic { params, people })
}

impl Synthetic {
    /// Every post, person by person and week by week, generated lazily.
    pub fn posts(&self) -> impl Iterator<Item = SyntheticPost> + '_ {
        self.people.iter().flat_map(move |p| {
            let mut gen = PersonGen::new(self, p);
            (0..self.params.weeks).flat_map(move |w| gen.week(w).into_iter())
        })
    }

    /// Every person-week (including weeks without posts), summed from the same posts
    /// [`Synthetic::posts`] yields.
    pub fn person_weeks(&self) -> impl Iterator<Item = PersonWeek> + '_ {
        self.person_weeks_with_posts().map(|(week, _)| week)
    }

    /// Every person-week with its posts, person by person and week by week: one pass for a
    /// writer that stores both.
    pub fn person_weeks_with_posts(
        &self,
    ) -> impl Iterator<Item = (PersonWeek, Vec<SyntheticPost>)> + '_ {
        self.people.iter().flat_map(move |p| {
            let mut gen = PersonGen::new(self, p);
            (0..self.params.weeks).map(move |w| {
                let posts = gen.week(w);
                let week = PersonWeek {
                    person: p.index,
                    week: w,
                    totals: PostTotals::of_posts(posts.iter().map(|s| &s.post)),
                    followers: gen.followers_at(w),
                };
                (week, posts)
            })
        })
    }

    /// The dense activity panel the adoption curve and the estimator read.
    pub fn panel(&self) -> ActivityPanel {
        let mut panel = ActivityPanel::new(self.params.first_week, self.params.weeks as usize);
        panel.reserve(self.people.len());
        for p in &self.people {
            panel.add_person_at_offset(p.completion);
        }
        for pw in self.person_weeks() {
            let a = WeekActivity::from_totals(&pw.totals, pw.followers);
            panel.record_offset(PersonIdx(pw.person as usize), pw.week as usize, a);
        }
        panel
    }
}

/// One person's random stream.
struct PersonGen<'a> {
    s: &'a Synthetic,
    p: &'a SyntheticPerson,
    rng: ChaCha8Rng,
    noise: Option<Gamma<f64>>,
}

impl<'a> PersonGen<'a> {
    fn new(s: &'a Synthetic, p: &'a SyntheticPerson) -> PersonGen<'a> {
        let mut rng = ChaCha8Rng::seed_from_u64(s.params.seed);
        rng.set_stream(u64::from(p.index) + 1);
        // Week-to-week noise with mean 1 (shape 4, scale 0.25).
        PersonGen {
            s,
            p,
            rng,
            noise: Gamma::new(4.0, 0.25).ok(),
        }
    }

    fn followers_at(&self, week: u32) -> u64 {
        // Slow organic growth, 0.3% a week.
        (self.p.followers as f64 * (1.0 + 0.003 * f64::from(week))) as u64
    }

    fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 || !lambda.is_finite() {
            return 0;
        }
        Poisson::new(lambda).map_or(0, |d| d.sample(&mut self.rng) as u64)
    }

    fn week(&mut self, week: u32) -> Vec<SyntheticPost> {
        let iso = self.s.params.first_week.offset(i64::from(week));
        let (_, week_no) = iso.map_or((0, 1), IsoWeek::year_week);
        // Seasonality: a yearly wave plus the end-of-year holiday dip.
        let season = 1.0 + 0.25 * (std::f64::consts::TAU * f64::from(week_no) / 52.0).sin();
        let season = if week_no >= 52 || week_no == 1 {
            season * 0.5
        } else {
            season
        };
        let noise = self.noise.map_or(1.0, |g| g.sample(&mut self.rng));
        let mut originals = self.poisson(self.p.base_rate * season * noise);
        let trained = self.p.completion.is_some_and(|c| i64::from(week) > c);
        if trained {
            originals += self.poisson(self.s.params.effect);
        }
        let others = self.poisson(0.3 * self.p.base_rate * season);
        let followers = self.followers_at(week);
        let monday = iso.map(|w| w.bounds().0);
        let mut out = Vec::with_capacity((originals + others) as usize);
        for i in 0..originals + others {
            let is_original = i < originals;
            let quality = self.noise.map_or(1.0, |g| g.sample(&mut self.rng));
            let mu = followers as f64 * self.p.engagement_rate * quality;
            let counts = EngagementCounts {
                likes: self.poisson(mu * 0.70),
                reposts: self.poisson(mu * 0.10),
                replies: self.poisson(mu * 0.10),
                quotes: self.poisson(mu * 0.03),
                clicks: self.poisson(mu * 0.05),
                saves: self.poisson(mu * 0.02),
            };
            let impressions = self
                .p
                .reports_impressions
                .then(|| (followers as f64 * self.rng.gen_range(0.1..0.6)) as u64);
            let jitter: f64 = self.rng.gen_range(-0.4..0.4);
            let response_sentiment =
                (counts.replies > 0).then_some((self.p.tone + jitter).clamp(-1.0, 1.0));
            let own: f64 = self.rng.gen_range(-0.2..0.6);
            let second = self.rng.gen_range(0..7 * 86_400);
            let created_at = monday.map_or(time::OffsetDateTime::UNIX_EPOCH, |m| {
                m + Duration::seconds(second)
            });
            out.push(SyntheticPost {
                person: self.p.index,
                week,
                post: Post {
                    account: AccountKey(u64::from(self.p.index)),
                    created_at,
                    counts,
                    impressions,
                    followers,
                    response_sentiment,
                    own_sentiment: Some(own),
                    is_original,
                },
            });
        }
        out
    }
}

#[cfg(test)]
#[path = "synthetic_tests.rs"]
mod tests;

//! The reports: one place that loads the plain inputs from the store, hands them to
//! `somu-analytics`, and shapes the results into the stable JSON the API, the command line, the
//! CSV and PDF exports and the pages all show. No metric is computed here.

use somu_analytics::adoption::adoption_curve;
use somu_analytics::effect::{training_effect, EffectOptions, TrainingEffect, WINDOW};
use somu_analytics::evaluation::{evaluate, ProgrammeInputs};
use somu_analytics::influence::{
    earned_media_value, influence, revpaf, EngagementValues, RevpafScope,
};
use somu_analytics::kirkpatrick::TestScores;
use somu_analytics::panel::{ActivityPanel, Outcome, WeekActivity};
use somu_analytics::period::{DateRange, IsoWeek};
use somu_analytics::post::FollowerSnapshot;
use somu_analytics::roi::{BenefitScope, BenefitValues, ProgrammeCosts};
use somu_analytics::rollup::{PostTotals, SetReachKind};
use somu_analytics::{Metric, Money, Reason};
use somu_domain::ids::OrgId;
use somu_store::analytics::{AccountWeek, Inputs};
use somu_store::{Store, StoreError};
use std::collections::{BTreeMap, HashMap};
use time::Date;
use utoipa::ToSchema;

use super::stored;
pub use super::stored::{current, is_ready, refresh, DASHBOARD_REPORTS};

/// The reports Somu produces, by name.
pub const REPORTS: [&str; 6] = [
    "leadership",
    "training-effect",
    "adoption",
    "kirkpatrick",
    "roi",
    "influence",
];

/// A number, or why there is none.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct Num {
    /// The value; absent when there is not enough data.
    pub value: Option<f64>,
    /// Why there is no value: a stable code (`no-posts`, `no-costs`, …).
    pub not_enough_data: Option<String>,
    /// The same reason in plain English.
    pub why: Option<String>,
}

impl Num {
    fn of(m: Metric<f64>) -> Num {
        match m {
            Metric::Value(v) if v.is_finite() => Num {
                value: Some(v),
                not_enough_data: None,
                why: None,
            },
            Metric::Value(_) => Num::missing(Reason::NotFinite),
            Metric::NotEnoughData(r) => Num::missing(r),
        }
    }

    fn missing(r: Reason) -> Num {
        Num {
            value: None,
            not_enough_data: Some(r.code().to_string()),
            why: Some(r.to_string()),
        }
    }

    fn money(m: Metric<Money>) -> Num {
        Num::of(m.map(Money::as_units))
    }
}

/// A date range.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct PeriodJson {
    /// First day (ISO date).
    pub from: String,
    /// Last day, included.
    pub to: String,
}

/// Social activity in a period, with the metrics of PRODUCT.md.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct Social {
    /// Posts of the organisation's people and brand accounts.
    pub posts: u64,
    /// Original posts (not replies or reposts).
    pub original_posts: u64,
    /// Σ engagements.
    pub engagements: u64,
    /// Σ reach.
    pub reach: Num,
    /// `impressions`, `potential` or `mixed`.
    pub reach_kind: Option<String>,
    /// Engagement rate Σ engagements / Σ reach.
    pub engagement_rate: Num,
    /// Engagement-weighted warmth.
    pub warmth: Num,
    /// Cold score: Σ followers of the people's and brand accounts at the end of the period.
    pub cold_score: Num,
    /// Warm score W = ER × warmth.
    pub warm_score: Num,
    /// Influence I = C × W.
    pub influence: Num,
    /// Earned media value (the organisation's currency units).
    pub earned_media_value: Num,
    /// Revenue entered for the months that start in the period.
    pub revenue: Num,
    /// Brand accounts' followers at the end of the period.
    pub brand_audience: Num,
    /// RevPAF (brand accounts).
    pub revpaf: Num,
    /// People with at least one original post in the period.
    pub active_people: u64,
    /// People with a linked account.
    pub linked_people: u64,
}

/// One week of the organisation's activity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct WeekRow {
    /// ISO week, e.g. `2026-W10`.
    pub week: String,
    /// Original posts by people.
    pub posts: u64,
    /// Engagements on people's posts.
    pub engagements: u64,
    /// People active that week.
    pub active_people: u64,
    /// Σ influence of the people that week.
    pub influence: f64,
}

/// The estimated training effect on one outcome.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct EffectRow {
    /// `posts`, `engagements`, `influence`, `active-share`.
    pub outcome: String,
    /// Difference-in-differences per person-week.
    pub effect: f64,
    /// 2.5th percentile of the bootstrap.
    pub low: Option<f64>,
    /// 97.5th percentile.
    pub high: Option<f64>,
    /// `increase`, `decrease` or `unclear` (the interval contains 0).
    pub direction: String,
    /// Trained people's mean before completion.
    pub treated_before: f64,
    /// … and after.
    pub treated_after: f64,
    /// Comparison group's mean over the same weeks before.
    pub comparison_before: f64,
    /// … and after.
    pub comparison_after: f64,
    /// The result in one plain sentence.
    pub sentence: String,
}

/// A completion cohort.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct CohortRow {
    /// Completion week.
    pub week: String,
    /// Trained people.
    pub people: u64,
    /// People compared with.
    pub comparison: u64,
    /// The cohort's effect on original posts per week (absent when skipped).
    pub posts_effect: Option<f64>,
    /// Why the cohort was left out, if it was.
    pub skipped: Option<String>,
}

/// Training effect (difference-in-differences with a 95% bootstrap interval).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct EffectJson {
    /// Why there is no estimate, if there is none.
    pub not_enough_data: Option<String>,
    /// The same in plain English.
    pub why: Option<String>,
    /// Trained people in the estimate.
    pub treated_people: u64,
    /// People compared with.
    pub comparison_people: u64,
    /// Bootstrap resamples.
    pub resamples: u32,
    /// Bootstrap seed.
    pub seed: u64,
    /// One row per outcome.
    pub outcomes: Vec<EffectRow>,
    /// The cohorts, used or skipped.
    pub cohorts: Vec<CohortRow>,
}

/// One week of the adoption curve (k weeks after completion).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct AdoptionRow {
    /// Weeks since completion (−12…12).
    pub k: i64,
    /// Trained people observed at k.
    pub people: u64,
    /// Share active.
    pub active_share: Num,
    /// Mean original posts.
    pub mean_posts: Num,
    /// Mean engagements.
    pub mean_engagements: Num,
    /// Mean influence.
    pub mean_influence: Num,
}

/// Kirkpatrick L1–L4 and Phillips L5 of one programme (a track, or all of them).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct ProgrammeRow {
    /// Track slug; empty for the whole programme.
    pub programme: String,
    /// People who completed it.
    pub trained: u64,
    /// L1: mean survey rating.
    pub l1_rating: Num,
    /// L1: NPS.
    pub l1_nps: Num,
    /// L2: mean post-test minus pre-test score (scaled, as a percentage).
    pub l2_gain: Num,
    /// L2: learners with both tests.
    pub l2_pairs: u64,
    /// L3: share active at week 6.
    pub l3_active_week6: Num,
    /// L3: share active at week 12.
    pub l3_active_week12: Num,
    /// L3: effect on the active share.
    pub l3_effect: Num,
    /// L3: effect on original posts per week.
    pub l3_posts_effect: Num,
    /// L4: effect on influence.
    pub l4_influence_effect: Num,
    /// L4: RevPAF change (this period − comparison period).
    pub l4_revpaf_change: Num,
    /// L5: ROI %.
    pub l5_roi_percent: Num,
    /// L5: benefit-cost ratio.
    pub l5_bcr: Num,
}

/// Phillips L5 inputs and result for the whole programme.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct RoiJson {
    /// Content costs.
    pub content: Num,
    /// Instructor costs.
    pub instructors: Num,
    /// Platform costs.
    pub platform: Num,
    /// Hourly cost of a learner's time.
    pub learner_hourly_cost: Num,
    /// Recorded learning time, minutes.
    pub learning_minutes: u64,
    /// Learner hours cost = hourly cost × recorded time.
    pub learner_hours: Num,
    /// Total costs.
    pub costs: Num,
    /// Benefits: trained people × weeks × Σ effect × value.
    pub benefits: Num,
    /// ROI % = (benefits − costs) / costs × 100.
    pub roi_percent: Num,
    /// 95% interval of ROI %, low end.
    pub roi_percent_low: Option<f64>,
    /// 95% interval of ROI %, high end.
    pub roi_percent_high: Option<f64>,
    /// BCR = benefits / costs.
    pub bcr: Num,
    /// Trained people the benefits count.
    pub trained_people: u64,
    /// Weeks of benefit counted (the weeks of the report period).
    pub horizon_weeks: u32,
}

/// The leadership one-pager's headline numbers.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct Headline {
    /// People who completed a track.
    pub people_trained: u64,
    /// People who hold a certificate.
    pub people_certified: u64,
    /// Share of trained people active 6 weeks after completion.
    pub adoption_week6: Num,
    /// … 12 weeks after.
    pub adoption_week12: Num,
    /// The effect on posts, as a sentence.
    pub effect_sentence: Option<String>,
}

/// A report. Which sections are present depends on its name; the shape of each section is fixed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct Report {
    /// `leadership`, `training-effect`, `adoption`, `kirkpatrick`, `roi` or `influence`.
    pub name: String,
    /// The organisation's slug.
    pub org: String,
    /// The period reported.
    pub period: PeriodJson,
    /// The period before it, of the same length.
    pub comparison_period: PeriodJson,
    /// Headline (leadership).
    pub headline: Option<Headline>,
    /// Social activity in the period (leadership, influence).
    pub social: Option<Social>,
    /// Social activity in the comparison period (leadership, influence).
    pub social_before: Option<Social>,
    /// Weekly trend in the period (leadership, influence).
    pub weeks: Option<Vec<WeekRow>>,
    /// Training effect (leadership, training-effect).
    pub training_effect: Option<EffectJson>,
    /// Adoption curve (leadership, adoption).
    pub adoption: Option<Vec<AdoptionRow>>,
    /// Kirkpatrick and Phillips per programme (kirkpatrick).
    pub programmes: Option<Vec<ProgrammeRow>>,
    /// ROI of the whole programme (leadership, roi).
    pub roi: Option<RoiJson>,
}

/// Everything loaded once for a report.
struct Loaded {
    rows: Vec<AccountWeek>,
    inputs: Inputs,
    /// person → first completion (Unix seconds) per track.
    completions: HashMap<i64, BTreeMap<String, i64>>,
    tests: Vec<somu_store::analytics::TestScore>,
    minutes: u64,
    /// Recorded learning time in the courses of each track, minutes (a course in two tracks
    /// counts for both).
    track_minutes: HashMap<String, u64>,
    certified: u64,
    tracks: Vec<String>,
    /// Survey ratings and NPS scores per track (`""`: all), for L1.
    reactions: BTreeMap<String, somu_store::surveys::Reactions>,
    /// The people's weekly activity, built on first use and shared by every panel of the
    /// report (one per programme).
    activity: std::sync::OnceLock<PeopleActivity>,
}

/// Every person with social activity, in id order, and each of their weeks' post totals and
/// audience at the end of that week: the part of a panel that does not depend on which track's
/// completion it is keyed by.
struct PeopleActivity {
    people: Vec<i64>,
    /// (position in `people`, week start in Unix seconds, totals, audience).
    weeks: Vec<(usize, i64, PostTotals, u64)>,
}

impl PeopleActivity {
    /// From roll-up rows in any order: each person's accounts' rows are summed per week (in
    /// row order) and the audience found as [`followers_at_end`] defines it, account by account,
    /// without a lookup per row.
    fn of(rows: &[AccountWeek]) -> PeopleActivity {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        let sorted = rows
            .windows(2)
            .all(|w| (w[0].account_id, w[0].week_start) <= (w[1].account_id, w[1].week_start));
        if !sorted {
            order.sort_by_key(|&i| (rows[i].account_id, rows[i].week_start));
        }
        // Each account's rows (a run of `order`), grouped by owner.
        let mut accounts: BTreeMap<i64, Vec<(usize, usize)>> = BTreeMap::new();
        let mut start = 0;
        while start < order.len() {
            let account = rows[order[start]].account_id;
            let end = start
                + order[start..]
                    .iter()
                    .take_while(|&&i| rows[i].account_id == account)
                    .count();
            if let Some(p) = rows[order[start]].person_id {
                accounts.entry(p).or_default().push((start, end));
            }
            start = end;
        }
        let mut weeks = Vec::with_capacity(rows.len());
        let mut snaps: Vec<Vec<(i64, u64)>> = Vec::new();
        for (pos, runs) in accounts.values().enumerate() {
            snaps.clear();
            let mut totals: BTreeMap<i64, PostTotals> = BTreeMap::new();
            for &(a, b) in runs {
                let mut s: Vec<(i64, u64)> = order[a..b]
                    .iter()
                    .filter_map(|&i| rows[i].snapshot)
                    .collect();
                s.sort_by_key(|x| x.0);
                snaps.push(s);
                for &i in &order[a..b] {
                    *totals.entry(rows[i].week_start).or_default() += rows[i].totals;
                }
            }
            for (ws, t) in totals {
                let audience = snaps.iter().filter_map(|s| followers_at_end(s, ws)).sum();
                weeks.push((pos, ws, t, audience));
            }
        }
        PeopleActivity {
            people: accounts.into_keys().collect(),
            weeks,
        }
    }
}

/// Report options.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    /// Bootstrap resamples.
    pub resamples: u32,
    /// Bootstrap seed.
    pub seed: u64,
}

impl Default for ReportOptions {
    fn default() -> Self {
        let d = EffectOptions::default();
        ReportOptions {
            resamples: d.resamples,
            seed: d.seed,
        }
    }
}

/// Steps of building a report, for progress displays.
pub const STEPS: u64 = 4;

/// Build the named report for the days `from`…`to`. `progress` is called with the step done
/// (1…[`STEPS`]). Returns `None` for an unknown name.
pub async fn build(
    store: &Store,
    org: OrgId,
    slug: &str,
    name: &str,
    range: DateRange,
    opts: ReportOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Option<Report>, StoreError> {
    if !REPORTS.contains(&name) {
        return Ok(None);
    }
    store.project_all_rollups(org).await?;
    progress(1);
    let key = stored::key(name, range, opts);
    let (stamp, inputs) = stored::stamp(store, org).await?;
    if let Some(rep) = stored::read(store, org, &key, &stamp).await? {
        progress(STEPS);
        return Ok(Some(rep));
    }
    let rep = build_uncached(store, org, slug, name, range, opts, inputs, progress).await?;
    Ok(Some(stored::keep(store, org, &key, stamp, rep).await?))
}

#[allow(clippy::too_many_arguments)]
async fn build_uncached(
    store: &Store,
    org: OrgId,
    slug: &str,
    name: &str,
    range: DateRange,
    opts: ReportOptions,
    inputs: Inputs,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Report, StoreError> {
    let loaded = load(store, org, range, inputs).await?;
    progress(2);
    let before = previous(range);
    let wants = |section: &[&str]| section.contains(&name);
    let social_needed = wants(&["leadership", "influence"]);
    let effect_needed = wants(&[
        "leadership",
        "training-effect",
        "roi",
        "kirkpatrick",
        "adoption",
    ]);
    let panel = whole_panel(&loaded, None, range);
    let effect_opts = EffectOptions {
        resamples: opts.resamples,
        seed: opts.seed,
    };
    let effect = if effect_needed {
        training_effect(&panel, effect_opts)
    } else {
        Metric::NotEnoughData(Reason::NoTrainedPeople)
    };
    progress(3);
    let curve = adoption_curve(&panel);
    let adoption: Vec<AdoptionRow> = curve
        .points
        .iter()
        .map(|p| AdoptionRow {
            k: p.k,
            people: p.people as u64,
            active_share: Num::of(p.active_share),
            mean_posts: Num::of(p.mean_posts),
            mean_engagements: Num::of(p.mean_engagements),
            mean_influence: Num::of(p.mean_influence),
        })
        .collect();
    let at = |k: i64| {
        curve
            .at(k)
            .map_or(Num::missing(Reason::NoPeopleObserved), |p| {
                Num::of(p.active_share)
            })
    };
    let effect_json = effect_json(&effect, effect_opts);
    let trained = loaded.completions.len() as u64;
    let horizon = range.weeks().filter(|w| w.monday() >= range.first).count() as u32;
    let roi = roi_json(&loaded, &effect, trained, horizon);
    let programmes = if wants(&["kirkpatrick"]) {
        Some(programme_rows(&loaded, range, effect_opts, horizon))
    } else {
        None
    };
    progress(4);
    let social_now = social_needed.then(|| social(&loaded, range));
    let social_before = social_needed.then(|| social(&loaded, before));
    let weeks = social_needed.then(|| week_rows(&loaded, range));
    let headline = wants(&["leadership"]).then(|| Headline {
        people_trained: trained,
        people_certified: loaded.certified,
        adoption_week6: at(6),
        adoption_week12: at(12),
        effect_sentence: effect_json
            .outcomes
            .iter()
            .find(|o| o.outcome == Outcome::Posts.code())
            .map(|o| o.sentence.clone()),
    });
    Ok(Report {
        name: name.to_string(),
        org: slug.to_string(),
        period: period_json(range),
        comparison_period: period_json(before),
        headline,
        social: social_now,
        social_before,
        weeks,
        training_effect: wants(&["leadership", "training-effect"]).then_some(effect_json),
        adoption: wants(&["leadership", "adoption"]).then_some(adoption),
        programmes,
        roi: wants(&["leadership", "roi"]).then_some(roi),
    })
}

fn period_json(r: DateRange) -> PeriodJson {
    PeriodJson {
        from: r.first.to_string(),
        to: r.last.to_string(),
    }
}

/// The period of the same length just before `r`.
pub fn previous(r: DateRange) -> DateRange {
    let days = (r.last - r.first).whole_days() + 1;
    let last = r.first.previous_day().unwrap_or(r.first);
    let first = last
        .checked_sub(time::Duration::days(days - 1))
        .unwrap_or(last);
    DateRange::new(first, last).unwrap_or(r)
}

async fn load(
    store: &Store,
    org: OrgId,
    range: DateRange,
    inputs: Inputs,
) -> Result<Loaded, StoreError> {
    let until = range.end_instant().unix_timestamp();
    let rows = store.account_weeks(org, until).await?;
    let mut completions: HashMap<i64, BTreeMap<String, i64>> = HashMap::new();
    let mut tracks: Vec<String> = Vec::new();
    for c in store.track_completions(org).await? {
        if c.at >= until {
            continue;
        }
        if !tracks.contains(&c.track) {
            tracks.push(c.track.clone());
        }
        completions
            .entry(c.person.0)
            .or_default()
            .insert(c.track, c.at);
    }
    tracks.sort();
    let by_course: HashMap<String, u64> = store
        .learning_minutes_by_course(org)
        .await?
        .into_iter()
        .collect();
    let track_minutes = store
        .tracks(org)
        .await?
        .into_iter()
        .map(|t| {
            let m = t.courses.iter().filter_map(|c| by_course.get(c)).sum();
            (t.slug, m)
        })
        .collect();
    Ok(Loaded {
        track_minutes,
        rows,
        inputs,
        completions,
        tests: store.test_scores(org).await?,
        minutes: store.learning_minutes(org).await?,
        certified: store.certified_people(org, until).await?,
        tracks,
        reactions: store.survey_reactions(org).await?,
        activity: std::sync::OnceLock::new(),
    })
}

fn week_of(ws: i64) -> IsoWeek {
    IsoWeek::of(somu_domain::time_util::from_unix(ws))
}

/// Each account's snapshots, oldest first.
fn snapshots(rows: &[AccountWeek]) -> HashMap<i64, Vec<FollowerSnapshot>> {
    unix_snapshots(rows)
        .into_iter()
        .map(|(account, snaps)| {
            let snaps = snaps
                .into_iter()
                .map(|(at, followers)| FollowerSnapshot {
                    at: somu_domain::time_util::from_unix(at),
                    followers,
                })
                .collect();
            (account, snaps)
        })
        .collect()
}

/// Each account's snapshots as (Unix seconds, followers), oldest first, for the many audiences
/// of a panel: integer instants compare cheaply and a binary search finds each one.
fn unix_snapshots(rows: &[AccountWeek]) -> HashMap<i64, Vec<(i64, u64)>> {
    let mut out: HashMap<i64, Vec<(i64, u64)>> = HashMap::new();
    for r in rows {
        if let Some(s) = r.snapshot {
            out.entry(r.account_id).or_default().push(s);
        }
    }
    for snaps in out.values_mut() {
        snaps.sort_by_key(|s| s.0);
    }
    out
}

const WEEK_SECS: i64 = 7 * 86_400;

/// The audience of `accounts` at the last second of the week starting `week_start` (a roll-up
/// row's Monday 00:00 UTC): each account's latest snapshot at or before that instant, as
/// `somu_analytics::post::followers_at` defines it, summed; an account without one counts 0.
fn audience_at(snaps: &HashMap<i64, Vec<(i64, u64)>>, accounts: &[i64], week_start: i64) -> u64 {
    accounts
        .iter()
        .filter_map(|a| followers_at_end(snaps.get(a)?, week_start))
        .sum()
}

/// One account's followers at the last second of the week starting `week_start`: its latest
/// snapshot at or before that instant (`snaps` oldest first).
fn followers_at_end(snaps: &[(i64, u64)], week_start: i64) -> Option<u64> {
    let end = week_start + WEEK_SECS - 1;
    snaps[..snaps.partition_point(|x| x.0 <= end)]
        .last()
        .map(|s| s.1)
}

/// The person × week panel from the first observed week to the end of `range`. With `track`,
/// completion is that track's; otherwise a person's first completion of any track.
fn whole_panel(l: &Loaded, track: Option<&str>, range: DateRange) -> ActivityPanel {
    let last = IsoWeek::of_date(range.last);
    let first = l
        .rows
        .iter()
        .map(|r| r.week_start)
        .min()
        .map_or(last, week_of)
        .min(last);
    let weeks = usize::try_from(last.index() - first.index() + 1).unwrap_or(1);
    let mut panel = ActivityPanel::new(first, weeks);
    let first_start = first.bounds().0.unix_timestamp();
    let activity = l.activity.get_or_init(|| PeopleActivity::of(&l.rows));
    let index: Vec<_> = activity
        .people
        .iter()
        .map(|p| {
            let done = l.completions.get(p).and_then(|m| match track {
                Some(t) => m.get(t).copied(),
                None => m.values().min().copied(),
            });
            panel.add_person(done.map(|at| IsoWeek::of(somu_domain::time_util::from_unix(at))))
        })
        .collect();
    for &(pos, ws, ref t, audience) in &activity.weeks {
        let Ok(offset) = usize::try_from((ws - first_start).div_euclid(WEEK_SECS)) else {
            continue;
        };
        panel.record_offset(index[pos], offset, WeekActivity::from_totals(t, audience));
    }
    panel
}

fn sentence(outcome: Outcome, e: &somu_analytics::effect::OutcomeEffect) -> String {
    let what = match outcome {
        Outcome::Posts => "original posts per week",
        Outcome::Engagements => "engagements per week",
        Outcome::Influence => "influence per week",
        Outcome::ActiveShare => "share of active weeks",
    };
    let (size, dir) = if e.effect >= 0.0 {
        (e.effect, "more")
    } else {
        (-e.effect, "fewer")
    };
    let size = if outcome == Outcome::ActiveShare {
        format!("{:.1} percentage points", size * 100.0)
    } else {
        format!("{size:.2}")
    };
    let dir = if outcome == Outcome::ActiveShare {
        if e.effect >= 0.0 {
            "higher"
        } else {
            "lower"
        }
    } else {
        dir
    };
    let interval = match e.interval {
        Some(i) if outcome == Outcome::ActiveShare => format!(
            "; 95% interval {:.1} to {:.1} points",
            i.low * 100.0,
            i.high * 100.0
        ),
        Some(i) => format!("; 95% interval {:.2} to {:.2}", i.low, i.high),
        None => String::new(),
    };
    format!("Trained people have {size} {dir} {what} than they would have had without training{interval}.")
}

fn effect_json(effect: &Metric<TrainingEffect>, opts: EffectOptions) -> EffectJson {
    match effect {
        Metric::NotEnoughData(r) => EffectJson {
            not_enough_data: Some(r.code().to_string()),
            why: Some(r.to_string()),
            treated_people: 0,
            comparison_people: 0,
            resamples: opts.resamples,
            seed: opts.seed,
            outcomes: Vec::new(),
            cohorts: Vec::new(),
        },
        Metric::Value(t) => {
            let outcomes = Outcome::ALL
                .iter()
                .map(|&o| {
                    let e = t.outcome(o);
                    let s = t.summary(o);
                    EffectRow {
                        outcome: o.code().to_string(),
                        effect: e.effect,
                        low: e.interval.map(|i| i.low),
                        high: e.interval.map(|i| i.high),
                        direction: format!("{:?}", s.direction).to_lowercase(),
                        treated_before: e.treated_before,
                        treated_after: e.treated_after,
                        comparison_before: e.comparison_before,
                        comparison_after: e.comparison_after,
                        sentence: sentence(o, e),
                    }
                })
                .collect();
            let mut cohorts: Vec<CohortRow> = t
                .cohorts
                .iter()
                .map(|c| CohortRow {
                    week: c.week.to_string(),
                    people: c.treated as u64,
                    comparison: c.comparison as u64,
                    posts_effect: c.effect.first().copied(),
                    skipped: None,
                })
                .chain(t.skipped.iter().map(|s| CohortRow {
                    week: s.week.to_string(),
                    people: s.people as u64,
                    comparison: 0,
                    posts_effect: None,
                    skipped: Some(s.reason.to_string()),
                }))
                .collect();
            cohorts.sort_by(|a, b| a.week.cmp(&b.week));
            EffectJson {
                not_enough_data: None,
                why: None,
                treated_people: t.treated_people as u64,
                comparison_people: t.comparison_people as u64,
                resamples: t.resamples,
                seed: t.seed,
                outcomes,
                cohorts,
            }
        }
    }
}

fn money(cents: Option<i64>, field: &str) -> Option<Money> {
    cents.and_then(|c| Money::from_cents(field, c).ok())
}

fn costs_of(l: &Loaded, programme: &str) -> ProgrammeCosts {
    let get = |cat: &str| {
        l.inputs
            .costs
            .iter()
            .find(|(p, c, _)| p == programme && c == cat)
            .and_then(|(_, _, v)| money(Some(*v), cat))
            .unwrap_or(Money::ZERO)
    };
    ProgrammeCosts {
        content: get("content"),
        instructors: get("instructors"),
        platform: get("platform"),
        learner_hourly_cost: get("learner-hourly"),
        learning_minutes: if programme.is_empty() {
            l.minutes
        } else {
            l.track_minutes.get(programme).copied().unwrap_or(0)
        },
    }
}

fn benefit_values(l: &Loaded) -> BenefitValues {
    BenefitValues {
        per_post: money(l.inputs.value("post"), "post"),
        per_engagement: money(l.inputs.value("engagement"), "engagement"),
        per_influence: money(l.inputs.value("influence"), "influence"),
    }
}

fn roi_json(l: &Loaded, effect: &Metric<TrainingEffect>, trained: u64, horizon: u32) -> RoiJson {
    let costs = costs_of(l, "");
    let entered = |cat: &str| match l.inputs.cost(cat) {
        Some(c) => Num::of(Metric::Value(c as f64 / 100.0)),
        None => Num::missing(Reason::NoCosts),
    };
    let total = costs.total().filter(|t| *t != Money::ZERO);
    let r = effect.as_ref().and_then(|e| {
        somu_analytics::roi::roi(
            e,
            &benefit_values(l),
            BenefitScope {
                trained_people: trained,
                horizon_weeks: horizon,
            },
            &costs,
        )
    });
    RoiJson {
        content: entered("content"),
        instructors: entered("instructors"),
        platform: entered("platform"),
        learner_hourly_cost: entered("learner-hourly"),
        learning_minutes: l.minutes,
        learner_hours: Num::money(
            costs
                .learner_hours()
                .map_or(Metric::NotEnoughData(Reason::NotFinite), Metric::Value),
        ),
        costs: Num::money(total.map_or(Metric::NotEnoughData(Reason::NoCosts), Metric::Value)),
        benefits: Num::of(r.map(|r| r.benefits)),
        roi_percent: Num::of(r.map(|r| r.roi_percent)),
        roi_percent_low: r
            .value()
            .and_then(|r| r.roi_percent_interval)
            .map(|i| i.low),
        roi_percent_high: r
            .value()
            .and_then(|r| r.roi_percent_interval)
            .map(|i| i.high),
        bcr: Num::of(r.map(|r| r.bcr)),
        trained_people: trained,
        horizon_weeks: horizon,
    }
}

/// A week belongs to a period when its Monday does, so consecutive periods never share a week.
fn in_range(ws: i64, r: DateRange) -> bool {
    let monday = week_of(ws).monday();
    monday >= r.first && monday <= r.last
}

/// `YYYY-MM` as its first day.
pub fn month_start(month: &str) -> Option<Date> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u8) = (y.parse().ok()?, m.parse().ok()?);
    if y.to_string().len() != 4 || month.len() != 7 {
        return None;
    }
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, 1).ok()
}

fn month_in(month: &str, r: DateRange) -> bool {
    month_start(month).is_some_and(|d| d >= r.first && d <= r.last)
}

fn social(l: &Loaded, r: DateRange) -> Social {
    let end = r.end_instant();
    let snaps = snapshots(&l.rows);
    let mut totals = PostTotals::default();
    let mut active: std::collections::HashSet<i64> = Default::default();
    let mut linked: std::collections::HashSet<i64> = Default::default();
    let mut brand_accounts: Vec<i64> = Vec::new();
    let mut all_accounts: Vec<i64> = Vec::new();
    let mut seen: std::collections::HashSet<i64> = Default::default();
    for row in &l.rows {
        if seen.insert(row.account_id) {
            all_accounts.push(row.account_id);
            if row.brand {
                brand_accounts.push(row.account_id);
            }
        }
        if let Some(p) = row.person_id {
            linked.insert(p);
        }
        if in_range(row.week_start, r) {
            totals += row.totals;
            if let (Some(p), true) = (row.person_id, row.totals.original_posts > 0) {
                active.insert(p);
            }
        }
    }
    let known: Vec<&[FollowerSnapshot]> = all_accounts
        .iter()
        .filter_map(|a| snaps.get(a).map(|v| v.as_slice()))
        .collect();
    let brand: Vec<&[FollowerSnapshot]> = brand_accounts
        .iter()
        .filter_map(|a| snaps.get(a).map(|v| v.as_slice()))
        .collect();
    let cold = somu_analytics::influence::cold_score(&known, end);
    let revenue: Option<i64> = {
        let months: Vec<i64> = l
            .inputs
            .revenue
            .iter()
            .filter(|(m, _)| month_in(m, r))
            .map(|(_, c)| *c)
            .collect();
        (!months.is_empty()).then(|| months.iter().sum())
    };
    let revenue_money = money(revenue, "revenue");
    let rp = revpaf(revenue_money, &brand, &[], RevpafScope::BrandOnly, end);
    let ev = EngagementValues {
        like: money(l.inputs.value("like"), "like"),
        repost: money(l.inputs.value("repost"), "repost"),
        reply: money(l.inputs.value("reply"), "reply"),
        quote: money(l.inputs.value("quote"), "quote"),
        click: money(l.inputs.value("click"), "click"),
        save: money(l.inputs.value("save"), "save"),
    };
    let brand_cold = somu_analytics::influence::cold_score(&brand, end);
    Social {
        posts: totals.posts,
        original_posts: totals.original_posts,
        engagements: totals.engagements(),
        reach: Num::of(totals.reach().map(|r| r.value as f64)),
        reach_kind: totals.reach().value().map(|r| {
            match r.kind {
                SetReachKind::Impressions => "impressions",
                SetReachKind::Potential => "potential",
                SetReachKind::Mixed => "mixed",
            }
            .to_string()
        }),
        engagement_rate: Num::of(totals.engagement_rate()),
        warmth: Num::of(totals.warmth()),
        cold_score: Num::of(cold.map(|a| a.followers as f64)),
        warm_score: Num::of(totals.warm_score()),
        influence: Num::of(
            cold.and_then(|c| influence(c.followers, &totals))
                .map(|i| i.influence),
        ),
        earned_media_value: Num::money(earned_media_value(&totals.counts, &ev)),
        revenue: Num::money(
            revenue_money.map_or(Metric::NotEnoughData(Reason::NoRevenue), Metric::Value),
        ),
        brand_audience: Num::of(brand_cold.map(|a| a.followers as f64)),
        revpaf: Num::of(rp.map(|r| r.per_follower)),
        active_people: active.len() as u64,
        linked_people: linked.len() as u64,
    }
}

fn week_rows(l: &Loaded, r: DateRange) -> Vec<WeekRow> {
    week_rows_of(&l.rows, r)
}

/// Each person's activity in each week of `r` that has any: their accounts' post totals and
/// their influence at the audience they had at the end of the week.
pub fn person_weeks(
    rows: &[AccountWeek],
    r: DateRange,
) -> HashMap<(i64, IsoWeek), (PostTotals, f64)> {
    let snaps = unix_snapshots(rows);
    // Weeks whose Monday falls in the period; both ends are midnights, as Mondays are.
    let midnight = |d: time::Date| d.midnight().assume_utc().unix_timestamp();
    let (first, last) = (midnight(r.first), midnight(r.last));
    let mut person_week: HashMap<(i64, i64), (PostTotals, Vec<i64>)> = HashMap::new();
    for row in rows {
        let Some(p) = row.person_id else { continue };
        if row.week_start < first || row.week_start > last {
            continue;
        }
        let e = person_week.entry((p, row.week_start)).or_default();
        e.0 += row.totals;
        e.1.push(row.account_id);
    }
    let mut weeks: HashMap<i64, IsoWeek> = HashMap::new();
    person_week
        .into_iter()
        .map(|((p, ws), (t, accs))| {
            let audience = audience_at(&snaps, &accs, ws);
            let infl = f64::from(WeekActivity::from_totals(&t, audience).influence);
            let w = *weeks.entry(ws).or_insert_with(|| week_of(ws));
            ((p, w), (t, infl))
        })
        .collect()
}

/// The people's activity per week of `r`: original posts, engagements, active people and
/// influence (every week of the period, zeros included).
pub fn week_rows_of(rows: &[AccountWeek], r: DateRange) -> Vec<WeekRow> {
    let mut by_week: BTreeMap<IsoWeek, (PostTotals, std::collections::HashSet<i64>, f64)> = r
        .weeks()
        .filter(|w| w.monday() >= r.first)
        .map(|w| (w, Default::default()))
        .collect();
    for ((p, w), (t, infl)) in person_weeks(rows, r) {
        if let Some(e) = by_week.get_mut(&w) {
            e.0 += t;
            if t.original_posts > 0 {
                e.1.insert(p);
            }
            e.2 += infl;
        }
    }
    by_week
        .into_iter()
        .map(|(w, (t, active, infl))| WeekRow {
            week: w.to_string(),
            posts: t.original_posts,
            engagements: t.engagements(),
            active_people: active.len() as u64,
            influence: infl,
        })
        .collect()
}

fn programme_rows(
    l: &Loaded,
    range: DateRange,
    opts: EffectOptions,
    horizon: u32,
) -> Vec<ProgrammeRow> {
    let before = previous(range);
    let mut out = Vec::new();
    let revpaf_of = |r: DateRange| {
        let s = social(l, r);
        match (s.revpaf.value, s.revpaf.not_enough_data) {
            (Some(v), _) => Metric::Value(somu_analytics::influence::RevPaf {
                per_follower: v,
                revenue: Money::ZERO,
                audience: 0,
                scope: RevpafScope::BrandOnly,
            }),
            _ => Metric::NotEnoughData(Reason::NoRevenue),
        }
    };
    let (rp_before, rp_after) = (revpaf_of(before), revpaf_of(range));
    let programmes: Vec<Option<&str>> = std::iter::once(None)
        .chain(l.tracks.iter().map(|t| Some(t.as_str())))
        .collect();
    for track in programmes {
        let panel = whole_panel(l, track, range);
        let trained = l
            .completions
            .values()
            .filter(|m| track.is_none_or(|t| m.contains_key(t)))
            .count() as u64;
        let tests: Vec<TestScores> = test_pairs(l, track);
        let reaction = l
            .reactions
            .get(track.unwrap_or(""))
            .cloned()
            .unwrap_or_default();
        let ev = evaluate(&ProgrammeInputs {
            ratings: &reaction.ratings,
            nps_scores: &reaction.nps_scores,
            tests: &tests,
            panel: &panel,
            effect_options: opts,
            revpaf_before: rp_before,
            revpaf_after: rp_after,
            values: benefit_values(l),
            scope: BenefitScope {
                trained_people: trained,
                horizon_weeks: horizon,
            },
            costs: costs_of(l, track.unwrap_or("")),
        });
        let effect_of = |o: Outcome| Num::of(ev.effect.as_ref().map(|e| e.outcome(o).effect));
        out.push(ProgrammeRow {
            programme: track.unwrap_or("").to_string(),
            trained,
            l1_rating: Num::of(ev.reaction.mean_rating),
            l1_nps: Num::of(ev.reaction.nps),
            l2_gain: Num::of(ev.learning.map(|g| g.mean_gain)),
            l2_pairs: ev.learning.value().map_or(0, |g| g.pairs as u64),
            l3_active_week6: Num::of(ev.behaviour.active_week6),
            l3_active_week12: Num::of(ev.behaviour.active_week12),
            l3_effect: Num::of(ev.behaviour.effect.map(|e| e.effect)),
            l3_posts_effect: effect_of(Outcome::Posts),
            l4_influence_effect: Num::of(ev.results.influence_effect.map(|e| e.effect)),
            l4_revpaf_change: Num::of(ev.results.revpaf_change),
            l5_roi_percent: Num::of(ev.roi.map(|r| r.roi_percent)),
            l5_bcr: Num::of(ev.roi.map(|r| r.bcr)),
        });
    }
    out
}

/// Pre/post pairs (scaled scores as percentages) of one track, or of every track.
fn test_pairs(l: &Loaded, track: Option<&str>) -> Vec<TestScores> {
    let mut pairs: BTreeMap<(i64, String), TestScores> = BTreeMap::new();
    for s in &l.tests {
        let Some((t, which)) = s.key.rsplit_once('/') else {
            continue;
        };
        if track.is_some_and(|want| want != t) {
            continue;
        }
        let e = pairs
            .entry((s.person.0, t.to_string()))
            .or_insert(TestScores {
                pre: None,
                post: None,
            });
        match which {
            "pre" => e.pre = Some(s.scaled * 100.0),
            "post" => e.post = Some(s.scaled * 100.0),
            _ => {}
        }
    }
    pairs.into_values().collect()
}

/// One week of a person's own activity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct PersonWeek {
    /// ISO week.
    pub week: String,
    /// Original posts.
    pub posts: u64,
    /// Engagements.
    pub engagements: u64,
    /// Cold score: followers of the person's accounts at the end of the week.
    pub cold: Num,
    /// Warm score of the week's posts.
    pub warm: Num,
    /// Influence I = C × W.
    pub influence: Num,
}

/// A person's influence over time and what changed after their training.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ToSchema)]
pub struct PersonReport {
    /// Weeks of the period.
    pub weeks: Vec<PersonWeek>,
    /// The day of the person's first track completion, if any.
    pub completed: Option<String>,
    /// Mean original posts per week in the 8 weeks before completion.
    pub posts_before: Num,
    /// … in the 8 weeks after.
    pub posts_after: Num,
    /// Mean influence per week in the 8 weeks before completion.
    pub influence_before: Num,
    /// … in the 8 weeks after.
    pub influence_after: Num,
}

/// A person's own report: weekly cold, warm and influence, and before/after their training
/// (their row of the adoption curve: the same panel, selected to one person).
pub async fn person(
    store: &Store,
    org: OrgId,
    who: somu_domain::ids::PersonId,
    range: DateRange,
) -> Result<PersonReport, StoreError> {
    store.project_all_rollups(org).await?;
    let inputs = store.analytics_inputs(org).await?;
    let mut l = load(store, org, range, inputs).await?;
    l.rows.retain(|r| r.person_id == Some(who.0));
    l.completions.retain(|p, _| *p == who.0);
    let snaps = snapshots(&l.rows);
    let accounts: Vec<i64> = {
        let mut a: Vec<i64> = l.rows.iter().map(|r| r.account_id).collect();
        a.sort_unstable();
        a.dedup();
        a
    };
    let mut by_week: BTreeMap<IsoWeek, PostTotals> = BTreeMap::new();
    for r in &l.rows {
        *by_week.entry(week_of(r.week_start)).or_default() += r.totals;
    }
    let weeks = range
        .weeks()
        .filter(|w| w.monday() >= range.first)
        .map(|w| {
            let t = by_week.get(&w).copied().unwrap_or_default();
            let end = w.bounds().1 - time::Duration::seconds(1);
            let known: Vec<&[FollowerSnapshot]> = accounts
                .iter()
                .filter_map(|a| snaps.get(a).map(|v| v.as_slice()))
                .collect();
            let cold = somu_analytics::influence::cold_score(&known, end);
            PersonWeek {
                week: w.to_string(),
                posts: t.original_posts,
                engagements: t.engagements(),
                cold: Num::of(cold.map(|c| c.followers as f64)),
                warm: Num::of(t.warm_score()),
                influence: Num::of(
                    cold.and_then(|c| influence(c.followers, &t))
                        .map(|i| i.influence),
                ),
            }
        })
        .collect();
    let panel = whole_panel(&l, None, range);
    let curve = adoption_curve(&panel);
    let window =
        |ks: std::ops::RangeInclusive<i64>,
         f: &dyn Fn(&somu_analytics::adoption::AdoptionPoint) -> Metric<f64>| {
            let vals: Vec<f64> = ks
                .filter_map(|k| curve.at(k).and_then(|p| f(p).value()))
                .collect();
            if vals.is_empty() {
                Num::missing(Reason::NoPeopleObserved)
            } else {
                Num::of(Metric::Value(vals.iter().sum::<f64>() / vals.len() as f64))
            }
        };
    let w = WINDOW as i64;
    let completed = l
        .completions
        .get(&who.0)
        .and_then(|m| m.values().min().copied())
        .map(|at| somu_domain::time_util::from_unix(at).date().to_string());
    let (pb, pa, ib, ia) = if completed.is_some() {
        (
            window(-w..=-1, &|p| p.mean_posts),
            window(1..=w, &|p| p.mean_posts),
            window(-w..=-1, &|p| p.mean_influence),
            window(1..=w, &|p| p.mean_influence),
        )
    } else {
        let none = Num::missing(Reason::NoTrainedPeople);
        (none.clone(), none.clone(), none.clone(), none)
    };
    Ok(PersonReport {
        weeks,
        completed,
        posts_before: pb,
        posts_after: pa,
        influence_before: ib,
        influence_after: ia,
    })
}

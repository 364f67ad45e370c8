//! # Somu's measurement core
//!
//! Every metric Somu shows is computed here, from plain inputs: posts, follower snapshots,
//! weekly person activity, survey answers, test scores, costs. Pure and synchronous: no I/O,
//! no async, no SQL. The store and the web layer call these functions; they never compute a
//! metric themselves.
//!
//! ## Metric definitions
//!
//! These are the product's definitions, word for word (the help page states the same).
//!
//! For an account a and a period P:
//! - `followers(a,t)`: the latest follower-count snapshot at or before t.
//! - **engagements(p)** of a post p: likes + reposts + replies + quotes (+ clicks, saves where
//!   a platform gives them).
//! - **reach(p)**: impressions where the platform reports them, else followers of the author at
//!   post time ("potential reach"); the UI says which.
//! - **engagement rate** ER over a set of posts: Σ engagements / Σ reach.
//! - **warmth(p)** = (1 + s)/2 in \[0,1\], s the mean sentiment compound of the replies and
//!   mentions p received, else of p's own text. Warmth over a set: engagement-weighted mean.
//! - **cold score** C: audience = Σ followers of the accounts at the end of P.
//! - **warm score** W = ER × warmth.
//! - **influence** (Return on Influence) I = C × W: the warm engagements a post can expect at the
//!   current audience. Always shown with C and W beside it.
//! - **RevPAF** (revenue per available fan/follower) = revenue in P / audience of the
//!   organisation's brand accounts at the end of P (option: include linked employee accounts).
//! - **share of voice**: of all posts mentioning the brand in P, the shares authored by brand
//!   accounts, employees, and everyone else; **democratisation of influence** = 1 − brand share.
//! - **earned media value**: Σ engagements by type × the organisation's value per type (no
//!   built-in money values: the organisation sets them).
//! - **active** person-week: at least one original post in the week.
//! - **adoption curve**: for trained people aligned on the week of completion (k = −12…+12),
//!   the share active and the mean posts, engagements and influence per week; milestones at
//!   weeks 6 and 12.
//! - **training effect**: difference-in-differences per completion cohort (weeks c−8…c−1 before,
//!   c+1…c+8 after) against people not yet trained through c+8, averaged over cohorts by size,
//!   with a 95% bootstrap interval over people (seeded, reproducible).
//! - **Kirkpatrick**: L1 reaction = mean survey rating and NPS; L2 learning = mean post-test
//!   minus pre-test score; L3 behaviour = adoption at weeks 6 and 12 and its effect; L4 results =
//!   effect on influence and on RevPAF; **Phillips L5**: ROI % = (benefits − costs) / costs × 100
//!   and BCR = benefits / costs, benefits monetised from the effect with the organisation's own
//!   values, costs entered per programme (content, instructors, platform, learner hours).
//!
//! ## How the definitions are applied
//!
//! Where the definitions leave a choice open, Somu decides as follows.
//!
//! - **No made-up numbers.** Every metric returns [`Metric`]: a value, or
//!   [`Metric::NotEnoughData`] with a [`Reason`] (no posts, no reach, no followers, no costs,
//!   no comparison group…). Never NaN or infinity.
//! - **Periods** are in UTC. Weeks are ISO weeks starting on Monday ([`period::IsoWeek`]);
//!   months, quarters and any range of days are in [`period`]. "The end of P" is the first
//!   instant after P's last day.
//! - **Engagements** count clicks and saves as 0 where a platform does not report them.
//! - **Reach over a set** is Σ reach(p) and says whether it is impressions, potential reach,
//!   or mixed ([`rollup::SetReachKind`]).
//! - **Warmth**: sentiment compounds outside −1…1 are clamped to it; NaN counts as absent.
//!   Warmth over a set averages the posts that have a warmth, weighted by their engagements.
//!   When ER is 0 (reach but no engagements), W is 0 whatever the warmth.
//! - **Cold score** counts each account's latest snapshot at or before the end of P; an account
//!   with no snapshot yet adds nothing and is counted in `accounts_missing`.
//! - **Posts** in the adoption curve and the training effect are original posts (not replies to
//!   or reposts of others). **Influence per person-week** is I = C × W of that week's posts,
//!   with C the person's audience at the end of the week, and 0 in a week without posts (such a
//!   week earns no warm engagements).
//! - **Training effect**: for a cohort completing in week c, each person's outcome is averaged
//!   over c−8…c−1 and over c+1…c+8 (week c itself is in neither window). The comparison group is
//!   everyone never trained or trained after c+8. Effect_c = (after − before)_treated −
//!   (after − before)_comparison; the overall effect is Σ n_c·Effect_c / Σ n_c with n_c the
//!   cohort's size. A cohort whose windows are not fully observed, or that has no comparison
//!   group, is skipped with its reason. The 95% interval is the 2.5th–97.5th percentile
//!   (linear interpolation) of 1 000 resamples that draw people with replacement within each
//!   cohort's trained people and within the people only ever compared; the random streams are
//!   ChaCha8 keyed by the seed and the resample number, so the same data and seed give the same
//!   interval on every machine.
//! - **NPS** = % promoters (9–10) − % detractors (0–6) of 0–10 answers.
//! - **L4 on RevPAF** is RevPAF after − before the programme: one organisation-wide number per
//!   period has no comparison group, so it is shown as a change, not as an estimated effect.
//! - **Phillips L5**: benefits = trained people × weeks counted × Σ effect × the organisation's
//!   value per extra post, engagement or unit of influence; learner hours = hourly cost ×
//!   recorded learning time. Money is exact integer cents ([`money::Money`]); a negative
//!   amount is refused naming its field ([`money::parse_money`]).
//!
//! ## Layout
//!
//! [`post`] per-post metrics · [`rollup`] additive totals and weekly roll-ups (what the store
//! keeps) · [`influence`] cold score, influence, RevPAF, share of voice, earned media value ·
//! [`panel`] dense person × week activity · [`adoption`] adoption curve · [`effect`] training
//! effect · [`kirkpatrick`] levels 1–4 · [`roi`] Phillips level 5 · [`evaluation`] all
//! levels at once · [`synthetic`] the synthetic organisation generator · [`period`] weeks,
//! months, quarters · [`money`] money.
#![forbid(unsafe_code)]

pub mod adoption;
pub mod effect;
pub mod evaluation;
pub mod influence;
pub mod kirkpatrick;
pub mod metric;
pub mod money;
pub mod panel;
pub mod period;
pub mod post;
pub mod roi;
pub mod rollup;
#[cfg(feature = "serde")]
mod serde_impls;
pub mod synthetic;

pub use metric::{Metric, Reason};
pub use money::{parse_money, Money, MoneyError};

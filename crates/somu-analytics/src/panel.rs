//! Dense person × week activity: the layout the adoption curve and the training-effect
//! estimator read.
//!
//! One row per person, one column per ISO week of the observed span, `f32` values; 100 000
//! people × 52 weeks × 3 outcomes is about 62 MB. Weeks without posts are zeros, so every
//! person is observed in every week of the span.

use crate::influence::influence;
use crate::period::IsoWeek;
use crate::rollup::PostTotals;

/// The outcomes of the adoption curve and the training effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Original posts per person-week.
    Posts,
    /// Engagements per person-week.
    Engagements,
    /// Influence per person-week (0 in a week without posts).
    Influence,
    /// Share of people active (at least one original post in the week).
    ActiveShare,
}

impl Outcome {
    /// All outcomes, in the order results are reported.
    pub const ALL: [Outcome; 4] = [
        Outcome::Posts,
        Outcome::Engagements,
        Outcome::Influence,
        Outcome::ActiveShare,
    ];

    /// Stable code for the web layer (Fluent ids, CSV headers).
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Posts => "posts",
            Outcome::Engagements => "engagements",
            Outcome::Influence => "influence",
            Outcome::ActiveShare => "active-share",
        }
    }
}

/// What one person did in one week.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WeekActivity {
    /// Original posts.
    pub original_posts: f32,
    /// Engagements received by the week's posts.
    pub engagements: f32,
    /// Influence I = C × W of the week's posts (0 when the week has no posts or W has no
    /// value, since such a week earns no warm engagements).
    pub influence: f32,
}

impl WeekActivity {
    /// From a person-week's post totals and the person's audience at the end of the week.
    pub fn from_totals(totals: &PostTotals, audience: u64) -> WeekActivity {
        WeekActivity {
            original_posts: totals.original_posts as f32,
            engagements: totals.engagements() as f32,
            influence: influence(audience, totals)
                .value()
                .map_or(0.0, |i| i.influence as f32),
        }
    }
}

/// The week given is outside the panel's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("week {week} is outside the observed span")]
pub struct WeekOutsidePanel {
    /// The week that did not fit.
    pub week: IsoWeek,
}

/// Index of a person in an [`ActivityPanel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonIdx(pub usize);

/// Person × week activity over a span of consecutive ISO weeks.
#[derive(Debug, Clone)]
pub struct ActivityPanel {
    first: IsoWeek,
    weeks: usize,
    completion: Vec<Option<i64>>,
    posts: Vec<f32>,
    engagements: Vec<f32>,
    influence: Vec<f32>,
}

impl ActivityPanel {
    /// An empty panel over `weeks` weeks starting with `first`.
    pub fn new(first: IsoWeek, weeks: usize) -> ActivityPanel {
        ActivityPanel {
            first,
            weeks,
            completion: Vec::new(),
            posts: Vec::new(),
            engagements: Vec::new(),
            influence: Vec::new(),
        }
    }

    /// Reserves room for `people` more people.
    pub fn reserve(&mut self, people: usize) {
        self.completion.reserve(people);
        let cells = people.saturating_mul(self.weeks);
        self.posts.reserve(cells);
        self.engagements.reserve(cells);
        self.influence.reserve(cells);
    }

    /// Adds a person who completed training in `completed` (None = not trained, or not
    /// yet). The completion week may lie outside the span.
    pub fn add_person(&mut self, completed: Option<IsoWeek>) -> PersonIdx {
        let offset = completed.map(|w| w.index() - self.first.index());
        self.add_person_at_offset(offset)
    }

    /// Like [`ActivityPanel::add_person`] with the completion week as an offset from the
    /// first week.
    pub fn add_person_at_offset(&mut self, completed: Option<i64>) -> PersonIdx {
        self.completion.push(completed);
        let n = self.posts.len() + self.weeks;
        self.posts.resize(n, 0.0);
        self.engagements.resize(n, 0.0);
        self.influence.resize(n, 0.0);
        PersonIdx(self.completion.len() - 1)
    }

    /// Adds a week's activity to a person (calls for the same week accumulate).
    pub fn record(
        &mut self,
        person: PersonIdx,
        week: IsoWeek,
        a: WeekActivity,
    ) -> Result<(), WeekOutsidePanel> {
        let off = week.index() - self.first.index();
        match usize::try_from(off) {
            Ok(o) if o < self.weeks && person.0 < self.completion.len() => {
                self.record_offset(person, o, a);
                Ok(())
            }
            _ => Err(WeekOutsidePanel { week }),
        }
    }

    /// Adds activity at a week offset; out-of-range positions are ignored.
    pub fn record_offset(&mut self, person: PersonIdx, week: usize, a: WeekActivity) {
        if week >= self.weeks || person.0 >= self.completion.len() {
            return;
        }
        // NaN, infinite or negative activity cannot be real; it counts as none so that no
        // made-up number reaches an average.
        let clean = |x: f32| if x.is_finite() && x > 0.0 { x } else { 0.0 };
        let i = person.0 * self.weeks + week;
        self.posts[i] += clean(a.original_posts);
        self.engagements[i] += clean(a.engagements);
        self.influence[i] += clean(a.influence);
    }

    /// A panel of only the given people (e.g. one team or audience), in the order given;
    /// indices outside the panel are ignored. The adoption curve of a team is the curve of
    /// its selection.
    pub fn select(&self, people: impl IntoIterator<Item = PersonIdx>) -> ActivityPanel {
        let mut out = ActivityPanel::new(self.first, self.weeks);
        for PersonIdx(i) in people {
            let Some(c) = self.completion.get(i) else {
                continue;
            };
            out.completion.push(*c);
            let r = i * self.weeks..(i + 1) * self.weeks;
            out.posts.extend_from_slice(&self.posts[r.clone()]);
            out.engagements
                .extend_from_slice(&self.engagements[r.clone()]);
            out.influence.extend_from_slice(&self.influence[r]);
        }
        out
    }

    /// Number of people.
    pub fn people(&self) -> usize {
        self.completion.len()
    }

    /// Number of weeks in the span.
    pub fn weeks(&self) -> usize {
        self.weeks
    }

    /// First week of the span.
    pub fn first_week(&self) -> IsoWeek {
        self.first
    }

    /// Completion week offsets, one per person.
    pub(crate) fn completions(&self) -> &[Option<i64>] {
        &self.completion
    }

    /// One person's row of an outcome (active share as 0/1).
    pub(crate) fn row(&self, person: usize, outcome: Outcome) -> RowView<'_> {
        let r = person * self.weeks..(person + 1) * self.weeks;
        match outcome {
            Outcome::Posts => RowView::Plain(&self.posts[r]),
            Outcome::Engagements => RowView::Plain(&self.engagements[r]),
            Outcome::Influence => RowView::Plain(&self.influence[r]),
            Outcome::ActiveShare => RowView::Active(&self.posts[r]),
        }
    }
}

/// A person's weekly values for one outcome.
pub(crate) enum RowView<'a> {
    Plain(&'a [f32]),
    /// Posts row read as 1 when ≥ 1 original post, else 0.
    Active(&'a [f32]),
}

impl RowView<'_> {
    pub(crate) fn get(&self, week: usize) -> f64 {
        match self {
            RowView::Plain(r) => f64::from(r[week]),
            RowView::Active(r) => f64::from(u8::from(r[week] >= 1.0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::post::tests::post;

    #[test]
    fn records_accumulate_and_reject_outside_weeks() {
        let first = IsoWeek::new(2026, 1).unwrap();
        let mut p = ActivityPanel::new(first, 4);
        let a = p.add_person(None);
        let w2 = IsoWeek::new(2026, 2).unwrap();
        let act = WeekActivity {
            original_posts: 1.0,
            engagements: 5.0,
            influence: 2.0,
        };
        assert_eq!(p.record(a, w2, act), Ok(()));
        assert_eq!(p.record(a, w2, act), Ok(()));
        let w9 = IsoWeek::new(2026, 9).unwrap();
        assert_eq!(p.record(a, w9, act), Err(WeekOutsidePanel { week: w9 }));
        assert_eq!(p.row(0, Outcome::Posts).get(1), 2.0);
        assert_eq!(p.row(0, Outcome::ActiveShare).get(1), 1.0);
        assert_eq!(p.row(0, Outcome::ActiveShare).get(0), 0.0);
        assert_eq!(p.row(0, Outcome::Engagements).get(1), 10.0);
    }

    #[test]
    fn select_keeps_rows_and_completions() {
        let first = IsoWeek::new(2026, 1).unwrap();
        let mut p = ActivityPanel::new(first, 3);
        let a = p.add_person_at_offset(Some(1));
        let b = p.add_person_at_offset(None);
        let act = WeekActivity {
            original_posts: 2.0,
            engagements: 0.0,
            influence: 0.0,
        };
        p.record_offset(b, 2, act);
        let only_b = p.select([b, PersonIdx(99)]);
        assert_eq!(only_b.people(), 1);
        assert_eq!(only_b.completions(), &[None]);
        assert_eq!(only_b.row(0, Outcome::Posts).get(2), 2.0);
        assert_eq!(p.select([a]).completions(), &[Some(1)]);
    }

    #[test]
    fn week_activity_from_totals() {
        // 12 engagements on 1000 impressions, warmth 0.75 → W = 0.009; audience 2000 → I = 18.
        let t = PostTotals::of_posts(&[post(10, 2, Some(1000), 500, Some(0.5))]);
        let a = WeekActivity::from_totals(&t, 2000);
        assert_eq!((a.original_posts, a.engagements), (1.0, 12.0));
        assert!((a.influence - 18.0).abs() < 1e-4);
        // No posts: influence 0, not "not enough data".
        let none = WeekActivity::from_totals(&PostTotals::default(), 2000);
        assert_eq!(none, WeekActivity::default());
    }
}

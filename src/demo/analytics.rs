//! Demo data for analytics: what the organisation enters (a year of monthly revenue, money values
//! per engagement and per unit of effect, programme costs), then the weekly roll-ups built from
//! whatever social activity the other areas' demo data holds, so the dashboards open on current
//! numbers. Runs last.

use super::org::DEMO_SLUG;
use super::Seeded;
use anyhow::{anyhow, Result};
use somu_store::analytics::InputChanges;
use somu_web::AppState;

/// Add this area's demo data to the demo organisations (which exist when this runs).
pub async fn seed(state: &AppState) -> Result<()> {
    let org = state
        .store
        .org_by_slug(DEMO_SLUG)
        .await?
        .ok_or_else(|| anyhow!("demo organisation {DEMO_SLUG} is missing"))?
        .org_id();
    let mut rng = Seeded::new(0x0a11_71c5);
    let today = somu_domain::time_util::from_unix(state.clock.now()).date();
    let (mut y, mut m) = (today.year(), u8::from(today.month()));
    let mut revenue = Vec::new();
    // Amounts in cents. Twelve months back from this one: a mid-sized retailer, slowly growing, with noise.
    for back in 0..12i64 {
        let base = 21_000_000 - back * 150_000;
        let noise = rng.below(1_200_000) as i64 - 600_000;
        revenue.push((format!("{y:04}-{m:02}"), Some(base + noise)));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    let cents = |c: i64| Some(c);
    let values = [
        ("like", 5),
        ("repost", 40),
        ("reply", 60),
        ("quote", 50),
        ("click", 20),
        ("save", 10),
        ("post", 450),
        ("engagement", 35),
    ]
    .into_iter()
    .map(|(k, c)| (k.to_string(), cents(c)))
    .collect();
    let costs = [
        ("content", 950_000),
        ("instructors", 1_400_000),
        ("platform", 480_000),
        ("learner-hourly", 4_200),
    ]
    .into_iter()
    .map(|(k, c)| (String::new(), k.to_string(), cents(c)))
    .collect();
    state
        .store
        .set_analytics_inputs(
            org,
            &InputChanges {
                revenue,
                values,
                costs,
            },
        )
        .await?;
    state.store.mark_all_rollups_dirty(org).await?;
    state.store.project_all_rollups(org).await?;
    Ok(())
}

//! The demo: a populated organisation (and a training provider) built from a fixed seed, so every
//! run shows the same people. Each product area adds its data in its own module.

mod analytics;
mod classes;
pub mod credentials;
mod learning;
mod org;
mod progress;
mod social;
mod social_pull;
mod surveys;

use anyhow::{anyhow, Result};
use somu_domain::ids::OrgId;
use somu_web::AppState;

/// A sign-in printed at start-up.
pub struct Login {
    /// What the account is for.
    pub role: &'static str,
    /// Email.
    pub email: String,
    /// Where to go after signing in.
    pub path: String,
}

/// The password of every demo account (it is a demo: printed on the terminal).
pub const DEMO_PASSWORD: &str = "somu-demo-2026";

/// Build the demo data unless it is already there.
pub async fn seed(state: &AppState, keep: bool) -> Result<Vec<Login>> {
    if keep && state.store.org_by_slug(org::DEMO_SLUG).await?.is_some() {
        return Ok(org::logins());
    }
    let started = std::time::Instant::now();
    let hash = somu_web::auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow!("{e}"))?;
    org::seed(state, &hash).await?;
    // Order matters: progress, classes and credentials build on learning; analytics on everything.
    learning::seed(state).await?;
    progress::seed(state).await?;
    classes::seed(state).await?;
    credentials::seed(state).await?;
    social::seed(state).await?;
    social_pull::seed(state).await?;
    surveys::seed(state).await?;
    analytics::seed(state).await?;
    // The dashboards open at once: their reports are built now, not on the first visit.
    if let Some(o) = state.store.org_by_slug(org::DEMO_SLUG).await? {
        somu_web::pages::analytics::report::refresh(
            &state.store,
            OrgId(o.id),
            &o.slug,
            state.clock.now(),
            0,
        )
        .await?;
    }
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "demo data ready"
    );
    Ok(org::logins())
}

/// Print the sign-ins.
pub fn print_logins(logins: &[Login], base: &str) {
    println!();
    println!("Demo sign-ins (password for all: {DEMO_PASSWORD}):");
    for l in logins {
        println!("  {:<18} {:<34} {base}{}", l.role, l.email, l.path);
    }
    println!("Sign in at {base}/sign-in");
    println!();
}

/// A small deterministic generator (xorshift64*), so the demo is the same on every machine.
pub struct Seeded(u64);

impl Seeded {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Seeded(seed.max(1))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One of the items.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

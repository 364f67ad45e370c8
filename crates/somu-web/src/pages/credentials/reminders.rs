//! Expiry reminders: a holder whose credential expires within [`WINDOW`] gets one mail saying
//! until when it is valid and how to renew it. Run by a background tick in every app server,
//! by `somu remind-credentials` and by an owner's button; each reminder is claimed in the
//! database first ([`Store::claim_reminder`]), so it is sent once however many servers tick.

use somu_domain::ids::{OrgId, PersonId};
use somu_store::{Result, Store};
use std::time::Duration;

/// How long before expiry the reminder goes out.
pub const WINDOW: i64 = 60 * 86_400;

/// How often the tick runs: expiry is weeks away, so minutes of delay cost nothing.
const TICK: Duration = Duration::from_secs(600);

/// Send the expiry reminders due at `now` in one organisation. Returns how many went out.
pub async fn remind_org(store: &Store, base_url: &str, org: OrgId, now: i64) -> Result<usize> {
    let due = store.credentials_due_reminder(org, now, WINDOW).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let programmes = store.programmes(org).await?;
    let base = base_url.trim_end_matches('/');
    let mut sent = 0;
    for c in due {
        let Some(p) = programmes.iter().find(|p| p.id == c.programme_id) else {
            continue;
        };
        let holder = store.person(org, PersonId(c.person_id)).await?;
        if !store.claim_reminder(org, c.id, now).await? {
            continue;
        }
        let renew = match &p.refresher_course {
            Some(course) => format!(
                " To renew it, complete the course \"{course}\" again before then; the new \
                 certificate is issued when you next open the programme page."
            ),
            None => String::new(),
        };
        let until = super::super::when(&c.valid_until.unwrap_or(now));
        store
            .enqueue_mail(
                org,
                &holder.email,
                &format!("Your {} certificate expires soon", p.title),
                &format!(
                    "Hello {},\n\nyour {} certificate is valid until {until}.{renew}\n\n\
                     Programme: {base}/o/{}/programmes/{}\nCertificate: {base}/credentials/{}\n",
                    holder.name,
                    p.title,
                    org_slug(store, org).await?,
                    p.id,
                    c.uuid
                ),
            )
            .await?;
        sent += 1;
    }
    Ok(sent)
}

async fn org_slug(store: &Store, org: OrgId) -> Result<String> {
    Ok(store.org_by_id(org).await?.slug)
}

/// Send the expiry reminders due at `now` in every organisation.
pub async fn remind_all(store: &Store, base_url: &str, now: i64) -> Result<usize> {
    let mut n = 0;
    for org in store.orgs().await? {
        n += remind_org(store, base_url, org.org_id(), now).await?;
    }
    Ok(n)
}

/// The background tick of `somu serve`.
pub fn spawn(state: crate::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match remind_all(&state.store, &state.config.base_url, state.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "credential expiry reminders sent"),
                Err(e) => tracing::warn!(error = %e, "credential reminder round failed"),
            }
            tokio::time::sleep(TICK).await;
        }
    })
}

//! Reminders about assignments: before the due date and once it has passed, in the app and by
//! mail, with the manager copied when overdue. Run by a background tick in every app server and
//! by `somu remind`; each reminder is claimed in the database, so it is sent once.

use crate::i18n::{FluentArg, Tr};
use crate::AppState;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::{reminder_due, ReminderKind};
use somu_domain::time_util::{format_date, from_unix, parse_date};
use somu_store::progress::OutMail;
use somu_store::{Result, Store};
use std::time::Duration;

/// How often the tick runs. Reminders are decided by the calendar day, so a few minutes' delay
/// costs nothing, and each round reads every pending person of every dated assignment.
const TICK: Duration = Duration::from_secs(300);

/// Catch up progress and send the reminders due in one organisation at `now`.
/// Returns how many reminders went out.
pub async fn remind_org(store: &Store, base_url: &str, org: OrgId, now: i64) -> Result<usize> {
    store.project_progress(org).await?;
    let Some(slug) = store
        .orgs()
        .await?
        .into_iter()
        .find(|o| o.id == org.0)
        .map(|o| o.slug)
    else {
        return Ok(0);
    };
    let today = from_unix(now).date();
    let tr = Tr::new("en");
    let link = format!("/o/{slug}/learn");
    let mut sent = 0;
    for a in store.assignments(org).await? {
        let rule = a.due_rule();
        if rule == somu_domain::progress::DueRule::None {
            continue;
        }
        for p in store.pending_people(org, &a).await? {
            let start = p.start_date.as_deref().and_then(parse_date);
            let Some(due) = rule.due_for(start, a.assigned_on()) else {
                continue;
            };
            let Some(kind) = reminder_due(due, today) else {
                continue;
            };
            let args = [
                ("title", FluentArg::Str(a.title.clone())),
                ("due", FluentArg::Str(format_date(due))),
                ("name", FluentArg::Str(p.name.clone())),
                ("link", FluentArg::Str(format!("{base_url}{link}"))),
            ];
            let subject = tr.ta(&format!("progress-remind-{}-subject", kind.code()), &args);
            let body = tr.ta(&format!("progress-remind-{}-body", kind.code()), &args);
            let mut mails = vec![OutMail {
                to: p.email.clone(),
                subject: subject.clone(),
                body,
            }];
            if kind == ReminderKind::Overdue {
                if let Some(m) = p.manager_email.as_ref().filter(|m| **m != p.email) {
                    mails.push(OutMail {
                        to: m.clone(),
                        subject: tr.ta("progress-remind-manager-subject", &args),
                        body: tr.ta("progress-remind-manager-body", &args),
                    });
                }
            }
            if store
                .send_reminder(
                    org,
                    a.id,
                    PersonId(p.person_id),
                    kind,
                    &subject,
                    &link,
                    &mails,
                    now,
                )
                .await?
            {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

/// Every organisation, once.
pub async fn remind_all(store: &Store, base_url: &str, now: i64) -> Result<usize> {
    let mut sent = 0;
    for org in store.orgs().await? {
        sent += remind_org(store, base_url, org.org_id(), now).await?;
    }
    Ok(sent)
}

/// Start the background tick; returns its task.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let now = state.clock.now();
            match remind_all(&state.store, &state.config.base_url, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "assignment reminders sent"),
                Err(e) => tracing::warn!(error = %e, "reminder round failed"),
            }
            tokio::time::sleep(TICK).await;
        }
    })
}

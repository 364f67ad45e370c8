//! Sending surveys: read completions of tracks and courses from the learning record, send the
//! planned survey of each due wave (at completion, +6 and +12 weeks) in the app and by mail, and
//! remind once after the organisation's number of days. Each send and each reminder is claimed in
//! the database, so it goes out once however many servers run the tick or `somu remind`.

use super::{planned, resolve};
use crate::i18n::{FluentArg, Tr};
use crate::AppState;
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::surveys::{should_send, WAVES};
use somu_domain::time_util::{format_date, from_unix};
use somu_store::progress::OutMail;
use somu_store::surveys::NewSend;
use somu_store::{Result, Store};
use std::collections::HashMap;
use std::time::Duration;

/// How often the tick runs.
const TICK: Duration = Duration::from_secs(300);

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Surveys sent.
    pub sent: usize,
    /// Reminders sent.
    pub reminded: usize,
}

fn day(t: i64) -> String {
    format_date(from_unix(t).date())
}

/// Send the surveys and reminders due at `now` in one organisation.
pub async fn survey_org(store: &Store, base_url: &str, org: OrgId, now: i64) -> Result<Round> {
    let Some(slug) = store
        .orgs()
        .await?
        .into_iter()
        .find(|o| o.id == org.0)
        .map(|o| o.slug)
    else {
        return Ok(Round::default());
    };
    let tr = Tr::new("en");
    let settings = store.survey_settings(org).await?;
    let plans = store.survey_plans(org).await?;
    let done = store.survey_send_keys(org).await?;
    let mut titles: HashMap<(String, String), String> = HashMap::new();
    for t in store.tracks(org).await? {
        titles.insert(("track".into(), t.slug), t.title);
    }
    for c in store.courses(org).await? {
        titles.insert(("course".into(), c.slug), c.title);
    }
    let mut forms = HashMap::new();
    let mut round = Round::default();
    let closes_in = settings.open_days * 86_400;
    for c in store.survey_completions(org).await? {
        for wave in WAVES {
            let key = (c.person_id, c.kind.clone(), c.key.clone(), i64::from(wave));
            if done.contains(&key) || !should_send(c.at, wave, settings.open_days, now) {
                continue;
            }
            let template = planned(&plans, &c.kind, &c.key, wave);
            if template.is_empty() {
                continue;
            }
            if !forms.contains_key(&template) {
                let form = resolve(store, &tr, org, &template).await?;
                forms.insert(template.clone(), form);
            }
            let Some(Some(form)) = forms.get(&template) else {
                continue;
            };
            let what = titles
                .get(&(c.kind.clone(), c.key.clone()))
                .cloned()
                .unwrap_or_else(|| c.key.clone());
            let link = format!("/o/{slug}/surveys/{{id}}");
            let args = [
                ("title", FluentArg::Str(what)),
                ("name", FluentArg::Str(c.name.clone())),
                ("link", FluentArg::Str(format!("{base_url}{link}"))),
                ("closes", FluentArg::Str(day(now + closes_in))),
            ];
            let subject = tr.ta("surveys-sent-subject", &args);
            let mail = OutMail {
                to: c.email.clone(),
                subject: subject.clone(),
                body: tr.ta("surveys-sent-body", &args),
            };
            let send = NewSend {
                person: PersonId(c.person_id),
                object_kind: c.kind.clone(),
                object_key: c.key.clone(),
                wave: i64::from(wave),
                template,
                form: form.clone(),
                completed_at: c.at,
                closes_at: now + closes_in,
            };
            if store
                .send_survey(org, &send, &subject, &link, &mail, now)
                .await?
            {
                round.sent += 1;
            }
        }
    }
    for r in store
        .survey_reminders_due(org, settings.remind_days, now)
        .await?
    {
        let link = format!("/o/{slug}/surveys/{}", r.id);
        let args = [
            ("title", FluentArg::Str(r.title.clone())),
            ("name", FluentArg::Str(r.name.clone())),
            ("link", FluentArg::Str(format!("{base_url}{link}"))),
            ("closes", FluentArg::Str(day(r.closes_at))),
        ];
        let subject = tr.ta("surveys-remind-subject", &args);
        let mail = OutMail {
            to: r.email.clone(),
            subject: subject.clone(),
            body: tr.ta("surveys-remind-body", &args),
        };
        if store
            .send_survey_reminder(org, &r, &subject, &link, &mail, now)
            .await?
        {
            round.reminded += 1;
        }
    }
    Ok(round)
}

/// Every organisation, once; returns the surveys and reminders sent.
pub async fn survey_all(store: &Store, base_url: &str, now: i64) -> Result<Round> {
    let mut total = Round::default();
    for org in store.orgs().await? {
        let r = survey_org(store, base_url, org.org_id(), now).await?;
        total.sent += r.sent;
        total.reminded += r.reminded;
    }
    Ok(total)
}

/// Start the background tick; returns its task.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match survey_all(&state.store, &state.config.base_url, state.clock.now()).await {
                Ok(r) if r == Round::default() => {}
                Ok(r) => tracing::info!(sent = r.sent, reminded = r.reminded, "surveys sent"),
                Err(e) => tracing::warn!(error = %e, "survey round failed"),
            }
            tokio::time::sleep(TICK).await;
        }
    })
}

//! Demo data for surveys: in northwind, the surveys that went out after past track completions
//! (reaction at completion, confidence at +6 weeks, intended behaviour at +12), most of them
//! answered, so the survey results and Kirkpatrick L1 show real numbers. One track gets too few
//! responses on purpose, to show the minimum group size rule. Then the ordinary round runs for
//! what is due now, and the demo learner gets an open survey on their orientation course.

use super::{org::DEMO_SLUG, Seeded};
use anyhow::{anyhow, Result};
use somu_domain::ids::PersonId;
use somu_domain::surveys::{default_template, wave_due, Answer, QuestionKind, WAVES};
use somu_domain::time_util::{format_date, from_unix};
use somu_store::progress::OutMail;
use somu_store::surveys::{NewSend, SurveyCompletion};
use somu_web::i18n::{FluentArg, Tr};
use somu_web::pages::surveys::{send::survey_org, shipped_form};
use somu_web::AppState;
use std::collections::BTreeMap;

const DAY: i64 = 86_400;
/// Most past completions surveyed per track, so `somu demo` stays quick.
const PER_TRACK: usize = 14;
/// The track left with too few responses.
const SMALL: usize = 3;

const COMMENTS: [&str; 8] = [
    "The examples from our own sector made it click.",
    "More time on replying to critical comments, please.",
    "Short lessons I could finish between meetings.",
    "I would like a follow-up session with the team.",
    "The guideline quiz was harder than expected, in a good way.",
    "Clearer advice on what not to share would help.",
    "I finally understand why posting matters for us.",
    "Some lessons repeat the orientation.",
];

fn answers(rng: &mut Seeded, kinds: &[QuestionKind], bias: usize) -> Vec<Option<Answer>> {
    kinds
        .iter()
        .map(|k| match k {
            QuestionKind::Rating | QuestionKind::Likert => {
                Some(Answer::Score((2 + bias + rng.below(3)).min(5) as u8))
            }
            QuestionKind::Nps => Some(Answer::Score((5 + bias + rng.below(5)).min(10) as u8)),
            QuestionKind::Text => (rng.below(3) == 0)
                .then(|| Answer::Text(COMMENTS[rng.below(COMMENTS.len())].into())),
        })
        .collect()
}

/// The mail and notification words of a survey, as the ordinary round writes them.
fn mail_for(tr: &Tr, c: &SurveyCompletion, what: &str, link: &str, closes: i64) -> OutMail {
    let args = [
        ("title", FluentArg::Str(what.to_string())),
        ("name", FluentArg::Str(c.name.clone())),
        ("link", FluentArg::Str(link.to_string())),
        (
            "closes",
            FluentArg::Str(format_date(from_unix(closes).date())),
        ),
    ];
    OutMail {
        to: c.email.clone(),
        subject: tr.ta("surveys-sent-subject", &args),
        body: tr.ta("surveys-sent-body", &args),
    }
}

/// Seed the surveys.
pub async fn seed(state: &AppState) -> Result<()> {
    let store = &state.store;
    let org = store
        .org_by_slug(DEMO_SLUG)
        .await?
        .ok_or_else(|| anyhow!("demo organisation missing"))?
        .org_id();
    let now = state.clock.now();
    let tr = Tr::new("en");
    let mut rng = Seeded::new(0x0005_e7e5_u64);
    let completions = store.survey_completions(org).await?;
    let mut tracks: BTreeMap<&str, Vec<&SurveyCompletion>> = BTreeMap::new();
    for c in completions.iter().filter(|c| c.kind == "track") {
        tracks.entry(c.key.as_str()).or_default().push(c);
    }
    let last = tracks.len().saturating_sub(1);
    let base = &state.config.base_url;
    for (i, (track, people)) in tracks.iter().enumerate() {
        let small = i == last && tracks.len() > 1;
        let bias = 1 + (i % 2);
        let mut answered = 0;
        for c in people.iter().take(PER_TRACK) {
            for wave in WAVES {
                let due = wave_due(c.at, wave);
                // What is due in the last weeks is left to the ordinary round below.
                if due > now - 30 * DAY || (small && answered >= SMALL) {
                    continue;
                }
                let Some(code) = default_template("track", wave) else {
                    continue;
                };
                let Some(form) = shipped_form(&tr, code) else {
                    continue;
                };
                let kinds: Vec<QuestionKind> = form.questions.iter().map(|q| q.kind).collect();
                let send = NewSend {
                    person: PersonId(c.person_id),
                    object_kind: "track".into(),
                    object_key: track.to_string(),
                    wave: i64::from(wave),
                    template: code.into(),
                    form,
                    completed_at: c.at,
                    closes_at: due + 28 * DAY,
                };
                let link = format!("/o/{DEMO_SLUG}/surveys/{{id}}");
                let mail = mail_for(&tr, c, track, &format!("{base}{link}"), send.closes_at);
                if !store
                    .send_survey(org, &send, &mail.subject, &link, &mail, due)
                    .await?
                {
                    continue;
                }
                // Most answer, fewer as the weeks pass.
                if rng.below(100) >= 85 - usize::from(wave) * 2 {
                    continue;
                }
                let Some(sent) = store
                    .my_surveys(org, send.person)
                    .await?
                    .into_iter()
                    .find(|s| s.object_key == *track && s.wave == i64::from(wave))
                else {
                    continue;
                };
                let at = due + (1 + rng.below(6) as i64) * DAY;
                let a = answers(&mut rng, &kinds, bias);
                if store
                    .answer_survey(org, send.person, sent.id, &a, at)
                    .await?
                    .is_ok()
                {
                    answered += 1;
                }
            }
        }
    }
    survey_org(store, base, org, now).await?;
    // The demo learner: an open survey about the orientation they finished.
    if let Some(c) = completions
        .iter()
        .find(|c| c.email == "learner@northwind.example" && c.kind == "course")
    {
        if let Some(form) = shipped_form(&tr, "reaction") {
            let send = NewSend {
                person: PersonId(c.person_id),
                object_kind: "course".into(),
                object_key: c.key.clone(),
                wave: 0,
                template: "reaction".into(),
                form,
                completed_at: c.at,
                closes_at: now + 28 * DAY,
            };
            let link = format!("/o/{DEMO_SLUG}/surveys/{{id}}");
            let mail = mail_for(&tr, c, &c.key, &format!("{base}{link}"), send.closes_at);
            store
                .send_survey(org, &send, &mail.subject, &link, &mail, now)
                .await?;
        }
    }
    Ok(())
}

//! Learning content end to end: a programme owner installs, imports, edits and publishes; a
//! learner reads lessons, takes quizzes and track tests; an instructor grades short answers;
//! nothing crosses organisations.

use crate::helpers::{location, OrgFixture, TestApp, User};
use reqwest::StatusCode;
use somu_content::{Question, QuestionKind};
use somu_domain::xapi::{ActivityKind, Verb};
use somu_store::statements::StatementFilter;
use somu_web::pages::learning::content::install_default;

async fn installed(app: &TestApp, slug: &str) -> OrgFixture {
    let org = app.org(slug, slug).await;
    install_default(&app.state.store, org.id, 1_700_000_000)
        .await
        .expect("install");
    org
}

/// Form fields answering every question right (short text: a sentence).
fn right_answers(questions: &[Question]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (n, q) in questions.iter().enumerate() {
        match q.kind {
            QuestionKind::ShortText => {
                out.push((format!("q{n}"), "I tell my manager first.".into()))
            }
            QuestionKind::Ordering => {
                for i in 0..q.options.len() {
                    out.push((format!("q{n}-{i}"), (i + 1).to_string()));
                }
            }
            _ => {
                for (i, o) in q.options.iter().enumerate() {
                    if o.correct {
                        out.push((format!("q{n}"), i.to_string()));
                    }
                }
            }
        }
    }
    out
}

async fn post_pairs(user: &User, path: &str, pairs: &[(String, String)]) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    user.post_form(path, &fields).await
}

async fn statements(app: &TestApp, org: &OrgFixture, verb: Verb, kind: ActivityKind) -> usize {
    app.state
        .store
        .statements(
            org.id,
            &StatementFilter {
                verb: Some(verb),
                kind: Some(kind),
                ..Default::default()
            },
            10_000,
        )
        .await
        .expect("statements")
        .len()
}

#[tokio::test]
async fn an_admin_installs_the_default_curriculum_once_and_learners_see_the_catalogue() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let (status, html) = admin.text("/o/alpha/curriculum").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Install the default curriculum"));
    let r = admin.post_form("/o/alpha/curriculum/install", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let courses = app.state.store.courses(alpha.id).await.unwrap();
    let c = somu_content::default_curriculum();
    assert_eq!(courses.len(), c.courses.len());
    assert!(courses.iter().all(|c| c.published_version.is_some()));
    assert_eq!(
        app.state.store.tracks(alpha.id).await.unwrap().len(),
        c.tracks.len()
    );
    // Installing again changes nothing: same published versions.
    let r = admin.post_form("/o/alpha/curriculum/install", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.state.store.courses(alpha.id).await.unwrap(), courses);
    let versions = app
        .state
        .store
        .course_versions(alpha.id, "learner-orientation")
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    // A learner sees the catalogue but may not manage content.
    let learner = app.signed_in(&alpha.learner).await;
    let (status, html) = learner.text("/o/alpha/learn/catalogue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Learner orientation") && html.contains("/o/alpha/learn/tracks/practitioner")
    );
    let (status, _) = learner.text("/o/alpha/curriculum").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = learner.post_form("/o/alpha/curriculum/install", &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_learner_reads_a_lesson_marks_it_done_and_passes_the_quiz_with_feedback() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let learner = app.signed_in(&alpha.learner).await;
    let c = somu_content::default_curriculum();
    let course = c.course("learner-orientation").unwrap();
    let module = &course.modules[0];
    let lesson = somu_store::learning::lesson_slug(&module.lessons[0].file);
    let base = format!("/o/alpha/learn/courses/{}", course.slug);
    let (status, html) = learner.text(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&module.title) && html.contains("0 / "));
    // Marking a lesson done before opening it is refused, nothing recorded.
    let r = learner
        .post_form(&format!("{base}/{}/{lesson}/done", module.slug), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        statements(&app, &alpha, Verb::Experienced, ActivityKind::Lesson).await,
        0
    );
    let (status, html) = learner
        .text(&format!("{base}/{}/{lesson}", module.slug))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&module.lessons[0].title) && html.contains("Mark as done"));
    assert_eq!(
        statements(&app, &alpha, Verb::Launched, ActivityKind::Lesson).await,
        1
    );
    let r = learner
        .post_form(&format!("{base}/{}/{lesson}/done", module.slug), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let done = app
        .state
        .store
        .statements(
            alpha.id,
            &StatementFilter {
                verb: Some(Verb::Experienced),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap();
    assert_eq!(done.len(), 1);
    let st = &done[0].body;
    assert_eq!(st.key, format!("{}/{}/{lesson}", course.slug, module.slug));
    let d = st.outcome.duration_ms.expect("time spent");
    assert!((0..=7_200_000).contains(&d));
    let version = app
        .state
        .store
        .published_version(alpha.id, &course.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        st.registration.as_deref(),
        Some(version.registration.as_str())
    );
    let (_, html) = learner.text(&base).await;
    assert!(html.contains("1 / "));
    // The quiz: start an attempt, send a bad form (nothing changes), then right answers.
    let quiz = format!("{base}/{}/quiz", module.slug);
    let (status, _) = learner.text(&quiz).await;
    assert_eq!(status, StatusCode::OK);
    let r = learner.post_form(&quiz, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let attempt = location(&r);
    assert!(attempt.starts_with(&format!("{quiz}/")));
    let r = learner.post_form(&attempt, &[("q0", "99")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Question 1") && body.contains("no option 99"));
    assert_eq!(
        statements(&app, &alpha, Verb::Answered, ActivityKind::Question).await,
        0
    );
    let answers = right_answers(&module.quiz.questions);
    let r = post_pairs(&learner, &attempt, &answers).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, html) = learner.text(&attempt).await;
    assert_eq!(status, StatusCode::OK);
    // Feedback explains why, from the package.
    let first = module.quiz.questions[0]
        .options
        .iter()
        .find(|o| o.correct || module.quiz.questions[0].kind == QuestionKind::Ordering)
        .unwrap();
    let escaped = first
        .explanation
        .replace('\'', "&#39;")
        .replace('"', "&#34;");
    assert!(
        html.contains(&escaped) || html.contains(&first.explanation),
        "feedback shown"
    );
    let short = module
        .quiz
        .questions
        .iter()
        .any(|q| q.kind == QuestionKind::ShortText);
    if short {
        assert!(html.contains("Waiting for an instructor"));
    } else {
        assert!(html.contains("Passed"));
        assert_eq!(
            statements(&app, &alpha, Verb::Passed, ActivityKind::Quiz).await,
            1
        );
    }
    assert_eq!(
        statements(&app, &alpha, Verb::Answered, ActivityKind::Question).await,
        module.quiz.questions.len()
    );
    // A closed attempt refuses answers and nothing changes.
    let r = post_pairs(&learner, &attempt, &answers).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("already closed"));
    assert_eq!(
        statements(&app, &alpha, Verb::Answered, ActivityKind::Question).await,
        module.quiz.questions.len()
    );
}

#[tokio::test]
async fn short_answers_wait_for_an_instructor_then_the_quiz_is_decided() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let learner = app.signed_in(&alpha.learner).await;
    let c = somu_content::default_curriculum();
    let (course, module) = c
        .courses
        .iter()
        .flat_map(|c| c.modules.iter().map(move |m| (c, m)))
        .find(|(_, m)| {
            m.quiz
                .questions
                .iter()
                .any(|q| q.kind == QuestionKind::ShortText)
        })
        .expect("a quiz with a short-text question");
    let quiz = format!(
        "/o/alpha/learn/courses/{}/{}/quiz",
        course.slug, module.slug
    );
    let attempt = location(&learner.post_form(&quiz, &[]).await);
    let r = post_pairs(&learner, &attempt, &right_answers(&module.quiz.questions)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = learner.text(&attempt).await;
    assert!(html.contains("Waiting for an instructor"));
    // Learners cannot grade; the admin can, per answer.
    let (status, _) = learner.text("/o/alpha/learn/grading").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.signed_in(&alpha.admin).await;
    let (_, queue) = admin.text("/o/alpha/learn/grading").await;
    assert!(queue.contains("I tell my manager first."));
    let id = attempt.rsplit('/').next().unwrap();
    let pending = app.state.store.pending_answers(alpha.id).await.unwrap();
    let bad = admin
        .post_form(
            &format!("/o/alpha/learn/grading/{id}"),
            &[
                ("position", &pending[0].position.to_string()),
                ("verdict", "maybe"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for p in &pending {
        let r = admin
            .post_form(
                &format!("/o/alpha/learn/grading/{id}"),
                &[
                    ("position", &p.position.to_string()),
                    ("verdict", "correct"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    assert!(app
        .state
        .store
        .pending_answers(alpha.id)
        .await
        .unwrap()
        .is_empty());
    let (_, html) = learner.text(&attempt).await;
    assert!(html.contains("Passed"));
    assert_eq!(
        statements(&app, &alpha, Verb::Passed, ActivityKind::Quiz).await,
        1
    );
    // Grading twice is refused.
    let again = admin
        .post_form(
            &format!("/o/alpha/learn/grading/{id}"),
            &[
                ("position", &pending[0].position.to_string()),
                ("verdict", "incorrect"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn pre_and_post_tests_measure_learning_gain() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let learner = app.signed_in(&alpha.learner).await;
    let track = "/o/alpha/learn/tracks/practitioner";
    let (status, html) = learner.text(track).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Take the pre-test"));
    let items = app
        .state
        .store
        .track_test(alpha.id, "practitioner")
        .await
        .unwrap();
    assert!(!items.is_empty());
    let questions: Vec<Question> = items.into_iter().map(|(_, q)| q).collect();
    // Pre-test: everything wrong where we can (first wrong option), else right.
    let pre = location(&learner.post_form(&format!("{track}/pre"), &[]).await);
    let mut wrong = Vec::new();
    for (n, q) in questions.iter().enumerate() {
        match q.options.iter().position(|o| !o.correct) {
            Some(i) if q.kind != QuestionKind::Ordering && q.kind != QuestionKind::ShortText => {
                wrong.push((format!("q{n}"), i.to_string()))
            }
            _ => wrong.extend(
                right_answers(std::slice::from_ref(q))
                    .into_iter()
                    .map(|(k, v)| (k.replacen("q0", &format!("q{n}"), 1), v)),
            ),
        }
    }
    assert_eq!(
        post_pairs(&learner, &pre, &wrong).await.status(),
        StatusCode::SEE_OTHER
    );
    // The pre-test is taken once.
    let r = learner.post_form(&format!("{track}/pre"), &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let post = location(&learner.post_form(&format!("{track}/post"), &[]).await);
    let r = post_pairs(&learner, &post, &right_answers(&questions)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let tests = app
        .state
        .store
        .statements(
            alpha.id,
            &StatementFilter {
                kind: Some(ActivityKind::Test),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
    let scored: Vec<(&str, f64)> = tests
        .iter()
        .filter(|s| matches!(s.body.verb, Verb::Passed | Verb::Failed))
        .map(|s| (s.body.key.as_str(), s.body.outcome.scaled.unwrap()))
        .collect();
    let pre_score = scored
        .iter()
        .find(|(k, _)| *k == "practitioner/pre")
        .map(|x| x.1);
    let post_score = scored
        .iter()
        .find(|(k, _)| *k == "practitioner/post")
        .map(|x| x.1);
    if questions.iter().all(|q| q.kind != QuestionKind::ShortText) {
        assert_eq!(post_score, Some(1.0));
        assert!(pre_score.unwrap() < 1.0);
        let (_, html) = learner.text(track).await;
        assert!(html.contains("Learning gain"));
    }
}

#[tokio::test]
async fn import_refuses_a_bad_package_and_export_is_byte_exact() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let c = somu_content::default_curriculum();
    let course = c.course("social-media-foundations").unwrap().clone();
    // A course.toml with a broken field: refused whole, the file and field named.
    let mut files =
        somu_content::export_files(&somu_content::Package::Course(course.clone())).unwrap();
    let manifest = files.get_mut("course.toml").expect("manifest");
    let text = String::from_utf8(manifest.clone()).unwrap();
    *manifest = text
        .replacen("level = \"introductory\"", "level = \"expert\"", 1)
        .into_bytes();
    let bad = somu_content::load_files(&files);
    assert!(bad.is_err(), "the edit must break the package");
    let r = admin
        .upload("/o/alpha/curriculum/import", "bad.zip", zip_of(&files))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("course.toml") && html.contains("level") && html.contains("expert"));
    assert!(app.state.store.courses(alpha.id).await.unwrap().is_empty());
    // A good package imports and publishes; its export is exactly the canonical zip.
    let good = somu_content::export_zip(&somu_content::Package::Course(course.clone())).unwrap();
    let r = admin
        .upload("/o/alpha/curriculum/import", "good.zip", good.clone())
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let entry = app
        .state
        .store
        .course_by_slug(alpha.id, &course.slug)
        .await
        .unwrap();
    let v = entry.published_version.unwrap();
    let r = admin
        .get(&format!(
            "/o/alpha/curriculum/courses/{}/versions/{v}/export",
            course.slug
        ))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let exported = r.bytes().await.unwrap().to_vec();
    assert_eq!(exported, good);
    match somu_content::load_zip(&exported).unwrap() {
        somu_content::Package::Course(back) => assert_eq!(back, course),
        _ => panic!("a course"),
    }
    // Importing the same package again changes nothing.
    let r = admin
        .upload("/o/alpha/curriculum/import", "good.zip", good)
        .await;
    assert_eq!(location(&r), "/o/alpha/curriculum?done=unchanged");
    // An empty upload names the field.
    let r = admin
        .upload("/o/alpha/curriculum/import", "empty.zip", vec![])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn editing_a_lesson_makes_a_draft_learners_see_only_once_published() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let learner = app.signed_in(&alpha.learner).await;
    let c = somu_content::default_curriculum();
    let course = c.course("learner-orientation").unwrap();
    let m = &course.modules[0];
    let l = somu_store::learning::lesson_slug(&m.lessons[0].file);
    let edit = format!(
        "/o/alpha/curriculum/courses/{}/edit/{}/{l}",
        course.slug, m.slug
    );
    let lesson = format!("/o/alpha/learn/courses/{}/{}/{l}", course.slug, m.slug);
    let (status, html) = admin.text(&edit).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Preview"));
    let text = "# A new title\n\nFresh start at **{{org.name}}**.\n";
    let r = admin
        .post_form(&edit, &[("body", text), ("action", "preview")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("<strong>"));
    assert!(app
        .state
        .store
        .draft_version(alpha.id, &course.slug)
        .await
        .unwrap()
        .is_none());
    // A malformed placeholder is refused, naming the problem; nothing saved.
    let r = admin
        .post_form(&edit, &[("body", "Broken {{org.name"), ("action", "save")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app
        .state
        .store
        .draft_version(alpha.id, &course.slug)
        .await
        .unwrap()
        .is_none());
    let r = admin
        .post_form(&edit, &[("body", text), ("action", "save")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = learner.text(&lesson).await;
    assert!(
        !html.contains("Fresh start"),
        "learners see the published version"
    );
    let before = app
        .state
        .store
        .published_version(alpha.id, &course.slug)
        .await
        .unwrap()
        .unwrap();
    let r = admin
        .post_form(
            &format!("/o/alpha/curriculum/courses/{}/publish", course.slug),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = learner.text(&lesson).await;
    assert!(html.contains("Fresh start"));
    let after = app
        .state
        .store
        .published_version(alpha.id, &course.slug)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(before.registration, after.registration);
    let versions = app
        .state
        .store
        .course_versions(alpha.id, &course.slug)
        .await
        .unwrap();
    assert!(versions
        .iter()
        .any(|v| v.id == before.id && v.status == "archived"));
    // Publishing with no draft is refused.
    let r = admin
        .post_form(
            &format!("/o/alpha/curriculum/courses/{}/publish", course.slug),
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Placeholders fill in once the organisation gives a value; unknown names are refused.
    let r = admin
        .post_form(
            "/o/alpha/curriculum/placeholders",
            &[("v-name", "Alpha Ltd")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = learner.text(&lesson).await;
    assert!(html.contains("Alpha Ltd"));
    let r = admin
        .post_form("/o/alpha/curriculum/placeholders", &[("v-nonsense", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_track_is_edited_with_known_courses_only() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let path = "/o/alpha/curriculum/tracks/observer";
    let (status, _) = admin.text(path).await;
    assert_eq!(status, StatusCode::OK);
    let before = app
        .state
        .store
        .track_by_slug(alpha.id, "observer")
        .await
        .unwrap();
    let r = admin
        .post_form(
            path,
            &[
                ("courses", "learner-orientation\nno-such-course"),
                ("pass_mark", "70"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("no-such-course"));
    assert_eq!(
        app.state
            .store
            .track_by_slug(alpha.id, "observer")
            .await
            .unwrap(),
        before
    );
    let r = admin
        .post_form(
            path,
            &[
                ("courses", "social-media-foundations\nlearner-orientation"),
                ("pass_mark", "80"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after = app
        .state
        .store
        .track_by_slug(alpha.id, "observer")
        .await
        .unwrap();
    assert_eq!(
        after.courses,
        vec!["social-media-foundations", "learner-orientation"]
    );
    assert_eq!(after.pass_mark, 80);
}

#[tokio::test]
async fn another_organisations_content_and_attempts_stay_out_of_reach() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let _beta = app.org("beta", "Beta").await;
    let learner = app.signed_in(&alpha.learner).await;
    let c = somu_content::default_curriculum();
    let course = c.course("learner-orientation").unwrap();
    let m = &course.modules[0];
    let attempt = location(
        &learner
            .post_form(
                &format!("/o/alpha/learn/courses/{}/{}/quiz", course.slug, m.slug),
                &[],
            )
            .await,
    );
    let id = attempt.rsplit('/').next().unwrap().to_string();
    // Beta's admin: no curriculum there, alpha's pages refused, alpha's ids unknown in beta.
    let beta_admin = app.signed_in("admin@beta.test").await;
    for path in [
        format!("/o/alpha/learn/courses/{}", course.slug),
        "/o/alpha/curriculum".to_string(),
        attempt.clone(),
    ] {
        let (status, _) = beta_admin.text(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = beta_admin
        .text(&format!("/o/beta/learn/courses/{}", course.slug))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = beta_admin
        .text(&format!(
            "/o/beta/curriculum/courses/{}/versions/1/export",
            course.slug
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = beta_admin
        .post_form(
            &format!("/o/beta/learn/grading/{id}"),
            &[("position", "0"), ("verdict", "correct")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Another member of alpha cannot open someone else's attempt.
    let admin = app.signed_in(&alpha.admin).await;
    let (status, _) = admin.text(&attempt).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_lists_the_catalogue_and_streams_statements_as_xapi() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let learner = app.signed_in(&alpha.learner).await;
    let r = learner.get("/api/v1/orgs/alpha/courses").await;
    assert_eq!(r.status(), StatusCode::OK);
    let courses: serde_json::Value = r.json().await.unwrap();
    let n = somu_content::default_curriculum().courses.len();
    assert_eq!(courses.as_array().unwrap().len(), n);
    let r = learner.get("/api/v1/orgs/alpha/tracks").await;
    let tracks: serde_json::Value = r.json().await.unwrap();
    assert!(tracks
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["slug"] == "practitioner"));
    let r = learner
        .get("/api/v1/orgs/alpha/courses/learner-orientation/lessons")
        .await;
    let lessons: serde_json::Value = r.json().await.unwrap();
    let first = &lessons["lessons"][0];
    let page = format!(
        "/o/alpha/learn/courses/learner-orientation/{}/{}",
        first["module"].as_str().unwrap(),
        first["slug"].as_str().unwrap()
    );
    assert_eq!(learner.text(&page).await.0, StatusCode::OK);
    assert_eq!(
        learner
            .get("/api/v1/orgs/alpha/courses/nope/lessons")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The learner's own statements, paged one at a time.
    learner.post_form(&format!("{page}/done"), &[]).await;
    let r = learner
        .get("/api/v1/orgs/alpha/xapi/statements?limit=1")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["statements"].as_array().unwrap().len(), 1);
    assert_eq!(
        body["statements"][0]["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/launched"
    );
    let more = body["more"].as_str().expect("a next page");
    let next = more
        .split_once("/api/")
        .map(|(_, p)| format!("/api/{p}"))
        .unwrap();
    let body: serde_json::Value = learner.get(&next).await.json().await.unwrap();
    assert_eq!(
        body["statements"][0]["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/experienced"
    );
    assert!(body["statements"][0]["result"]["duration"].is_string());
    let body: serde_json::Value = learner
        .get("/api/v1/orgs/alpha/xapi/statements?verb=experienced")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["statements"].as_array().unwrap().len(), 1);
    assert!(body["more"].is_null());
    // Bad parameters name the field; a learner may not read someone else's record.
    let r = learner
        .get("/api/v1/orgs/alpha/xapi/statements?verb=danced")
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("verb"));
    let r = learner
        .get("/api/v1/orgs/alpha/xapi/statements?since=yesterday")
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other = alpha.people[0].0;
    let r = learner
        .get(&format!(
            "/api/v1/orgs/alpha/xapi/statements?person={other}"
        ))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Staff see everyone's; another organisation sees nothing of alpha's.
    let admin = app.signed_in(&alpha.admin).await;
    let body: serde_json::Value = admin
        .get("/api/v1/orgs/alpha/xapi/statements")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["statements"].as_array().unwrap().len(), 2);
    let _beta = app.org("beta", "Beta").await;
    let beta = app.signed_in("admin@beta.test").await;
    let body: serde_json::Value = beta
        .get("/api/v1/orgs/beta/xapi/statements")
        .await
        .json()
        .await
        .unwrap();
    assert!(body["statements"].as_array().unwrap().is_empty());
    assert_eq!(
        beta.get("/api/v1/orgs/alpha/xapi/statements")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lesson_images_are_served_from_the_published_package() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let c = somu_content::default_curriculum();
    let mut course = c.course("social-media-foundations").unwrap().clone();
    let png = vec![0x89, b'P', b'N', b'G', 1, 2, 3];
    course.assets.insert("assets/chain.png".into(), png.clone());
    course.modules[0].lessons[0]
        .body
        .push_str("\n\n![The escalation chain](assets/chain.png)\n");
    let pkg = somu_content::Package::Course(course.clone());
    somu_web::pages::learning::content::import_package(&app.state.store, alpha.id, &pkg, 1)
        .await
        .unwrap();
    let learner = app.signed_in(&alpha.learner).await;
    let m = &course.modules[0];
    let l = somu_store::learning::lesson_slug(&m.lessons[0].file);
    let base = format!("/o/alpha/learn/courses/{}/{}", course.slug, m.slug);
    let (_, html) = learner.text(&format!("{base}/{l}")).await;
    assert!(html.contains("src=\"assets/chain.png\""));
    let r = learner.get(&format!("{base}/assets/chain.png")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    let r = learner.get(&format!("{base}/assets/missing.png")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let _beta = app.org("beta", "Beta").await;
    let outsider = app.signed_in("learner@beta.test").await;
    let r = outsider
        .get(&format!(
            "/o/beta/learn/courses/{}/{}/assets/chain.png",
            course.slug, m.slug
        ))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// A zip of these package files.
fn zip_of(files: &somu_content::FileSet) -> Vec<u8> {
    use std::io::Write;
    let mut zipped = Vec::new();
    {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(&mut zipped));
        for (path, bytes) in files.iter() {
            z.start_file(path.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    zipped
}

#[tokio::test]
async fn a_quiz_with_an_attempt_limit_refuses_one_more() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let c = somu_content::default_curriculum();
    let mut course = c.course("learner-orientation").unwrap().clone();
    course.modules[0].quiz.attempts = Some(1);
    let module = course.modules[0].clone();

    // A limit outside 1–20 is refused whole, the file, line and field named.
    let mut files =
        somu_content::export_files(&somu_content::Package::Course(course.clone())).unwrap();
    let quiz_file = files.get_mut(&module.quiz.file).expect("quiz file");
    let text = String::from_utf8(quiz_file.clone()).unwrap();
    assert!(text.contains("attempts = 1"), "the limit is exported");
    *quiz_file = text
        .replacen("attempts = 1", "attempts = 0", 1)
        .into_bytes();
    let r = admin
        .upload("/o/alpha/curriculum/import", "bad.zip", zip_of(&files))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&module.quiz.file) && html.contains("attempts") && html.contains("line"));
    assert!(app.state.store.courses(alpha.id).await.unwrap().is_empty());

    let good = somu_content::export_zip(&somu_content::Package::Course(course.clone())).unwrap();
    let r = admin
        .upload("/o/alpha/curriculum/import", "good.zip", good)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let learner = app.signed_in(&alpha.learner).await;
    let quiz = format!(
        "/o/alpha/learn/courses/{}/{}/quiz",
        course.slug, module.slug
    );
    let (_, html) = learner.text(&quiz).await;
    assert!(html.contains("You may take this quiz once."));
    let r = learner.post_form(&quiz, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let attempt = location(&r);
    // Starting again while the attempt is open resumes it.
    let r = learner.post_form(&quiz, &[]).await;
    assert_eq!(location(&r), attempt);
    let r = post_pairs(&learner, &attempt, &right_answers(&module.quiz.questions)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = learner.text(&quiz).await;
    assert!(html.contains("every attempt this quiz allows"));
    let r = learner.post_form(&quiz, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(
        statements(&app, &alpha, Verb::Attempted, ActivityKind::Quiz).await,
        1,
        "no second attempt was started"
    );
}

#[tokio::test]
async fn the_live_preview_renders_markdown_with_the_organisations_facts_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let alpha = installed(&app, "alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let before = app.state.store.courses(alpha.id).await.unwrap();
    let r = admin
        .post_form(
            "/o/alpha/curriculum/preview",
            &[(
                "body",
                "# Title\r\n\r\n## Part\r\n\r\n**bold** <script>x</script>",
            )],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    // The page has its own title: a leading `# Title` is left out, `##` stays a part heading.
    assert!(
        html.contains("<h2") && html.contains("<strong>bold</strong>"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "raw HTML is escaped");
    assert_eq!(app.state.store.courses(alpha.id).await.unwrap(), before);
    // A learner may not use it.
    let learner = app.signed_in(&alpha.learner).await;
    let r = learner
        .post_form("/o/alpha/curriculum/preview", &[("body", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The editor page carries the hook for the script.
    let c = somu_content::default_curriculum();
    let course = c.course("learner-orientation").unwrap();
    let m = &course.modules[0];
    let (_, page) = admin
        .text(&format!(
            "/o/alpha/curriculum/courses/{}/edit/{}/{}",
            course.slug,
            m.slug,
            somu_store::learning::lesson_slug(&m.lessons[0].file)
        ))
        .await;
    assert!(page.contains("data-live-preview=\"/o/alpha/curriculum/preview\""));
}

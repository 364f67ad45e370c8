//! Importing people from an HR CSV through the browser flow: upload, map, preview, import.

use crate::helpers::{location, TestApp};
use reqwest::StatusCode;

const GOOD: &str = "Employee ID,Full Name,E-mail,Department,Manager Email,Audience,Contract\n\
E1,Ana Lima,ana@alpha.test,Sales,,leadership,employee\n\
E2,Ben Okafor,ben@alpha.test,Sales,ana@alpha.test,practitioner,part-time\n\
E3,Chloé Dubois,chloe@alpha.test,Care,ana@alpha.test,observer,partner\n";

#[tokio::test]
async fn a_bad_file_is_refused_whole_with_every_problem_named() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let before = app
        .state
        .store
        .people(alpha.id, &Default::default(), 1000, 0)
        .await
        .unwrap()
        .total;
    let bad = "email,name,audience,start date\nok@alpha.test,Ok,observer,2026-01-05\nnot-an-email,Bad Row,practitioner,\nx@alpha.test,X,ceo,31/12/2025\n";
    let r = admin
        .upload("/o/alpha/import/people", "bad.csv", bad.as_bytes().to_vec())
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let map = location(&r);
    let (status, html) = admin.text(&map).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("3 problems"), "{html}");
    assert!(html.contains("line 3, <strong>email</strong>"));
    assert!(html.contains("line 4, <strong>audience</strong>"));
    assert!(html.contains("line 4, <strong>start date</strong>"));
    // Trying to import anyway changes nothing.
    let r = admin
        .post_form(
            &map,
            &[
                ("col0", "email"),
                ("col1", "name"),
                ("col2", "audience"),
                ("col3", "start_date"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let after = app
        .state
        .store
        .people(alpha.id, &Default::default(), 1000, 0)
        .await
        .unwrap()
        .total;
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_good_file_imports_with_progress_and_importing_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    for round in 0..2 {
        let r = admin
            .upload("/o/alpha/import/people", "hr.csv", GOOD.as_bytes().to_vec())
            .await;
        let map = location(&r);
        let (status, html) = admin.text(&map).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("3 rows are ready to import"));
        assert!(
            html.contains("<option value=\"employee_id\" selected>"),
            "the header was recognised"
        );
        let fields = [
            ("col0", "employee_id"),
            ("col1", "name"),
            ("col2", "email"),
            ("col3", "team"),
            ("col4", "manager"),
            ("col5", "audience"),
            ("col6", "employment_type"),
        ];
        let r = admin.post_form(&map, &fields).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let job = location(&r);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let last = loop {
            let (_, html) = admin.text(&job).await;
            if html.contains("data-status=\"done\"") || std::time::Instant::now() > deadline {
                break html;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        let expected = if round == 0 {
            "3 created, 0 updated, 0 unchanged, 2 teams created"
        } else {
            "0 created, 0 updated, 3 unchanged, 0 teams created"
        };
        assert!(last.contains(expected), "round {round}: {last}");
    }
    let ben = app
        .state
        .store
        .person_by_email(alpha.id, "ben@alpha.test")
        .await
        .unwrap()
        .expect("imported");
    assert_eq!(ben.manager_name.as_deref(), Some("Ana Lima"));
    assert_eq!(ben.employment_type, "part-time");
    // An updated export updates, matched by employee id even when the email changed.
    let changed = GOOD.replace("ben@alpha.test", "benjamin@alpha.test");
    let file = somu_domain::org::parse_people_csv(changed.as_bytes(), None, &|_| true).unwrap();
    let s = app
        .state
        .store
        .import_people(alpha.id, &file.rows, &|_, _| {})
        .await
        .unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 1, 2));
}

#[tokio::test]
async fn uploads_that_are_not_csv_or_too_large_are_refused() {
    let app = TestApp::spawn().await;
    let alpha = app.org("alpha", "Alpha").await;
    let admin = app.signed_in(&alpha.admin).await;
    let r = admin
        .upload(
            "/o/alpha/import/people",
            "photo.png",
            vec![0x89, b'P', b'N', b'G', 0, 0, 1],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("not a CSV text file"));
    let big = vec![b'a'; 3 * 1024 * 1024];
    let r = admin.upload("/o/alpha/import/people", "big.csv", big).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let r = admin
        .upload("/o/alpha/import/people", "empty.csv", Vec::new())
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn random_bytes_never_break_the_people_parser(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..4096)) {
        let _ = somu_domain::org::parse_people_csv(&bytes, None, &|_| false);
    }
}

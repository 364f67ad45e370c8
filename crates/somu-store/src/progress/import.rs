//! Historical completions from another learning system, recorded as learning statements.

use crate::{record_statements, with_tx, Result, Store};
use somu_domain::ids::{OrgId, PersonId};
use somu_domain::progress::Completion;
use somu_domain::xapi::{ActivityKind, NewStatement, Outcome, Verb};
use std::collections::{HashMap, HashSet};

/// The registration (xAPI context) every imported statement carries, so they can be told apart.
pub const IMPORT_REGISTRATION: &str = "import:completions";

impl Store {
    /// Record checked completions: a `completed` statement per line (and `passed` with the score
    /// when there is one). Lines whose person, course and time are already recorded as completed
    /// are skipped, so importing a file twice changes nothing. Returns (lines recorded, lines skipped).
    pub async fn import_completions(
        &self,
        org: OrgId,
        rows: &[Completion],
    ) -> Result<(usize, usize)> {
        let titles: HashMap<String, String> = self
            .courses(org)
            .await?
            .into_iter()
            .map(|c| (c.slug, c.title))
            .collect();
        let result = crate::retry_on_conflict(|| async {
            Ok(with_tx!(self, |tx| {
                let existing: Vec<(i64, String, i64)> = sqlx::query_as(
                    "SELECT person_id, key, at FROM statement WHERE org_id = $1 \
                     AND kind = 'course' AND verb = 'completed'",
                )
                .bind(org.0)
                .fetch_all(&mut *tx)
                .await?;
                let existing: HashSet<(i64, String, i64)> = existing.into_iter().collect();
                let mut stmts = Vec::new();
                let mut skipped = 0;
                for c in rows {
                    if existing.contains(&(c.person, c.course.clone(), c.at)) {
                        skipped += 1;
                        continue;
                    }
                    let name = titles
                        .get(&c.course)
                        .cloned()
                        .unwrap_or_else(|| c.course.clone());
                    let base = NewStatement {
                        person: PersonId(c.person),
                        verb: Verb::Completed,
                        kind: ActivityKind::Course,
                        key: c.course.clone(),
                        name,
                        parent: None,
                        registration: Some(IMPORT_REGISTRATION.to_string()),
                        outcome: Outcome {
                            completion: Some(true),
                            ..Default::default()
                        },
                        at: c.at,
                    };
                    if let Some(score) = c.score {
                        stmts.push(NewStatement {
                            verb: Verb::Passed,
                            outcome: Outcome {
                                scaled: Some(score),
                                raw: Some((score * 100.0).round()),
                                max: Some(100.0),
                                success: Some(true),
                                ..Default::default()
                            },
                            ..base.clone()
                        });
                    }
                    stmts.push(base);
                }
                record_statements!(tx, org, &stmts);
                (rows.len() - skipped, skipped)
            }))
        })
        .await?;
        Ok(result)
    }
}

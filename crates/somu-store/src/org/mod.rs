//! Organisations, memberships, teams and people.

mod import;
mod people;

pub use import::*;
pub use people::*;

use crate::{next_id_sql, retry_on_conflict, with_pool, Result, Store, StoreError};
use somu_domain::ids::{AccountId, OrgId, PersonId, TeamId};
use somu_domain::org::{AppRole, NewOrg};

/// An organisation.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Org {
    /// Id.
    pub id: i64,
    /// URL name.
    pub slug: String,
    /// Display name.
    pub name: String,
}

impl Org {
    /// Typed id.
    pub fn org_id(&self) -> OrgId {
        OrgId(self.id)
    }
}

/// An account's membership of one organisation, with the roles it holds there.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    /// The organisation.
    pub org: Org,
    /// The member record.
    pub person_id: PersonId,
    /// The member's name in this organisation.
    pub person_name: String,
    /// App roles held (every member is at least a learner).
    pub roles: Vec<AppRole>,
}

/// A team.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Team {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The team's manager.
    pub manager_id: Option<i64>,
    /// The manager's name.
    pub manager_name: Option<String>,
    /// The manager's email.
    pub manager_email: Option<String>,
    /// Active members.
    pub members: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    slug: String,
    name: String,
    person_id: i64,
    person_name: String,
}

impl Store {
    /// Create an organisation. `Conflict` when the slug is taken.
    pub async fn create_org(&self, new: &NewOrg) -> Result<Org> {
        let res: Result<Org> = with_pool!(self, |p| {
            sqlx::query_as(
            "INSERT INTO org (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id, slug, name"
        )
        .bind(new.slug.as_str())
        .bind(&new.name)
        .bind(crate::unix_now())
        .fetch_one(p)
        .await
        .map_err(StoreError::from)
        });
        match res {
            Err(e) if e.is_unique_violation() => Err(StoreError::Conflict(format!(
                "the slug {} is taken",
                new.slug
            ))),
            other => other,
        }
    }

    /// Find an organisation by slug.
    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<Org>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, slug, name FROM org WHERE slug = $1"
        )
        .bind(slug)
        .fetch_optional(p)
        .await)?)
    }

    /// Every organisation (for platform operators).
    pub async fn orgs(&self) -> Result<Vec<Org>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, slug, name FROM org ORDER BY name"
        )
        .fetch_all(p)
        .await)?)
    }

    /// The organisations an account is an active member of.
    pub async fn memberships(&self, account: AccountId) -> Result<Vec<Org>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT o.id, o.slug, o.name FROM membership m \
             JOIN org o ON o.id = m.org_id \
             JOIN person pe ON pe.org_id = m.org_id AND pe.id = m.person_id \
             WHERE m.account_id = $1 AND pe.active = TRUE ORDER BY o.name"
        )
        .bind(account.0)
        .fetch_all(p)
        .await)?)
    }

    /// The account's active membership of the organisation with this slug, with roles.
    pub async fn member(&self, account: AccountId, slug: &str) -> Result<Option<Member>> {
        let row: Option<MemberRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT o.id, o.slug, o.name, pe.id AS person_id, pe.name AS person_name \
             FROM org o \
             JOIN membership m ON m.org_id = o.id AND m.account_id = $2 \
             JOIN person pe ON pe.org_id = o.id AND pe.id = m.person_id \
             WHERE o.slug = $1 AND pe.active = TRUE"
        )
        .bind(slug)
        .bind(account.0)
        .fetch_optional(p)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        let org = OrgId(row.id);
        let person = PersonId(row.person_id);
        let roles = self.roles(org, person).await?;
        Ok(Some(Member {
            org: Org {
                id: row.id,
                slug: row.slug,
                name: row.name,
            },
            person_id: person,
            person_name: row.person_name,
            roles,
        }))
    }

    /// Link an account to a person of an organisation (the person's sign-in).
    pub async fn link_account(
        &self,
        org: OrgId,
        person: PersonId,
        account: AccountId,
    ) -> Result<()> {
        with_pool!(self, |p| {
            sqlx::query("UPDATE person SET account_id = $3 WHERE org_id = $1 AND id = $2")
                .bind(org.0)
                .bind(person.0)
                .bind(account.0)
                .execute(p)
                .await
                .map(|r| r.rows_affected())?;
            sqlx::query(
                "INSERT INTO membership (account_id, org_id, person_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (account_id, org_id) DO UPDATE SET person_id = excluded.person_id",
            )
            .bind(account.0)
            .bind(org.0)
            .bind(person.0)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Teams of an organisation with their member counts.
    pub async fn teams(&self, org: OrgId) -> Result<Vec<Team>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT t.id, t.name, t.manager_id, m.name AS manager_name, m.email AS manager_email, COALESCE(c.members, 0) AS members \
             FROM team t LEFT JOIN person m ON m.org_id = t.org_id AND m.id = t.manager_id \
             LEFT JOIN (SELECT team_id, COUNT(*) AS members FROM person \
                        WHERE org_id = $1 AND active = TRUE AND team_id IS NOT NULL GROUP BY team_id) c \
               ON c.team_id = t.id \
             WHERE t.org_id = $1 ORDER BY t.name"
        )
        .bind(org.0)
        .fetch_all(p)
        .await
        })?)
    }

    /// Team ids and names only, for pickers (cheap at any size).
    pub async fn team_names(&self, org: OrgId) -> Result<Vec<(i64, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM team WHERE org_id = $1 ORDER BY name"
        )
        .bind(org.0)
        .fetch_all(p)
        .await)?)
    }

    /// One team.
    pub async fn team(&self, org: OrgId, id: TeamId) -> Result<Team> {
        self.teams(org)
            .await?
            .into_iter()
            .find(|t| t.id == id.0)
            .ok_or(StoreError::NotFound)
    }

    /// Create a team; `Conflict` when the name is taken.
    pub async fn create_team(
        &self,
        org: OrgId,
        name: &str,
        manager: Option<PersonId>,
    ) -> Result<TeamId> {
        if let Some(m) = manager {
            self.person(org, m).await?;
        }
        let res = retry_on_conflict(|| async {
            Ok(with_pool!(self, |p| sqlx::query_scalar(concat!(
                "INSERT INTO team (org_id, id, name, manager_id, created_at) VALUES ($1, ",
                next_id_sql!("team"),
                ", $2, $3, $4) RETURNING id"
            ))
            .bind(org.0)
            .bind(name)
            .bind(manager.map(|m| m.0))
            .bind(crate::unix_now())
            .fetch_one(p)
            .await)?)
        })
        .await;
        match res {
            Err(e) if e.is_unique_violation() => {
                Err(StoreError::Conflict(format!("a team named {name} exists")))
            }
            other => other.map(TeamId),
        }
    }

    /// Rename a team or change its manager.
    pub async fn update_team(
        &self,
        org: OrgId,
        id: TeamId,
        name: &str,
        manager: Option<PersonId>,
    ) -> Result<()> {
        if let Some(m) = manager {
            self.person(org, m).await?;
        }
        let res = with_pool!(self, |p| sqlx::query(
            "UPDATE team SET name = $3, manager_id = $4 WHERE org_id = $1 AND id = $2"
        )
        .bind(org.0)
        .bind(id.0)
        .bind(name)
        .bind(manager.map(|m| m.0))
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        .map_err(StoreError::from));
        match res {
            Err(e) if e.is_unique_violation() => {
                Err(StoreError::Conflict(format!("a team named {name} exists")))
            }
            Err(e) => Err(e),
            Ok(0) => Err(StoreError::NotFound),
            Ok(_) => Ok(()),
        }
    }

    /// The app roles a person holds (always including learner).
    pub async fn roles(&self, org: OrgId, person: PersonId) -> Result<Vec<AppRole>> {
        let codes: Vec<String> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT role FROM person_role WHERE org_id = $1 AND person_id = $2"
        )
        .bind(org.0)
        .bind(person.0)
        .fetch_all(p)
        .await)?;
        let mut roles: Vec<AppRole> = codes.iter().filter_map(|c| c.parse().ok()).collect();
        if !roles.contains(&AppRole::Learner) {
            roles.push(AppRole::Learner);
        }
        roles.sort();
        Ok(roles)
    }

    /// Replace a person's app roles.
    pub async fn set_roles(&self, org: OrgId, person: PersonId, roles: &[AppRole]) -> Result<()> {
        self.person(org, person).await?;
        crate::with_tx!(self, |tx| {
            sqlx::query("DELETE FROM person_role WHERE org_id = $1 AND person_id = $2")
                .bind(org.0)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            for r in roles {
                sqlx::query(
                    "INSERT INTO person_role (org_id, person_id, role) VALUES ($1, $2, $3)",
                )
                .bind(org.0)
                .bind(person.0)
                .bind(r.code())
                .execute(&mut *tx)
                .await?;
            }
        });
        Ok(())
    }
}

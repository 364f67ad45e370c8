//! Who may use a route. Every route of the web layer declares one [`Access`]; the web layer
//! enforces it before the handler runs, and a test walks every route to check it.

use crate::org::AppRole;
use serde::Serialize;

/// The rule a route is guarded by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Access {
    /// Anyone, signed in or not (sign-in page, health checks, public verification pages).
    Public,
    /// Any signed-in account.
    SignedIn,
    /// A platform operator (creates organisations).
    Operator,
    /// A member of the organisation named in the path holding one of these roles.
    /// An empty list means any member.
    Org(&'static [AppRole]),
}

impl Access {
    /// Any member of the organisation.
    pub const MEMBER: Access = Access::Org(&[]);
    /// Organisation administrators only.
    pub const ADMIN: Access = Access::Org(&[AppRole::OrgAdmin]);
    /// People who may see the organisation's people directory.
    pub const STAFF: Access = Access::Org(&[
        AppRole::OrgAdmin,
        AppRole::ProgrammeOwner,
        AppRole::Instructor,
        AppRole::Manager,
    ]);

    /// Whether a member holding `roles` passes an organisation rule.
    /// Non-organisation rules are decided elsewhere and return `false` here.
    pub fn admits(self, roles: &[AppRole]) -> bool {
        match self {
            Access::Org(required) => {
                required.is_empty() || required.iter().any(|r| roles.contains(r))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_rules_admit_by_role() {
        assert!(Access::MEMBER.admits(&[AppRole::Learner]));
        assert!(!Access::ADMIN.admits(&[AppRole::Learner, AppRole::Manager]));
        assert!(Access::STAFF.admits(&[AppRole::Manager]));
        assert!(!Access::Public.admits(&[AppRole::OrgAdmin]));
    }
}

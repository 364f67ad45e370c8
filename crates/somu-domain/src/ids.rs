//! Identifier newtypes. An id only means something together with its organisation:
//! tenant-owned ids are numbered per organisation, so `PersonId(7)` exists in many orgs.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id_type!(
    /// An organisation (tenant). Platform-level rows use [`OrgId::PLATFORM`].
    OrgId
);
id_type!(
    /// A login account: one per human, across organisations.
    AccountId
);
id_type!(
    /// A person inside one organisation (the member record).
    PersonId
);
id_type!(
    /// A team inside one organisation.
    TeamId
);
id_type!(
    /// A personal API token inside one organisation.
    TokenId
);
id_type!(
    /// A background job (an import, a report) inside one organisation.
    JobId
);

impl OrgId {
    /// The pseudo-organisation that owns platform-level audit entries and mail.
    pub const PLATFORM: OrgId = OrgId(0);
}

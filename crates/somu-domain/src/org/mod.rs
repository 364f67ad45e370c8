//! Organisations, people, teams and app roles.

mod people;
mod people_csv;

pub use people::*;
pub use people_csv::*;

use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Defines a closed set with a stable lowercase code, parsing that is forgiving about case,
/// spaces and a few synonyms, and serde as the code.
#[macro_export]
macro_rules! closed_set {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal $(| $syn:literal)*),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in storage, URLs, files and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::org::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm: String = s.trim().to_ascii_lowercase().chars()
                    .map(|c| if c == '_' || c == ' ' { '-' } else { c }).collect();
                match norm.as_str() {
                    $($code $(| $syn)* => Ok($name::$variant),)+
                    _ => Err($crate::org::UnknownValue {
                        given: s.trim().to_string(),
                        allowed: &[$($code),+],
                    }),
                }
            }
        }
    };
}

/// A value that is not one of a closed set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// What was given.
    pub given: String,
    /// What would have been accepted.
    pub allowed: &'static [&'static str],
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not one of: {}",
            self.given,
            self.allowed.join(", ")
        )
    }
}

closed_set!(
    /// The audience profile: what a person needs to learn about social media, and at what depth.
    Audience {
        /// Sets direction and invests; wants vision, strategy and measurement.
        Leadership = "leadership" | "leader" | "executive",
        /// Accountable for a team's use; manages the social employee.
        Management = "management" | "manager",
        /// Takes part in social media for the business day to day.
        Practitioner = "practitioner",
        /// Runs systems, security and information structure.
        Infrastructure = "infrastructure" | "it",
        /// Touched by the results without taking part; includes partners.
        Observer = "observer",
    }
);

closed_set!(
    /// How a person works for the organisation.
    EmploymentType {
        /// Permanent staff.
        Employee = "employee" | "full-time" | "fulltime" | "permanent",
        /// Part-time staff.
        PartTime = "part-time" | "parttime",
        /// External contractor.
        Contractor = "contractor" | "freelance",
        /// A partner organisation's person.
        Partner = "partner",
    }
);

closed_set!(
    /// What a person may do in Somu inside one organisation.
    AppRole {
        /// Manages the organisation: people, roles, settings, audit.
        OrgAdmin = "org-admin" | "admin",
        /// Builds the curriculum, assigns it, sees adoption and ROI.
        ProgrammeOwner = "programme-owner" | "program-owner" | "owner",
        /// Runs sessions, grades, issues certificates.
        Instructor = "instructor" | "trainer",
        /// Sees the team's progress and activity.
        Manager = "manager",
        /// Learns. Every member is a learner.
        Learner = "learner",
    }
);

/// A validated organisation slug: 2–40 characters of `a-z`, `0-9` and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgSlug(String);

impl OrgSlug {
    /// Validate a slug, naming the field on error.
    pub fn parse(field: &str, s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if (2..=40).contains(&s.len()) && ok_chars && !s.starts_with('-') && !s.ends_with('-') {
            Ok(OrgSlug(s.to_string()))
        } else {
            Err(FieldError::new(
                field,
                "invalid-slug",
                "use 2 to 40 lowercase letters, digits and inner hyphens",
            ))
        }
    }

    /// The slug text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new organisation, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    /// URL name.
    pub slug: OrgSlug,
    /// Display name.
    pub name: String,
}

impl NewOrg {
    /// Validate the fields of a new organisation, collecting every problem.
    pub fn parse(slug: &str, name: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let slug = OrgSlug::parse("slug", slug)
            .map_err(|e| errors.push(e))
            .ok();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            errors.push(FieldError::new(
                "name",
                "length",
                "give a name of 1 to 120 characters",
            ));
        }
        match slug {
            Some(slug) if errors.is_empty() => Ok(NewOrg {
                slug,
                name: name.to_string(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_sets_parse_forgivingly_and_name_the_choices() {
        assert_eq!(
            "Part time".parse::<EmploymentType>(),
            Ok(EmploymentType::PartTime)
        );
        assert_eq!(" LEADERSHIP ".parse::<Audience>(), Ok(Audience::Leadership));
        assert_eq!("org_admin".parse::<AppRole>(), Ok(AppRole::OrgAdmin));
        let err = "ceo".parse::<Audience>().expect_err("not an audience");
        assert_eq!(
            err.to_string(),
            "\"ceo\" is not one of: leadership, management, practitioner, infrastructure, observer"
        );
    }

    #[test]
    fn slugs_are_checked() {
        assert!(OrgSlug::parse("slug", "acme-corp").is_ok());
        assert!(OrgSlug::parse("slug", "Acme").is_err());
        assert!(OrgSlug::parse("slug", "-acme").is_err());
        assert!(OrgSlug::parse("slug", "a").is_err());
        let errs = NewOrg::parse("A", "").expect_err("two problems");
        assert_eq!(errs.0.len(), 2);
    }
}

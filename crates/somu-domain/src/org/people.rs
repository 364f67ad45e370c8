//! A person's fields and their validation, shared by the web form, the JSON API and the HR CSV import.

use super::{Audience, EmploymentType};
use crate::time_util::parse_date;
use crate::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use time::Date;

/// The person fields that can be set by hand or by import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    /// The HR system's identifier; the import's natural key with the email.
    EmployeeId,
    /// Work email; unique within the organisation.
    Email,
    /// Full name as the person wants it shown.
    Name,
    /// Audience profile.
    Audience,
    /// Team name.
    Team,
    /// The manager's email or employee id.
    Manager,
    /// Employment type.
    EmploymentType,
    /// Preferred language (BCP 47 primary tag, e.g. `en`, `fr`, `nl`).
    Language,
    /// Job title.
    JobTitle,
    /// First day at the organisation (`YYYY-MM-DD`).
    StartDate,
}

impl PersonField {
    /// Every field, in form order.
    pub const ALL: &'static [PersonField] = &[
        PersonField::EmployeeId,
        PersonField::Email,
        PersonField::Name,
        PersonField::Audience,
        PersonField::Team,
        PersonField::Manager,
        PersonField::EmploymentType,
        PersonField::Language,
        PersonField::JobTitle,
        PersonField::StartDate,
    ];

    /// Stable snake_case code (form field name, JSON member).
    pub fn code(self) -> &'static str {
        match self {
            PersonField::EmployeeId => "employee_id",
            PersonField::Email => "email",
            PersonField::Name => "name",
            PersonField::Audience => "audience",
            PersonField::Team => "team",
            PersonField::Manager => "manager",
            PersonField::EmploymentType => "employment_type",
            PersonField::Language => "language",
            PersonField::JobTitle => "job_title",
            PersonField::StartDate => "start_date",
        }
    }

    /// Whether a value must be given.
    pub fn required(self) -> bool {
        matches!(self, PersonField::Email | PersonField::Name)
    }

    /// Header names an HR export commonly uses for this field (lowercase, normalised).
    pub fn header_synonyms(self) -> &'static [&'static str] {
        match self {
            PersonField::EmployeeId => &[
                "employee_id",
                "employee id",
                "employee number",
                "employee no",
                "emp id",
                "staff id",
                "personnel number",
                "id",
            ],
            PersonField::Email => &["email", "e-mail", "work email", "email address", "mail"],
            PersonField::Name => &["name", "full name", "display name", "employee name"],
            PersonField::Audience => &["audience", "audience profile", "profile"],
            PersonField::Team => &["team", "department", "dept", "unit"],
            PersonField::Manager => &[
                "manager",
                "manager email",
                "manager_email",
                "manager id",
                "line manager",
                "reports to",
            ],
            PersonField::EmploymentType => &[
                "employment_type",
                "employment type",
                "employment",
                "contract",
                "contract type",
                "worker type",
            ],
            PersonField::Language => &["language", "lang", "locale", "preferred language"],
            PersonField::JobTitle => &["job_title", "job title", "title", "position", "role"],
            PersonField::StartDate => &[
                "start_date",
                "start date",
                "hire date",
                "hire_date",
                "started",
            ],
        }
    }
}

/// Raw text values for a person, as they come from a form, a JSON body or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonDraft {
    /// See [`PersonField::EmployeeId`].
    pub employee_id: String,
    /// See [`PersonField::Email`].
    pub email: String,
    /// See [`PersonField::Name`].
    pub name: String,
    /// See [`PersonField::Audience`].
    pub audience: String,
    /// See [`PersonField::Team`].
    pub team: String,
    /// See [`PersonField::Manager`].
    pub manager: String,
    /// See [`PersonField::EmploymentType`].
    pub employment_type: String,
    /// See [`PersonField::Language`].
    pub language: String,
    /// See [`PersonField::JobTitle`].
    pub job_title: String,
    /// See [`PersonField::StartDate`].
    pub start_date: String,
}

impl PersonDraft {
    /// Set one field's raw value.
    pub fn set(&mut self, field: PersonField, value: &str) {
        let slot = match field {
            PersonField::EmployeeId => &mut self.employee_id,
            PersonField::Email => &mut self.email,
            PersonField::Name => &mut self.name,
            PersonField::Audience => &mut self.audience,
            PersonField::Team => &mut self.team,
            PersonField::Manager => &mut self.manager,
            PersonField::EmploymentType => &mut self.employment_type,
            PersonField::Language => &mut self.language,
            PersonField::JobTitle => &mut self.job_title,
            PersonField::StartDate => &mut self.start_date,
        };
        value.trim().clone_into(slot);
    }
}

/// A validated person, ready to store. Team and manager are still names/keys: the store resolves them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonInput {
    /// HR identifier, when the organisation has one.
    pub employee_id: Option<String>,
    /// Lowercased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Audience profile; `practitioner` when not given.
    pub audience: Audience,
    /// Team name.
    pub team: Option<String>,
    /// The manager's email (lowercased) or employee id.
    pub manager: Option<String>,
    /// Employment type; `employee` when not given.
    pub employment_type: EmploymentType,
    /// Preferred language; `en` when not given.
    pub language: String,
    /// Job title.
    pub job_title: Option<String>,
    /// First day.
    pub start_date: Option<Date>,
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Whether `s` looks like an email address: one `@`, a non-empty local part, a dotted domain,
/// no spaces. Deliverability is the mail server's business.
pub fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && domain.len() <= 253
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl PersonInput {
    /// Validate raw values. `label` names each field in messages (a form field or a CSV header),
    /// so that the error points at what the user sees.
    pub fn validate(
        draft: &PersonDraft,
        label: &dyn Fn(PersonField) -> String,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let err =
            |f: PersonField, code: &'static str, msg: String| FieldError::new(label(f), code, msg);

        let email = draft.email.trim().to_lowercase();
        if email.is_empty() {
            errors.push(err(
                PersonField::Email,
                "required",
                "an email address is required".into(),
            ));
        } else if !is_plausible_email(&email) {
            errors.push(err(
                PersonField::Email,
                "invalid-email",
                format!("\"{}\" is not an email address", draft.email.trim()),
            ));
        }
        let name = draft.name.trim();
        if name.is_empty() {
            errors.push(err(
                PersonField::Name,
                "required",
                "a name is required".into(),
            ));
        } else if name.chars().count() > 200 {
            errors.push(err(
                PersonField::Name,
                "too-long",
                "a name has at most 200 characters".into(),
            ));
        }
        let audience = match non_empty(&draft.audience) {
            None => Some(Audience::Practitioner),
            Some(a) => a
                .parse::<Audience>()
                .map_err(|e| {
                    errors.push(err(PersonField::Audience, "unknown-value", e.to_string()))
                })
                .ok(),
        };
        let employment_type = match non_empty(&draft.employment_type) {
            None => Some(EmploymentType::Employee),
            Some(a) => a
                .parse::<EmploymentType>()
                .map_err(|e| {
                    errors.push(err(
                        PersonField::EmploymentType,
                        "unknown-value",
                        e.to_string(),
                    ))
                })
                .ok(),
        };
        let language = non_empty(&draft.language)
            .map(|l| l.to_ascii_lowercase().replace('_', "-"))
            .unwrap_or_else(|| "en".to_string());
        let primary = language.split('-').next().unwrap_or("");
        if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_lowercase()) {
            errors.push(err(
                PersonField::Language,
                "invalid-language",
                format!(
                    "\"{}\" is not a language code such as en, fr or nl",
                    draft.language.trim()
                ),
            ));
        }
        let start_date = match non_empty(&draft.start_date) {
            None => None,
            Some(s) => {
                let d = parse_date(&s);
                if d.is_none() {
                    errors.push(err(
                        PersonField::StartDate,
                        "invalid-date",
                        format!("\"{s}\" is not a date in the form YYYY-MM-DD"),
                    ));
                }
                d
            }
        };
        let employee_id = non_empty(&draft.employee_id);
        if employee_id.as_ref().is_some_and(|e| e.chars().count() > 64) {
            errors.push(err(
                PersonField::EmployeeId,
                "too-long",
                "an employee id has at most 64 characters".into(),
            ));
        }
        let manager =
            non_empty(&draft.manager).map(|m| if m.contains('@') { m.to_lowercase() } else { m });
        if manager.is_some()
            && (manager.as_deref() == Some(email.as_str()) || manager == employee_id)
        {
            errors.push(err(
                PersonField::Manager,
                "self-manager",
                "a person cannot be their own manager".into(),
            ));
        }
        match (audience, employment_type) {
            (Some(audience), Some(employment_type)) if errors.is_empty() => Ok(PersonInput {
                employee_id,
                email,
                name: name.to_string(),
                audience,
                team: non_empty(&draft.team),
                manager,
                employment_type,
                language,
                job_title: non_empty(&draft.job_title),
                start_date,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(f: PersonField) -> String {
        f.code().to_string()
    }

    #[test]
    fn defaults_fill_optional_fields() {
        let draft = PersonDraft {
            email: " Ana@Example.COM ".into(),
            name: "Ana Lima".into(),
            ..Default::default()
        };
        let p = PersonInput::validate(&draft, &label).expect("valid");
        assert_eq!(p.email, "ana@example.com");
        assert_eq!(p.audience, Audience::Practitioner);
        assert_eq!(p.employment_type, EmploymentType::Employee);
        assert_eq!(p.language, "en");
    }

    #[test]
    fn every_problem_is_named() {
        let draft = PersonDraft {
            email: "not-an-email".into(),
            audience: "ceo".into(),
            start_date: "31/12/2025".into(),
            language: "english!".into(),
            ..Default::default()
        };
        let errs = PersonInput::validate(&draft, &label).expect_err("invalid");
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["email", "name", "audience", "language", "start_date"]
        );
    }

    #[test]
    fn emails_are_checked_plausibly() {
        assert!(is_plausible_email("a.b@c.example"));
        assert!(!is_plausible_email("a b@c.example"));
        assert!(!is_plausible_email("ab@example"));
        assert!(!is_plausible_email("@example.com"));
        assert!(!is_plausible_email("a@b@example.com"));
    }
}

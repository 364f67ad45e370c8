//! What every page template gets: the translator, the anti-forgery token, and who is looking.

use crate::access::{OrgCtx, Principal};
use crate::i18n::Tr;
use somu_domain::org::AppRole;

/// Navigation facts about the signed-in account.
#[derive(Clone, Debug)]
pub struct UserNav {
    /// Display name.
    pub name: String,
    /// Platform operator.
    pub is_operator: bool,
}

/// Navigation facts about the current organisation.
#[derive(Clone, Debug)]
pub struct OrgNav {
    /// Slug, for links.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Org admin.
    pub is_admin: bool,
    /// May see the people directory.
    pub is_staff: bool,
    /// The member's own person id.
    pub person_id: i64,
    /// May manage learning content (admin or programme owner).
    pub is_owner: bool,
}

/// The page frame.
#[derive(Clone, Debug)]
pub struct Page {
    /// Translator.
    pub tr: Tr,
    /// Anti-forgery token for forms.
    pub csrf: String,
    /// `<title>` and `<h1>`.
    pub title: String,
    /// Signed-in account.
    pub user: Option<UserNav>,
    /// Current organisation.
    pub org: Option<OrgNav>,
    /// A one-line confirmation shown at the top ("Saved.").
    pub notice: Option<String>,
}

impl Page {
    /// A page for someone not signed in.
    pub fn public(tr: Tr, csrf: &str, title_id: &str) -> Self {
        Page {
            title: tr.t(title_id),
            tr,
            csrf: csrf.to_string(),
            user: None,
            org: None,
            notice: None,
        }
    }

    /// A page for a signed-in account outside any organisation.
    pub fn account(p: &Principal, csrf: &str, title_id: &str) -> Self {
        let tr = Tr::new(&p.locale);
        Page {
            title: tr.t(title_id),
            tr,
            csrf: csrf.to_string(),
            user: Some(UserNav {
                name: p.name.clone(),
                is_operator: p.is_operator,
            }),
            org: None,
            notice: None,
        }
    }

    /// A page inside an organisation.
    pub fn org(ctx: &OrgCtx, csrf: &str, title_id: &str) -> Self {
        let mut page = Page::account(&ctx.principal, csrf, title_id);
        let admin = ctx.has(AppRole::OrgAdmin);
        page.org = Some(OrgNav {
            slug: ctx.member.org.slug.clone(),
            name: ctx.member.org.name.clone(),
            is_admin: admin,
            is_staff: somu_domain::access::Access::STAFF.admits(&ctx.member.roles),
            person_id: ctx.member.person_id.0,
            is_owner: admin || ctx.has(AppRole::ProgrammeOwner),
        });
        page
    }

    /// Replace the title with already-translated text.
    pub fn titled(mut self, title: String) -> Self {
        self.title = title;
        self
    }

    /// Show a notice, given by message id (unknown ids show nothing).
    pub fn with_notice(mut self, id: Option<&str>) -> Self {
        self.notice = id
            .filter(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
            .map(|id| self.tr.t(&format!("notice-{id}")))
            .filter(|s| !s.starts_with("Unknown localization"));
        self
    }

    /// Translate the message `<prefix>-<code>` (e.g. `audience-leadership`).
    pub fn tk(&self, prefix: &str, code: impl std::fmt::Display) -> String {
        self.tr.t(&format!("{prefix}-{code}"))
    }

    /// Translate (for templates).
    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }
}

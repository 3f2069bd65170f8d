//! Units administration (issue 17): add a unit under a parent, rename, move (re-parent with the
//! subtree's materialised paths), retire, and set the contacts notices go out on. Only the system
//! administrator may; every change is audited in the same transaction.

use ducha_domain::role::Role;
use ducha_domain::unit::{DepartmentKind, UnitLevel};
use ducha_store::admin::{self, Contacts};
use ducha_store::audit;
use ducha_store::directory::{self, NewUnit};
use serde::{Deserialize, Serialize};

pub use ducha_store::admin::UnitAdminRow;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// How a unit's webhook wants its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookKind {
    /// Today's signed JSON (`Idempotency-Key`, `X-Ducha-Signature: hmac-sm3=…`).
    Generic,
    /// 企业微信群机器人: `{"msgtype":"text","text":{"content":…}}`.
    Wecom,
    /// 钉钉群机器人: the same text message format.
    Dingtalk,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 3] = [WebhookKind::Generic, WebhookKind::Wecom, WebhookKind::Dingtalk];

    pub fn code(self) -> &'static str {
        match self {
            WebhookKind::Generic => "generic",
            WebhookKind::Wecom => "wecom",
            WebhookKind::Dingtalk => "dingtalk",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WebhookKind::Generic => "通用（签名 JSON）",
            WebhookKind::Wecom => "企业微信群机器人",
            WebhookKind::Dingtalk => "钉钉群机器人",
        }
    }

    /// Unknown text (an old row, a hand edit) reads as the generic kind.
    pub fn of(s: &str) -> Self {
        Self::parse(s).unwrap_or(WebhookKind::Generic)
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| AppError::invalid("webhook_kind", format!("未知的机器人类型“{s}”")))
    }
}

/// Whether a unit of level `child` may sit under a unit of level `parent`: the chain's own
/// dispatch rule (team → city → county → township/department). The team is the root.
pub fn check_parent(child: UnitLevel, parent: Option<UnitLevel>) -> Result<()> {
    let field = "parent_id";
    match (child, parent) {
        (UnitLevel::Team, _) => {
            Err(AppError::invalid(field, "督察组是单位树的根，只在初始化时创建，不能添加或移动"))
        }
        (_, None) => Err(AppError::invalid(field, format!("{}必须有上级单位", child.label()))),
        (c, Some(p)) if p.dispatches_to().is_some_and(|l| l.contains(&c)) => Ok(()),
        (c, Some(p)) => {
            let want = UnitLevel::ALL
                .into_iter()
                .filter(|l| l.dispatches_to().is_some_and(|d| d.contains(&c)))
                .map(UnitLevel::label)
                .collect::<Vec<_>>()
                .join("或");
            Err(AppError::invalid(
                field,
                format!("{}的上级应为{want}单位，不能设在{}单位之下", c.label(), p.label()),
            ))
        }
    }
}

/// A department names its kind; other levels have none.
pub fn check_dept_kind(level: UnitLevel, kind: Option<&str>) -> Result<Option<DepartmentKind>> {
    let kind = kind.map(str::trim).filter(|k| !k.is_empty());
    match (level, kind) {
        (UnitLevel::Department, None) => Err(AppError::invalid("dept_kind", "有关部门须选择部门类别")),
        (UnitLevel::Department, Some(k)) => DepartmentKind::parse(k)
            .map(Some)
            .ok_or_else(|| AppError::invalid("dept_kind", format!("未知的部门类别“{k}”"))),
        (_, None) => Ok(None),
        (l, Some(_)) => Err(AppError::invalid("dept_kind", format!("{}单位没有部门类别", l.label()))),
    }
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("name", "单位名称不能为空"));
    }
    if name.chars().count() > 64 {
        return Err(AppError::invalid("name", "单位名称最长64个字"));
    }
    Ok(name.to_owned())
}

fn check_code(code: &str) -> Result<String> {
    let code = code.trim();
    if code.is_empty()
        || code.len() > 64
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AppError::invalid("code", "单位代码只能由字母、数字和 . _ - 组成，最长64位"));
    }
    Ok(code.to_owned())
}

/// An e-mail address as people type it; empty clears.
pub fn check_email(s: &str) -> Result<Option<String>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let ok = s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && s.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'));
    if ok {
        Ok(Some(s.to_owned()))
    } else {
        Err(AppError::invalid("email", format!("“{s}”不是有效的电子邮箱地址")))
    }
}

/// A webhook address: http(s) with a host; empty clears.
pub fn check_webhook(s: &str) -> Result<Option<String>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match reqwest::Url::parse(s) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() && s.len() <= 2048 => {
            Ok(Some(s.to_owned()))
        }
        _ => Err(AppError::invalid("webhook", "机器人地址应为以 https:// 开头的完整网址")),
    }
}

/// A number for SMS notices: a mainland mobile number (11 digits, 1[3-9]…), `+86` allowed; empty
/// clears.
pub fn check_sms(s: &str) -> Result<Option<String>> {
    let s: String = s.trim().chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = s.strip_prefix("+86").unwrap_or(&s);
    let b = digits.as_bytes();
    if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit) {
        Ok(Some(digits.to_owned()))
    } else {
        Err(AppError::invalid("sms", format!("“{s}”不是有效的手机号码（11位，以1开头）")))
    }
}

/// A new unit as an administrator enters it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewUnitInput {
    pub code: String,
    pub name: String,
    pub level: String,
    #[serde(default)]
    pub dept_kind: Option<String>,
    pub parent_id: i64,
    #[serde(default)]
    pub region_code: Option<String>,
}

/// The contacts form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactsInput {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub webhook: String,
    #[serde(default)]
    pub webhook_kind: String,
    #[serde(default)]
    pub sms: String,
}

fn admin_only(by: &CurrentUser) -> Result<()> {
    if by.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden("只有系统管理员可以管理单位和人员"))
    }
}

fn unit_not_found() -> AppError {
    AppError::not_found("unit_not_found", "未找到该单位")
}

impl App {
    /// Every unit, retired ones included, in tree order.
    pub async fn admin_units(&self, by: &CurrentUser) -> Result<Vec<UnitAdminRow>> {
        admin_only(by)?;
        Ok(admin::units(&self.store).await?)
    }

    pub async fn admin_unit(&self, by: &CurrentUser, id: i64) -> Result<UnitAdminRow> {
        admin_only(by)?;
        admin::unit(&self.store, id).await?.ok_or_else(unit_not_found)
    }

    /// Add a unit under a parent, checked against the chain's level rules.
    pub async fn add_unit(&self, by: &CurrentUser, input: &NewUnitInput) -> Result<UnitAdminRow> {
        admin_only(by)?;
        let level = UnitLevel::parse(input.level.trim())
            .map_err(|_| AppError::invalid("level", format!("未知的单位层级“{}”", input.level.trim())))?;
        let code = check_code(&input.code)?;
        let name = check_name(&input.name)?;
        let kind = check_dept_kind(level, input.dept_kind.as_deref())?;
        let parent = admin::unit(&self.store, input.parent_id)
            .await?
            .ok_or_else(|| AppError::invalid("parent_id", "上级单位不存在"))?;
        check_parent(level, Some(parent.level))?;
        if parent.retired_at.is_some() {
            return Err(AppError::invalid("parent_id", format!("上级单位“{}”已撤销", parent.name)));
        }
        let region_code = match input.region_code.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                directory::region(&self.store, r)
                    .await?
                    .ok_or_else(|| AppError::invalid("region_code", format!("区划代码“{r}”不存在")))?;
                Some(r.to_owned())
            }
            // A department works in its county's region.
            None if level == UnitLevel::Department => parent.region_code.clone(),
            None => None,
        };
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = directory::insert_unit(
            &mut tx,
            &NewUnit {
                code: code.clone(),
                name: name.clone(),
                level: level.code().into(),
                dept_kind: kind.map(|k| k.code().to_owned()),
                parent_id: Some(parent.id),
                region_code: region_code.clone(),
                contact_email: None,
                contact_webhook: None,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &by.audit(
                now,
                "unit.create",
                "unit",
                id,
                serde_json::json!({ "code": code, "name": name, "level": level.code(),
                    "dept_kind": kind.map(DepartmentKind::code), "parent": parent.code, "region": region_code }),
            ),
        )
        .await?;
        let row = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        tx.commit().await?;
        Ok(row)
    }

    pub async fn rename_unit(&self, by: &CurrentUser, id: i64, name: &str) -> Result<UnitAdminRow> {
        admin_only(by)?;
        let name = check_name(name)?;
        let mut tx = self.store.begin().await?;
        let old = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        if old.name == name {
            return Ok(old);
        }
        admin::rename_unit(&mut tx, id, &name).await?;
        audit::append(
            &mut tx,
            &by.audit(
                self.now_ms(),
                "unit.rename",
                "unit",
                id,
                serde_json::json!({ "from": old.name, "to": name }),
            ),
        )
        .await?;
        let row = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        tx.commit().await?;
        Ok(row)
    }

    /// Re-parent a unit; the new parent must fit the level rules, be in service and lie outside the
    /// unit's own subtree. Every descendant's path follows.
    pub async fn move_unit(&self, by: &CurrentUser, id: i64, new_parent: i64) -> Result<UnitAdminRow> {
        admin_only(by)?;
        let mut tx = self.store.begin().await?;
        let unit = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        let parent = admin::unit_in_tx(&mut tx, new_parent)
            .await?
            .ok_or_else(|| AppError::invalid("parent_id", "新的上级单位不存在"))?;
        check_parent(unit.level, Some(parent.level))?;
        if unit.retired_at.is_some() {
            return Err(AppError::conflict("unit_retired", format!("“{}”已撤销，不能移动", unit.name)));
        }
        if parent.retired_at.is_some() {
            return Err(AppError::invalid("parent_id", format!("上级单位“{}”已撤销", parent.name)));
        }
        if parent.path.starts_with(&unit.path) {
            return Err(AppError::invalid("parent_id", "不能把单位移到它自己或它的下级单位之下"));
        }
        if unit.parent_id == Some(parent.id) {
            return Ok(unit);
        }
        let from = match unit.parent_id {
            Some(p) => admin::unit_in_tx(&mut tx, p).await?.map(|p| p.code),
            None => None,
        };
        let moved = admin::move_unit(&mut tx, id, parent.id).await?;
        audit::append(
            &mut tx,
            &by.audit(
                self.now_ms(),
                "unit.move",
                "unit",
                id,
                serde_json::json!({ "from_parent": from, "to_parent": parent.code, "paths_rewritten": moved }),
            ),
        )
        .await?;
        let row = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        tx.commit().await?;
        Ok(row)
    }

    /// Retire a unit: it keeps its history but gets no new assignments and is no dispatch target.
    /// Refused while it holds active assignments, has units in service under it, or enabled users —
    /// each named.
    pub async fn retire_unit(&self, by: &CurrentUser, id: i64) -> Result<UnitAdminRow> {
        admin_only(by)?;
        let mut tx = self.store.begin().await?;
        let unit = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        if unit.retired_at.is_some() {
            return Err(AppError::conflict("unit_retired", format!("“{}”已撤销", unit.name)));
        }
        if unit.level == UnitLevel::Team || unit.parent_id.is_none() {
            return Err(AppError::conflict("unit_root", "督察组是单位树的根，不能撤销"));
        }
        let active = admin::active_assignment_cases(&mut tx, id).await?;
        if !active.is_empty() {
            let mut e = AppError::conflict(
                "unit_has_active_assignments",
                format!(
                    "“{}”还有{}件在办案件（{}），办结或改派后才能撤销",
                    unit.name,
                    active.len(),
                    list(&active)
                ),
            );
            e.details = active;
            return Err(e);
        }
        let children = admin::live_children(&mut tx, id).await?;
        if !children.is_empty() {
            let mut e = AppError::conflict(
                "unit_has_children",
                format!("“{}”下还有未撤销的单位（{}），请先撤销或移走", unit.name, list(&children)),
            );
            e.details = children;
            return Err(e);
        }
        let users = admin::active_users_of(&mut tx, id).await?;
        if !users.is_empty() {
            let mut e = AppError::conflict(
                "unit_has_users",
                format!("“{}”还有启用的账号（{}），请先停用或调到其他单位", unit.name, list(&users)),
            );
            e.details = users;
            return Err(e);
        }
        let now = self.now_ms();
        admin::retire_unit(&mut tx, id, now).await?;
        audit::append(
            &mut tx,
            &by.audit(now, "unit.retire", "unit", id, serde_json::json!({ "code": unit.code })),
        )
        .await?;
        let row = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        tx.commit().await?;
        Ok(row)
    }

    /// Set how a unit is reached besides the in-app inbox; an empty field clears it.
    pub async fn set_unit_contacts(
        &self,
        by: &CurrentUser,
        id: i64,
        input: &ContactsInput,
    ) -> Result<UnitAdminRow> {
        admin_only(by)?;
        let c = Contacts {
            email: check_email(&input.email)?,
            webhook: check_webhook(&input.webhook)?,
            webhook_kind: if input.webhook_kind.trim().is_empty() {
                WebhookKind::Generic
            } else {
                WebhookKind::parse(&input.webhook_kind)?
            }
            .code()
            .to_owned(),
            sms: check_sms(&input.sms)?,
        };
        let mut tx = self.store.begin().await?;
        let unit = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        admin::set_contacts(&mut tx, id, &c).await?;
        // The webhook address often carries its key; the audit record says only whether one is set.
        audit::append(
            &mut tx,
            &by.audit(
                self.now_ms(),
                "unit.contacts",
                "unit",
                id,
                serde_json::json!({
                    "code": unit.code,
                    "email": c.email,
                    "webhook_set": c.webhook.is_some(),
                    "webhook_kind": c.webhook_kind,
                    "sms": c.sms,
                }),
            ),
        )
        .await?;
        let row = admin::unit_in_tx(&mut tx, id).await?.ok_or_else(unit_not_found)?;
        tx.commit().await?;
        Ok(row)
    }
}

/// The first few names of a list, `、`-joined, with the count of the rest.
fn list(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(5).map(String::as_str).collect();
    if items.len() > 5 { format!("{}等", shown.join("、")) } else { shown.join("、") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitLevel::*;

    #[test]
    fn parent_rules_follow_the_chain() {
        let cases: &[(UnitLevel, Option<UnitLevel>, bool)] = &[
            (City, Some(Team), true),
            (County, Some(City), true),
            (Township, Some(County), true),
            (Department, Some(County), true),
            (Team, None, false),
            (Team, Some(City), false),
            (City, None, false),
            (City, Some(County), false),
            (County, Some(Team), false),
            (County, Some(County), false),
            (Township, Some(City), false),
            (Township, Some(Township), false),
            (Township, Some(Department), false),
            (Department, Some(Township), false),
            (Department, Some(Team), false),
        ];
        for &(child, parent, ok) in cases {
            let got = check_parent(child, parent);
            assert_eq!(got.is_ok(), ok, "{child:?} under {parent:?}: {got:?}");
            if let Err(e) = got {
                assert_eq!(e.field.as_deref(), Some("parent_id"));
                assert!(!e.message.is_empty());
            }
        }
        let e = check_parent(Township, Some(City)).unwrap_err();
        assert!(e.message.contains("县（区）级"), "{}", e.message);
    }

    #[test]
    fn department_kind_rules() {
        let cases: &[(UnitLevel, Option<&str>, Result<Option<DepartmentKind>, &str>)] = &[
            (Department, Some("ecology"), Ok(Some(DepartmentKind::Ecology))),
            (Department, None, Err("dept_kind")),
            (Department, Some(" "), Err("dept_kind")),
            (Department, Some("police"), Err("dept_kind")),
            (Township, None, Ok(None)),
            (Township, Some(""), Ok(None)),
            (Township, Some("ecology"), Err("dept_kind")),
        ];
        for (level, kind, want) in cases {
            let got = check_dept_kind(*level, *kind);
            match want {
                Ok(k) => assert_eq!(got.as_ref().ok(), Some(k), "{level:?} {kind:?}"),
                Err(f) => assert_eq!(got.unwrap_err().field.as_deref(), Some(*f), "{level:?} {kind:?}"),
            }
        }
    }

    #[test]
    fn contact_parsing() {
        assert_eq!(check_email(" a@b.cn ").unwrap().as_deref(), Some("a@b.cn"));
        assert_eq!(check_email("").unwrap(), None);
        for bad in ["ab.cn", "a@b", "a b@c.cn", "@c.cn", "a@.cn"] {
            assert_eq!(check_email(bad).unwrap_err().field.as_deref(), Some("email"), "{bad}");
        }
        assert!(check_webhook("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x").unwrap().is_some());
        assert_eq!(check_webhook("").unwrap(), None);
        for bad in ["ftp://x/y", "qyapi.weixin.qq.com", "javascript:alert(1)"] {
            assert_eq!(check_webhook(bad).unwrap_err().field.as_deref(), Some("webhook"), "{bad}");
        }
        assert_eq!(check_sms("139-3930 0000").unwrap().as_deref(), Some("13939300000"));
        assert_eq!(check_sms("+8613939300000").unwrap().as_deref(), Some("13939300000"));
        for bad in ["12939300000", "1393930000", "0393-1234567", "1393930000a"] {
            assert_eq!(check_sms(bad).unwrap_err().field.as_deref(), Some("sms"), "{bad}");
        }
        assert_eq!(WebhookKind::parse("wecom").unwrap(), WebhookKind::Wecom);
        assert_eq!(WebhookKind::of("garbage"), WebhookKind::Generic);
        assert!(WebhookKind::parse("slack").is_err());
    }
}

//! People administration (issue 17): add a user (password from the administrator, or generated
//! and shown once), disable and re-enable (a disabled user's sessions end at once), reset a
//! password (to be changed at the next sign-in), change role and unit. Only the system
//! administrator may; every change is audited in the same transaction.

use ducha_domain::role::Role;
use ducha_store::audit;
use ducha_store::directory::{self, NewUser};
use serde::{Deserialize, Serialize};

pub use ducha_store::admin::UserAdminRow;

use crate::auth::{CurrentUser, hash_password};
use crate::{App, AppError, Result};

/// A new user as an administrator enters them. An empty or absent password means "generate one".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddUserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: i64,
    #[serde(default)]
    pub password: Option<String>,
}

/// What adding a user or resetting a password answers: the user, and the generated password when
/// the system chose it — shown this once and stored nowhere in clear.
#[derive(Debug, Clone, Serialize)]
pub struct PasswordIssued {
    pub user: UserAdminRow,
    pub generated_password: Option<String>,
}

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/l/I).
const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random 14-character password.
pub fn generate_password() -> String {
    let bytes = rand::random::<[u8; 14]>();
    bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect()
}

fn admin_only(by: &CurrentUser) -> Result<()> {
    if by.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::forbidden("只有系统管理员可以管理单位和人员"))
    }
}

fn user_not_found() -> AppError {
    AppError::not_found("user_not_found", "未找到该用户")
}

fn check_username(s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 || !s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        return Err(AppError::invalid("username", "用户名只能由字母、数字和 . _ - 组成，最长64位"));
    }
    Ok(s.to_owned())
}

fn check_display_name(s: &str) -> Result<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::invalid("display_name", "姓名不能为空"));
    }
    if s.chars().count() > 32 {
        return Err(AppError::invalid("display_name", "姓名最长32个字"));
    }
    Ok(s.to_owned())
}

/// The administrator's password, or a generated one (returned so it can be shown once).
fn chosen_or_generated(password: Option<&str>) -> (String, Option<String>) {
    match password.filter(|p| !p.is_empty()) {
        Some(p) => (p.to_owned(), None),
        None => {
            let g = generate_password();
            (g.clone(), Some(g))
        }
    }
}

impl App {
    pub async fn admin_users(&self, by: &CurrentUser) -> Result<Vec<UserAdminRow>> {
        admin_only(by)?;
        Ok(ducha_store::admin::users(&self.store).await?)
    }

    pub async fn admin_user(&self, by: &CurrentUser, id: i64) -> Result<UserAdminRow> {
        admin_only(by)?;
        ducha_store::admin::user(&self.store, id).await?.ok_or_else(user_not_found)
    }

    /// The role and unit must fit each other ([`Role::check_level`]); the unit must be in service.
    async fn role_and_unit(
        &self,
        role: &str,
        unit_id: i64,
    ) -> Result<(Role, ducha_store::admin::UnitAdminRow)> {
        let role = Role::parse(role.trim())?;
        let unit = ducha_store::admin::unit(&self.store, unit_id)
            .await?
            .ok_or_else(|| AppError::invalid("unit_id", "单位不存在"))?;
        if unit.retired_at.is_some() {
            return Err(AppError::invalid("unit_id", format!("“{}”已撤销，不能再设账号", unit.name)));
        }
        role.check_level(unit.level)?;
        Ok((role, unit))
    }

    /// Add a user. The first sign-in must change the password, whoever chose it.
    pub async fn add_user(&self, by: &CurrentUser, input: &AddUserInput) -> Result<PasswordIssued> {
        admin_only(by)?;
        let username = check_username(&input.username)?;
        let display_name = check_display_name(&input.display_name)?;
        let (role, unit) = self.role_and_unit(&input.role, input.unit_id).await?;
        let (password, generated) = chosen_or_generated(input.password.as_deref());
        let hash = hash_password(&self.cfg, &password)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = directory::insert_user(
            &mut tx,
            &NewUser {
                username: username.clone(),
                display_name: display_name.clone(),
                password_hash: hash.clone(),
                unit_id: unit.id,
                role: role.code().into(),
                created_at: now,
            },
        )
        .await
        .map_err(|e| {
            let mut e = AppError::from(e);
            if e.code == "user_exists" {
                e.field = Some("username".into());
            }
            e
        })?;
        ducha_store::admin::set_password(&mut tx, id, &hash, true).await?;
        audit::append(
            &mut tx,
            &by.audit(
                now,
                "user.create",
                "user",
                id,
                serde_json::json!({ "username": username, "display_name": display_name, "role": role.code(),
                    "unit": unit.code, "password": if generated.is_some() { "generated" } else { "set_by_admin" } }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(PasswordIssued { user: self.admin_user(by, id).await?, generated_password: generated })
    }

    /// Disable (`active = false`: every session ends at once, sign-in is refused) or re-enable.
    pub async fn set_user_active(&self, by: &CurrentUser, id: i64, active: bool) -> Result<UserAdminRow> {
        admin_only(by)?;
        if id == by.id && !active {
            return Err(AppError::conflict("cannot_disable_self", "不能停用自己的账号"));
        }
        let before = self.admin_user(by, id).await?;
        if (before.active != 0) == active {
            return Ok(before);
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        ducha_store::admin::set_active(&mut tx, id, active).await?;
        let ended = if active { 0 } else { ducha_store::admin::end_sessions(&mut tx, id).await? };
        let action = if active { "user.enable" } else { "user.disable" };
        audit::append(
            &mut tx,
            &by.audit(
                now,
                action,
                "user",
                id,
                serde_json::json!({ "username": before.username, "sessions_ended": ended }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.admin_user(by, id).await
    }

    /// Reset a password: from the administrator or generated (shown once). The user's sessions end
    /// and the next sign-in must change it.
    pub async fn reset_password(
        &self,
        by: &CurrentUser,
        id: i64,
        password: Option<&str>,
    ) -> Result<PasswordIssued> {
        admin_only(by)?;
        let before = self.admin_user(by, id).await?;
        let (password, generated) = chosen_or_generated(password);
        let hash = hash_password(&self.cfg, &password)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        ducha_store::admin::set_password(&mut tx, id, &hash, true).await?;
        let ended = ducha_store::admin::end_sessions(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &by.audit(
                now,
                "user.password_reset",
                "user",
                id,
                serde_json::json!({ "username": before.username, "sessions_ended": ended,
                    "password": if generated.is_some() { "generated" } else { "set_by_admin" } }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(PasswordIssued { user: self.admin_user(by, id).await?, generated_password: generated })
    }

    /// Change a user's role and unit together (they must fit each other). An administrator cannot
    /// take their own administrator role away.
    pub async fn change_role_unit(
        &self,
        by: &CurrentUser,
        id: i64,
        role: &str,
        unit_id: i64,
    ) -> Result<UserAdminRow> {
        admin_only(by)?;
        let before = self.admin_user(by, id).await?;
        let (role, unit) = self.role_and_unit(role, unit_id).await?;
        if id == by.id && role != Role::Admin {
            return Err(AppError::invalid("role", "不能取消自己的系统管理员角色"));
        }
        if before.role == role.code() && before.unit_id == unit.id {
            return Ok(before);
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        ducha_store::admin::set_role_unit(&mut tx, id, role.code(), unit.id).await?;
        audit::append(
            &mut tx,
            &by.audit(
                now,
                "user.role_unit",
                "user",
                id,
                serde_json::json!({ "username": before.username, "from": { "role": before.role, "unit_id": before.unit_id },
                    "to": { "role": role.code(), "unit": unit.code } }),
            ),
        )
        .await?;
        tx.commit().await?;
        self.admin_user(by, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_and_unambiguous() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.chars().count(), 14);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() && !"0O1lI".contains(c)));
    }

    #[test]
    fn username_and_name_rules() {
        assert_eq!(check_username(" wang.li ").unwrap(), "wang.li");
        for bad in ["", "王丽", "a b", &"x".repeat(65)] {
            assert_eq!(check_username(bad).unwrap_err().field.as_deref(), Some("username"), "{bad}");
        }
        assert_eq!(check_display_name(" 王丽 ").unwrap(), "王丽");
        assert!(check_display_name("  ").is_err());
        let (p, g) = chosen_or_generated(Some("chosen-by-admin"));
        assert_eq!((p.as_str(), g), ("chosen-by-admin", None));
        let (p, g) = chosen_or_generated(Some(""));
        assert_eq!(Some(p), g);
    }
}

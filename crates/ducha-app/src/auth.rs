//! Users, passwords (Argon2id), sessions, and what a logged-in user may see.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Actor;
use ducha_store::audit::{self, AuditEntry};
use ducha_store::cases::Scope;
use ducha_store::directory::{self, NewUser, UnitRow, UserRow};
use ducha_store::sessions::{self, SessionRow};
use serde::Serialize;
use sm3::{Digest, Sm3};

use crate::error::ErrorKind;
use crate::{App, AppError, Config, Result};

/// A logged-in person, with their unit.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit: UnitRow,
    pub level: UnitLevel,
    /// An administrator set the password: nothing but the change-password page until it is changed.
    #[serde(skip)]
    pub must_change_password: bool,
}

impl CurrentUser {
    /// Which cases this user may see: the team and the city see the whole campaign, a county office
    /// what was dispatched to it, a township or department what was assigned to it.
    pub fn scope(&self) -> Scope {
        match self.level {
            UnitLevel::Team | UnitLevel::City => Scope::All,
            UnitLevel::County => Scope::County(self.unit.id),
            UnitLevel::Township | UnitLevel::Department => Scope::Handler(self.unit.id),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor { role: self.role, level: self.level }
    }

    pub fn can_read_identity(&self) -> bool {
        self.role.may_read_identity()
    }

    pub fn audit(
        &self,
        at_ms: i64,
        action: &str,
        entity_type: &str,
        entity_id: impl ToString,
        detail: serde_json::Value,
    ) -> AuditEntry {
        AuditEntry {
            at_ms,
            actor_user_id: Some(self.id),
            actor_unit_id: Some(self.unit.id),
            actor_name: format!("{}（{}）", self.display_name, self.unit.name),
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id: entity_id.to_string(),
            detail,
        }
    }
}

fn argon(cfg: &Config) -> Result<Argon2<'static>> {
    let params = Params::new(cfg.argon2_m_cost.max(8), cfg.argon2_t_cost.max(1), 1, None)
        .map_err(|e| AppError::internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hash a new password, after checking it is long enough.
pub fn hash_password(cfg: &Config, password: &str) -> Result<String> {
    if password.chars().count() < 8 {
        return Err(AppError::invalid("password", "密码至少8位"));
    }
    argon(cfg)?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("argon2 hash: {e}")))
}

/// Check a password against a stored PHC string (its own parameters apply).
pub fn verify_password(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// The stored form of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sm3::digest(token.as_bytes()))
}

fn current_user(u: UserRow, unit: UnitRow) -> Result<CurrentUser> {
    let role = Role::parse(&u.role)?;
    let level = unit.level;
    Ok(CurrentUser {
        id: u.id,
        username: u.username,
        display_name: u.display_name,
        role,
        unit,
        level,
        must_change_password: u.must_change_password != 0,
    })
}

/// The refusal a disabled account gets at sign-in.
pub fn disabled() -> AppError {
    AppError::new(ErrorKind::Forbidden, "account_disabled", "该账号已停用，请联系系统管理员")
}

/// The refusal of every request but the change-password page while the password must be changed.
pub fn password_change_required() -> AppError {
    AppError::new(
        ErrorKind::Forbidden,
        "password_change_required",
        "管理员为你设置了新密码，请先在“修改密码”页（/password）修改密码后再继续",
    )
}

pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

#[derive(Debug, Clone)]
pub struct LoginOutcome {
    pub token: String,
    pub csrf: String,
    pub user: CurrentUser,
    pub expires_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub unit_code: String,
    pub role: String,
}

impl App {
    async fn current_user_from_row(&self, u: UserRow) -> Result<CurrentUser> {
        let unit = directory::unit(&self.store, u.unit_id)
            .await?
            .ok_or_else(|| AppError::internal("user without unit"))?;
        current_user(u, unit)
    }

    pub async fn load_user(&self, id: i64) -> Result<CurrentUser> {
        let u = directory::user(&self.store, id).await?.ok_or_else(AppError::unauthenticated)?;
        self.current_user_from_row(u).await
    }

    /// Password login with lockout after repeated failures. Every attempt is audited.
    pub async fn login(&self, username: &str, password: &str) -> Result<LoginOutcome> {
        let now = self.now_ms();
        let wrong = || AppError::new(ErrorKind::Unauthenticated, "bad_credentials", "用户名或密码错误");
        let username = username.trim();
        let Some(row) = directory::user_by_name(&self.store, username).await? else {
            // Spend the same effort as a real check so timing does not reveal which names exist.
            let _ =
                verify_password("$argon2id$v=19$m=256,t=1,p=1$c29tZXNhbHQ$3sF0w1Fh0r0ZyM3JbXz3HA", password);
            return Err(wrong());
        };
        if row.active == 0 {
            return Err(disabled());
        }
        if let Some(until) = row.locked_until.filter(|&t| t > now) {
            let minutes = ((until - now) / 60_000).max(1);
            return Err(AppError::new(
                ErrorKind::TooMany,
                "account_locked",
                format!("连续登录失败次数过多，账号已锁定，请{minutes}分钟后再试"),
            ));
        }
        let ok = verify_password(&row.password_hash, password);
        let user = self.current_user_from_row(row.clone()).await?;
        let mut tx = self.store.begin().await?;
        if !ok {
            let failures = row.failed_logins + 1;
            let lock =
                (failures >= self.cfg.login_max_failures).then(|| now + self.cfg.lockout_minutes * 60_000);
            directory::record_login(&mut tx, row.id, false, lock).await?;
            audit::append(
                &mut tx,
                &user.audit(
                    now,
                    "user.login_failed",
                    "user",
                    row.id,
                    serde_json::json!({ "failures": failures, "locked": lock.is_some() }),
                ),
            )
            .await?;
            tx.commit().await?;
            return Err(wrong());
        }
        directory::record_login(&mut tx, row.id, true, None).await?;
        let token = random_token();
        let csrf = random_token();
        let expires_at = now + self.cfg.session_ttl_hours * 3_600_000;
        sessions::insert(
            &mut tx,
            &SessionRow {
                token_hash: token_hash(&token),
                user_id: row.id,
                csrf_token: csrf.clone(),
                created_at: now,
                expires_at,
            },
        )
        .await?;
        audit::append(&mut tx, &user.audit(now, "user.login", "user", row.id, serde_json::json!({}))).await?;
        tx.commit().await?;
        Ok(LoginOutcome { token, csrf, user, expires_at })
    }

    /// The user and session behind a token, if it is live. A disabled user's token is refused (their
    /// sessions were ended when they were disabled; this holds for any left over), and so is every
    /// request of a user who must first change the password an administrator set
    /// (`password_change_required`) — pages, forms and API tokens alike.
    pub async fn authenticate(&self, token: &str) -> Result<(CurrentUser, SessionRow)> {
        let (user, s) = self.authenticate_for_password_change(token).await?;
        if user.must_change_password {
            return Err(password_change_required());
        }
        Ok((user, s))
    }

    /// [`App::authenticate`] for the one place a user who must change their password may reach: the
    /// change-password page.
    pub async fn authenticate_for_password_change(&self, token: &str) -> Result<(CurrentUser, SessionRow)> {
        let (s, row, unit) = sessions::get_with_user(&self.store, &token_hash(token), self.now_ms())
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        if row.active == 0 {
            return Err(AppError::unauthenticated());
        }
        Ok((current_user(row, unit)?, s))
    }

    /// A signed-in user changes their own password: the current one is checked, the new one must
    /// differ, the must-change mark is cleared and every other session of the user ends. Audited.
    pub async fn change_own_password(
        &self,
        token: &str,
        current: &str,
        new: &str,
        repeat: &str,
    ) -> Result<CurrentUser> {
        let (user, _) = self.authenticate_for_password_change(token).await?;
        let row = directory::user(&self.store, user.id).await?.ok_or_else(AppError::unauthenticated)?;
        if !verify_password(&row.password_hash, current) {
            return Err(AppError::invalid("current", "当前密码不正确"));
        }
        if new != repeat {
            return Err(AppError::invalid("repeat", "两次输入的新密码不一致"));
        }
        if new == current {
            return Err(AppError::invalid("password", "新密码不能与当前密码相同"));
        }
        let hash = hash_password(&self.cfg, new)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        ducha_store::admin::set_password(&mut tx, user.id, &hash, false).await?;
        let ended = ducha_store::admin::end_other_sessions(&mut tx, user.id, &token_hash(token)).await?;
        audit::append(
            &mut tx,
            &user.audit(
                now,
                "user.password_changed",
                "user",
                user.id,
                serde_json::json!({ "was_required": user.must_change_password, "other_sessions_ended": ended }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(CurrentUser { must_change_password: false, ..user })
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        sessions::delete(&mut tx, &token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Create a user (CLI, demo seeding, or an admin). Role and unit level must fit each other.
    pub async fn create_user(&self, by: Option<&CurrentUser>, input: &NewUserInput) -> Result<i64> {
        if let Some(by) = by
            && by.role != Role::Admin
        {
            return Err(AppError::forbidden("只有系统管理员可以创建用户"));
        }
        let username = input.username.trim();
        if username.is_empty()
            || username.len() > 64
            || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Err(AppError::invalid("username", "用户名只能由字母、数字和 . _ - 组成，最长64位"));
        }
        if input.display_name.trim().is_empty() {
            return Err(AppError::invalid("display_name", "姓名不能为空"));
        }
        let role = Role::parse(input.role.trim())?;
        let unit = directory::unit_by_code(&self.store, input.unit_code.trim())
            .await?
            .ok_or_else(|| AppError::invalid("unit", format!("单位代码“{}”不存在", input.unit_code)))?;
        role.check_level(unit.level)?;
        let hash = hash_password(&self.cfg, &input.password)?;
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = directory::insert_user(
            &mut tx,
            &NewUser {
                username: username.into(),
                display_name: input.display_name.trim().into(),
                password_hash: hash,
                unit_id: unit.id,
                role: role.code().into(),
                created_at: now,
            },
        )
        .await?;
        let (actor_id, actor_unit, actor_name) = match by {
            Some(b) => (Some(b.id), Some(b.unit.id), b.display_name.clone()),
            None => (None, None, "命令行".to_owned()),
        };
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: now,
                actor_user_id: actor_id,
                actor_unit_id: actor_unit,
                actor_name,
                action: "user.create".into(),
                entity_type: "user".into(),
                entity_id: id.to_string(),
                detail: serde_json::json!({ "username": username, "role": role.code(), "unit": unit.code }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let cfg = Config::for_tests();
        let h = hash_password(&cfg, "correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horsf"));
        assert!(!verify_password("garbage", "x"));
        assert_eq!(hash_password(&cfg, "short").unwrap_err().field.as_deref(), Some("password"));
    }
}

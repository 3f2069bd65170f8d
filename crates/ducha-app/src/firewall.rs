//! The identity firewall at the use cases' boundary (`ducha_shield`).
//!
//! Every free text a use case hands to a view for the public or for a role that may not read
//! identities, to a notification, or to the audit chain goes through a [`Shield`]: built for a case from
//! its sealed identity (opened in memory into the matcher only — never returned, never logged, so no
//! `identity.read` is written for it), or, for text tied to no case, with the general rules. Either
//! way the campaigns' hotlines are public numbers and stay.

use std::collections::HashMap;

use ducha_shield::{Finding, Identity, Screened, Shield};
use ducha_store::cases::{self, ComplainantIdentity};
use ducha_store::directory;
use ducha_store::outbox::NewMessage;

use crate::{App, Result};

/// The firewall's view of a recorded identity.
pub fn identity_of(who: &ComplainantIdentity) -> Identity {
    Identity {
        name: who.name.clone(),
        phone: who.phone.clone(),
        address: who.address.clone(),
        id_number: who.id_number.clone(),
        email: who.email.clone(),
        handle: who.handle.clone(),
    }
}

impl App {
    /// Numbers that are public and stay in screened text: every campaign's hotlines.
    async fn public_numbers(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for c in directory::campaigns(&self.store).await? {
            out.extend(serde_json::from_str::<Vec<String>>(&c.hotlines).unwrap_or_default());
        }
        Ok(out)
    }

    /// The firewall for text tied to no case (opinion items, discipline reports, notes, notices).
    pub async fn shield_none(&self) -> Result<Shield> {
        Ok(Shield::none().with_public_numbers(self.public_numbers().await?))
    }

    /// The firewall for each of these cases; a case without a recorded identity (or a platform without
    /// its key) gets the general rules.
    pub async fn shields(&self, case_ids: &[i64]) -> Result<HashMap<i64, Shield>> {
        let public = self.public_numbers().await?;
        let known = match &self.cipher {
            Some(cipher) if !case_ids.is_empty() => cases::identities(&self.store, cipher, case_ids).await?,
            _ => HashMap::new(),
        };
        Ok(case_ids
            .iter()
            .map(|id| {
                let s = match known.get(id) {
                    Some(who) => Shield::new(&identity_of(who)),
                    None => Shield::none(),
                };
                (*id, s.with_public_numbers(&public))
            })
            .collect())
    }

    /// The firewall for one case.
    pub async fn shield(&self, case_id: i64) -> Result<Shield> {
        let mut m = self.shields(&[case_id]).await?;
        Ok(m.remove(&case_id).unwrap_or_default())
    }

    /// A notification through the firewall (the case's, when its payload names one): subject, body and
    /// override reason are what units, their inboxes, e-mail and webhooks receive.
    pub(crate) async fn screen_message(&self, m: &NewMessage) -> Result<NewMessage> {
        let case_id = m.payload.get("case_id").and_then(serde_json::Value::as_i64);
        let shield = match case_id {
            Some(id) => self.shield(id).await?,
            None => self.shield_none().await?,
        };
        Ok(NewMessage {
            subject: shield.screen(&m.subject).into_string(),
            body: shield.screen(&m.body).into_string(),
            override_reason: m.override_reason.as_deref().map(|r| shield.screen(r).into_string()),
            ..m.clone()
        })
    }

    /// Callback comments stored before they were sealed: seal what was typed and keep only the firewalled
    /// text in the clear. Idempotent; run at start-up. Without a key nothing is changed (the comment
    /// could not be sealed); the views screen such comments anyway. Returns how many were sealed.
    pub async fn seal_legacy_callback_comments(&self) -> Result<usize> {
        let Some(cipher) = &self.cipher else { return Ok(0) };
        let rows = ducha_store::followup::unsealed_callbacks(&self.store).await?;
        let mut n = 0;
        for cb in rows {
            let screened = self.screen_for_case(cb.case_id, &cb.comment).await?;
            if screened.as_str() == cb.comment {
                continue;
            }
            let mut tx = self.store.begin().await?;
            ducha_store::followup::seal_callback_comment(&mut tx, Some(cipher), cb.id, &cb.comment).await?;
            ducha_store::followup::set_callback_comment(&mut tx, cb.id, screened.as_str()).await?;
            tx.commit().await?;
            n += 1;
        }
        Ok(n)
    }

    /// A case's text through its firewall.
    pub async fn screen_for_case(&self, case_id: i64, text: &str) -> Result<Screened> {
        Ok(self.shield(case_id).await?.screen(text))
    }

    /// What the firewall would hide in a case's text (for warnings and the publication check).
    pub async fn findings_for_case(&self, case_id: i64, text: &str) -> Result<Vec<Finding>> {
        Ok(self.shield(case_id).await?.findings(text))
    }
}

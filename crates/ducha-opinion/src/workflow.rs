//! An opinion item's own workflow (R3): new → assessed → alerted / escalated → handled, with notes.
//!
//! The desk assesses a new item (confirming or changing its level), alerts the township/street it
//! concerns, escalates key items (重大/特别重大) to the inspection team with a copy to the city office,
//! and closes it as handled with a note of what was done. A new item that needs nothing can be closed
//! at once with a reason; a handled item can be reopened with a reason. A note can be added at any time.

use serde::{Deserialize, Serialize};

use ducha_domain::DomainError;

use crate::severity::Level;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    New,
    Assessed,
    Alerted,
    Escalated,
    Handled,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::New,
        ItemStatus::Assessed,
        ItemStatus::Alerted,
        ItemStatus::Escalated,
        ItemStatus::Handled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::New => "new",
            ItemStatus::Assessed => "assessed",
            ItemStatus::Alerted => "alerted",
            ItemStatus::Escalated => "escalated",
            ItemStatus::Handled => "handled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::New => "待研判",
            ItemStatus::Assessed => "已研判",
            ItemStatus::Alerted => "已预警",
            ItemStatus::Escalated => "已报送",
            ItemStatus::Handled => "已处置",
        }
    }

    pub fn parse(s: &str) -> Result<ItemStatus, DomainError> {
        Self::ALL
            .into_iter()
            .find(|x| x.code() == s.trim())
            .ok_or_else(|| DomainError::invalid("status", format!("未知的舆情状态“{s}”")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemAction {
    /// 研判: confirm or change the level.
    Assess,
    /// 预警: tell the township/street concerned.
    Alert,
    /// 报送: key items to the inspection team, copy to the city office.
    Escalate,
    /// 处置完毕.
    Handle,
    /// 重新打开.
    Reopen,
    /// 备注 (no change of state).
    Note,
}

impl ItemAction {
    pub const ALL: [ItemAction; 6] = [
        ItemAction::Assess,
        ItemAction::Alert,
        ItemAction::Escalate,
        ItemAction::Handle,
        ItemAction::Reopen,
        ItemAction::Note,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ItemAction::Assess => "assess",
            ItemAction::Alert => "alert",
            ItemAction::Escalate => "escalate",
            ItemAction::Handle => "handle",
            ItemAction::Reopen => "reopen",
            ItemAction::Note => "note",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemAction::Assess => "研判",
            ItemAction::Alert => "向属地乡镇（街道）预警",
            ItemAction::Escalate => "报送督察组（抄送市攻坚办）",
            ItemAction::Handle => "处置完毕",
            ItemAction::Reopen => "重新打开",
            ItemAction::Note => "添加备注",
        }
    }

    pub fn parse(s: &str) -> Result<ItemAction, DomainError> {
        Self::ALL.into_iter().find(|a| a.code() == s.trim()).ok_or_else(|| {
            DomainError::invalid(
                "action",
                format!("未知的操作“{s}”（应为 assess、alert、escalate、handle、reopen 或 note）"),
            )
        })
    }

    /// Whether the action needs a written note.
    pub fn needs_note(self) -> bool {
        matches!(self, ItemAction::Handle | ItemAction::Reopen | ItemAction::Note)
    }
}

/// The shortest note accepted where one is required.
pub const MIN_NOTE_CHARS: usize = 4;

/// What the desk may do to an item in a given status.
pub fn allowed(status: ItemStatus) -> Vec<ItemAction> {
    ItemAction::ALL.into_iter().filter(|a| next(status, *a).is_some()).collect()
}

fn next(status: ItemStatus, action: ItemAction) -> Option<ItemStatus> {
    use ItemAction as A;
    use ItemStatus as S;
    match (status, action) {
        (_, A::Note) => Some(status),
        (S::New | S::Assessed, A::Assess) => Some(S::Assessed),
        (S::Assessed | S::Alerted, A::Alert) => Some(S::Alerted),
        (S::Assessed | S::Alerted, A::Escalate) => Some(S::Escalated),
        (S::New | S::Assessed | S::Alerted | S::Escalated, A::Handle) => Some(S::Handled),
        (S::Handled, A::Reopen) => Some(S::Assessed),
        _ => None,
    }
}

/// R3: the status after `action`, or a refusal naming the current status and what is allowed.
/// Escalation is for key items only (`level` 重大 or 特别重大).
pub fn transition(
    status: ItemStatus,
    action: ItemAction,
    level: Level,
    note: Option<&str>,
) -> Result<ItemStatus, DomainError> {
    let Some(to) = next(status, action) else {
        let allowed: Vec<&str> = allowed(status).into_iter().map(|a| a.label()).collect();
        let hint = match (status, action) {
            (ItemStatus::New, ItemAction::Alert | ItemAction::Escalate) => "，请先研判",
            _ => "",
        };
        return Err(DomainError::new(
            "illegal_transition",
            format!("该舆情当前为“{}”，不能执行“{}”{hint}", status.label(), action.label()),
        )
        .with_details(allowed.into_iter().map(|a| format!("可执行：{a}"))));
    };
    if action == ItemAction::Escalate && !level.is_key() {
        return Err(DomainError::new(
            "r3_escalate_key_only",
            format!(
                "只有重大或特别重大舆情才报送督察组，该舆情研判等级为“{}”；如需报送，请先重新研判等级",
                level.label()
            ),
        ));
    }
    if action.needs_note() && note.map(str::trim).unwrap_or("").chars().count() < MIN_NOTE_CHARS {
        return Err(DomainError::invalid("note", format!("请填写说明（不少于{MIN_NOTE_CHARS}个字）")));
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r3_item_workflow_table() {
        use ItemAction as A;
        use ItemStatus as S;
        use Level as L;
        let note = Some("已转乡镇核实处理");
        let rows: Vec<(S, A, L, Option<&str>, Result<S, &str>)> = vec![
            (S::New, A::Assess, L::Medium, None, Ok(S::Assessed)),
            (S::Assessed, A::Assess, L::High, None, Ok(S::Assessed)),
            (S::New, A::Alert, L::High, None, Err("illegal_transition")),
            (S::New, A::Escalate, L::Critical, None, Err("illegal_transition")),
            (S::Assessed, A::Alert, L::Low, None, Ok(S::Alerted)),
            (S::Alerted, A::Alert, L::Low, None, Ok(S::Alerted)),
            (S::Assessed, A::Escalate, L::High, None, Ok(S::Escalated)),
            (S::Alerted, A::Escalate, L::Critical, None, Ok(S::Escalated)),
            (S::Assessed, A::Escalate, L::Medium, None, Err("r3_escalate_key_only")),
            (S::Escalated, A::Escalate, L::Critical, None, Err("illegal_transition")),
            (S::Escalated, A::Alert, L::Critical, None, Err("illegal_transition")),
            (S::Escalated, A::Handle, L::Critical, note, Ok(S::Handled)),
            (S::New, A::Handle, L::Low, Some("与督察无关，无需处置"), Ok(S::Handled)),
            (S::Alerted, A::Handle, L::Low, None, Err("invalid_input")),
            (S::Alerted, A::Handle, L::Low, Some("好"), Err("invalid_input")),
            (S::Handled, A::Alert, L::High, None, Err("illegal_transition")),
            (S::Handled, A::Reopen, L::High, Some("群众再次反映，重新跟进"), Ok(S::Assessed)),
            (S::Handled, A::Reopen, L::High, None, Err("invalid_input")),
            (S::Handled, A::Note, L::Low, note, Ok(S::Handled)),
            (S::New, A::Note, L::Low, None, Err("invalid_input")),
            (S::Assessed, A::Reopen, L::Low, note, Err("illegal_transition")),
        ];
        for (from, action, level, note, want) in rows {
            let got = transition(from, action, level, note).map_err(|e| e.code);
            assert_eq!(got, want, "{from:?} --{action:?}({level:?})-->");
        }
    }

    #[test]
    fn r3_refusals_name_the_status_and_what_is_allowed() {
        let e = transition(ItemStatus::New, ItemAction::Escalate, Level::Critical, None).unwrap_err();
        assert!(e.message.contains("待研判") && e.message.contains("请先研判"), "{}", e.message);
        assert!(e.details.iter().any(|d| d.contains("研判")));
        assert_eq!(allowed(ItemStatus::Handled), vec![ItemAction::Reopen, ItemAction::Note]);
        for s in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse(s.code()).unwrap(), s);
        }
        assert_eq!(ItemAction::parse("teleport").unwrap_err().code, "invalid_input");
    }
}

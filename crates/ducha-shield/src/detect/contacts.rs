//! Contacts that identify a person: e-mails (written, spaced or spoken), chat accounts after their
//! labels, @handles and poster names (institutions' accounts stay), a phone's tail, and car plates
//! tied to a private person.

use std::sync::LazyLock;

use regex::Regex;

use crate::PiiKind;

use super::{Hit, P, push, re};

/// E-mails, chat accounts, @handles and poster names, and a phone's tail (手机尾号6621).
pub(super) fn contacts(t: &str, hits: &mut Vec<Hit>) {
    let p = &*P;
    // The e-mail patterns have no literal to search for; most texts hold no Latin letters at all.
    let latin = t.bytes().any(|b| b.is_ascii_alphabetic());
    for re in [&p.email, &p.email_spoken, &p.email_spaced] {
        if !latin {
            break;
        }
        for m in re.find_iter(t) {
            push(hits, m.start(), m.end(), PiiKind::Email, PiiKind::Email.token());
        }
    }
    for c in p.account.captures_iter(t).chain(p.v_label.captures_iter(t)) {
        // A label inside a longer code (…UWX52K…) is no label.
        let glued = c.get(0).is_some_and(|all| {
            t[..all.start()].chars().next_back().is_some_and(|b| b.is_ascii_alphanumeric())
                && all.as_str().starts_with(|ch: char| ch.is_ascii_alphabetic())
        });
        if let Some(m) = c.get(1)
            && !glued
        {
            push(hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    for c in
        p.at_handle.captures_iter(t).chain(p.username.captures_iter(t)).chain(p.account_cn.captures_iter(t))
    {
        let in_email = c.get(0).is_some_and(|all| {
            all.as_str().starts_with('@')
                && (t[..all.start()].chars().next_back().is_some_and(|b| b.is_ascii_alphanumeric() || b == '_')
                    // A local part this firewall already hid was glued to the @ the same way.
                    || ["某", "【电话】", "【邮箱】", "【账号】"].iter().any(|k| t[..all.start()].ends_with(k)))
        });
        if let Some(m) = c.get(1).or_else(|| c.get(2))
            && !is_institution(m.as_str())
            && !in_email
        {
            push(hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    // A QQ number read out with separators (QQ：284 461 7309, 2,4,8,6,6,…): the label says what it is.
    static QQ_SPACED: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)(?:qq|扣扣|企鹅)号?(?:码|是|为)?\s*[:：]?\s*((?:\d[\s,，.、-]{0,2}){4,11}\d)")
    });
    for c in QQ_SPACED.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    // A display name in quotes before what a poster does (“陆集老刀”回复：, “某某”写道).
    static POSTER: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"[“"「『]([^”"」』\n【】]{2,16})[”"」』]\s*(?:回复|回帖|跟帖|发帖|发文|评论|写道|留言|私信|转发了|点赞)"#,
        )
    });
    for c in POSTER.captures_iter(t) {
        // A column, mailbox or platform is where one posts, not who (“县长信箱”留言).
        const PLACES_TO_POST: &[&str] = &[
            "信箱",
            "平台",
            "网站",
            "栏目",
            "热线",
            "频道",
            "论坛",
            "贴吧",
            "专栏",
            "窗口",
            "留言板",
            "公众号",
        ];
        if let Some(m) = c.get(1)
            && !is_institution(m.as_str())
            && !PLACES_TO_POST.iter().any(|w| m.as_str().ends_with(w))
        {
            push(hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    // Fields of an export quoted as they are (“nickname”值为“梨园小燕子”, "openid": "oX9k…").
    static FIELD: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r#"(?i)[“"「](?:nickname|nick_name|openid|unionid|user_?name|real_?name|name|phone|mobile|wechat|昵称|姓名|用户名|微信号?|手机号?)[”"」]\s*(?:的?值为|值是|为|是|:|：)\s*[“"「]([^”"」\n]{2,40})[”"」]"#,
        )
    });
    for c in FIELD.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    // A phone read out in parts (前三位是一五八，中间四位是三九三零，后四位八八一六).
    static PARTS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:前|中间|后|末|最后)(?:三|四|3|4)位(?:数)?(?:是|为)?\s*[:：]?\s*([0-9一二三四五六七八九〇零幺两]{3,4})",
        )
    });
    let phone_words = ["手机", "电话", "号码", "座机"].iter().any(|w| t.contains(w));
    for c in PARTS.captures_iter(t) {
        if let Some(m) = c.get(1)
            && phone_words
        {
            push(hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token());
        }
    }
    // The tail of an ID number read back (身份证后六位：18091X, 末四位055x).
    static ID_TAIL: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:身份证|证件)(?:号码?)?的?(?:后|末|尾)(?:[四六46]|４|６)位(?:数字)?(?:是|为)?\s*[:：]?\s*([0-9]{3,5}[0-9Xx])",
        )
    });
    for c in ID_TAIL.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(hits, m.start(), m.end(), PiiKind::IdNumber, PiiKind::IdNumber.token());
        }
    }
    // 手机尾号6621: the tail of a phone is still the phone's.
    static TAIL: LazyLock<Regex> = LazyLock::new(|| re(r"尾号\s*(\d{3,4})"));
    for c in TAIL.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token());
        }
    }
}

/// A car's plate tied to a private person (我的车是豫J·D86Q1, 车主某某): hidden; a plate in a sentence about
/// a company's vehicles (渣土运输有限公司的车) stays.
pub(super) fn plates(t: &str, hits: &mut Vec<Hit>) {
    static PLATE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·・.\s-]?[A-Z0-9]{5,6}")
    });
    for m in PLATE.find_iter(t) {
        let from = t[..m.start()]
            .rfind(['。', '；', ';', '\n', '！', '？'])
            .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
        let to = t[m.end()..].find(['。', '；', ';', '\n', '！', '？']).map_or(t.len(), |i| m.end() + i);
        let sentence = &t[from..to];
        let company =
            ["公司", "厂", "站", "运输", "集团", "单位", "项目", "工地", "企业", "商砼", "罐车", "渣土车"]
                .iter()
                .any(|w| sentence.contains(w));
        let person =
            ["我的车", "俺的车", "我开", "俺开", "私家车", "个人", "本村", "村民", "我家", "摊贩", "流动"]
                .iter()
                .any(|w| sentence.contains(w));
        if person || !company {
            push(hits, m.start(), m.end(), PiiKind::Account, "【车牌】");
        }
    }
}

/// Government, media and company accounts are public (`@濮阳发布`, `@濮阳生态环境`).
pub(crate) fn is_institution(handle: &str) -> bool {
    // 大河报, 人民网, 濮阳电视台: media by their last letter.
    if handle.ends_with(['报', '网', '台']) && handle.chars().count() >= 3 {
        return true;
    }
    [
        "发布",
        "生态环境",
        "环境",
        "日报",
        "晚报",
        "新闻",
        "电视",
        "融媒",
        "政府",
        "公安",
        "官方",
        "网信",
        "督察",
        "环保",
        "生活圈",
        "广播",
        "人民",
        "政务",
        "办公室",
        "委员会",
        "局",
        "中心",
        "12345",
        "12369",
        "在线",
        "头条",
        "视点",
        "之声",
        "时报",
        "传媒",
        "频道",
    ]
    .iter()
    .any(|w| handle.contains(w))
}

//! The firewall's table tests: each line a text, the identity the case recorded, what must go and what
//! must stay. One helper, [`check`], so a change of convention touches one place.

#![allow(clippy::unwrap_used)]

use ducha_shield::{Identity, PiiKind, Shield, norm::Norm, redact};

fn none() -> Identity {
    Identity::default()
}

/// A reading without separators, for "is it still there in any form" checks.
fn squeeze(s: &str) -> String {
    Norm::new(s).text().chars().filter(|c| c.is_alphanumeric()).collect()
}

/// `pii` must be gone from the output (also after normalisation), `keep` must survive, and a second
/// pass changes nothing.
fn check(text: &str, known: &Identity, pii: &[&str], keep: &[&str]) -> String {
    let r = redact(text, known);
    for p in pii {
        assert!(!r.text.contains(p), "{p:?} survived in {:?}", r.text);
        let sp = squeeze(p);
        if sp.chars().count() >= 2 {
            assert!(!squeeze(&r.text).contains(&sp), "{p:?} survived (normalised) in {:?}", r.text);
        }
    }
    for k in keep {
        assert!(r.text.contains(k), "{k:?} was removed: {:?}", r.text);
    }
    assert_eq!(redact(&r.text, known).text, r.text, "not idempotent");
    for s in &r.spans {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end) && s.start < s.end);
    }
    r.text
}

#[test]
fn firewall_phones_in_every_common_form() {
    for (text, pii) in [
        ("我的电话13803930123，请回电", "13803930123"),
        ("电话 138 0393 0123", "138 0393 0123"),
        ("手机138-0393-0123", "138-0393-0123"),
        ("联系：１３８０３９３０１２３", "１３８０３９３０１２３"),
        ("+86 138 0393 0123", "138 0393 0123"),
        ("+8613803930123", "13803930123"),
        ("座机0393-8888888", "0393-8888888"),
        ("座机03938888888", "03938888888"),
        ("家里电话是4812345", "4812345"),
        ("(0393)8123456", "8123456"),
        ("手机138.0393.0123", "138.0393.0123"),
        ("手机138/0393/0123", "138/0393/0123"),
        ("电话(138)0393-0123", "0393-0123"),
        ("1 3 8 0 3 9 3 0 1 2 3", "1 3 8 0 3 9 3 0 1 2 3"),
        ("电话138\u{200B}0393\u{200B}0123", "0393"),
        ("电话138\u{00AD}0393\u{00AD}0123", "0393"),
        ("电话\u{202E}3210393083 1\u{202C}", "3210393083"),
        ("电话①③⑧⓪③⑨③⓪①②③", "①③⑧⓪③⑨③⓪①②③"),
        ("座机0393 8888123", "0393 8888123"),
        ("座机0393—8888123", "0393—8888123"),
        ("0086 138 0393 0123", "138 0393 0123"),
        ("手机138****0123", "138****0123"),
    ] {
        let out = check(text, &none(), &[pii], &[]);
        assert!(out.contains("【电话】"), "{text} → {out}");
    }
    // Business and public numbers are kept; dates, amounts and times are not phones.
    check(
        "厂家客服400-123-4567，打了12345热线，2023年12月15日，罚款5,000元，14:30到场",
        &none(),
        &[],
        &["400-123-4567", "12345", "2023年12月15日", "5,000", "14:30"],
    );
    check("督察组举报电话0393-8991369，每日8:00—20:00", &none(), &[], &["0393-8991369"]);
    let s = Shield::none().with_public_numbers(["0393-8991370"]);
    assert!(s.screen("请拨打0393-8991370反映").as_str().contains("0393-8991370"));
}

#[test]
fn firewall_phones_read_in_chinese_numerals() {
    check("电话一八九三九三一八八零六", &none(), &["一八九三九三一八八零六"], &[]);
    check("手机幺三八 零三九三 零幺二三", &none(), &["幺三八 零三九三 零幺二三"], &[]);
    check("电话138零三九三0123", &none(), &["138零三九三0123"], &[]);
    // Ordinary counting words stay.
    check("一二三四五六七个村都闻到了", &none(), &[], &["一二三四五六七"]);
    check("二〇二三年十二月五日第一批", &none(), &[], &["二〇二三年十二月五日", "第一批"]);
}

#[test]
fn firewall_id_numbers_email_accounts() {
    // 11010519491231002X is the standard example of a valid checksum.
    check("身份证号11010519491231002X", &none(), &["11010519491231002X"], &[]);
    check("身份证410928198001011234", &none(), &["410928198001011234"], &[]);
    check("老身份证410928800101123", &none(), &["410928800101123"], &[]);
    check("身份证 1101 0519 4912 3100 2x", &none(), &["0519 4912"], &[]);
    check(
        "身份证４１０９２８１９８００１０１１２３４",
        &none(),
        &["４１０９２８１９８００１０１１２３４"],
        &[],
    );
    check("身份证410928********069X", &none(), &["410928********069X"], &[]);
    check("邮箱 wang.jg@163.com 联系", &none(), &["wang.jg@163.com"], &[]);
    check("邮箱 wangjg AT 163 dot com", &none(), &["wangjg AT 163 dot com"], &[]);
    check("我的QQ：123456789，微信号：wjg_1980", &none(), &["123456789", "wjg_1980"], &["QQ", "微信号"]);
    check("加V信wjg1980或者vx：wjg_1980", &none(), &["wjg1980", "wjg_1980"], &[]);
    check("加我微信13803930123", &none(), &["13803930123"], &[]);
    check("网友“马庄桥的风”发帖说", &none(), &["马庄桥的风"], &["网友"]);
    check("@王大锤 说得对，@濮阳发布 快管管", &none(), &["王大锤"], &["@濮阳发布"]);
    // Credit codes and permit numbers are public.
    check(
        "统一社会信用代码91410900MA44ABCD1X，排污许可证号91410922MA9F1234X001V",
        &none(),
        &[],
        &["91410900MA44ABCD1X", "91410922MA9F1234X001V"],
    );
}

#[test]
fn firewall_names_from_record_and_text() {
    let who = Identity { name: Some("王建国".into()), ..none() };
    let out = check("王建国反映：村里有个塑料厂", &who, &["王建国"], &["塑料厂"]);
    assert!(out.starts_with("某某"), "{out}");
    check("王 建 国反映：村里有个塑料厂", &who, &["王 建 国"], &["塑料厂"]);
    check("王·建国说", &who, &["王·建国"], &[]);
    check("我叫李秀英，是柳屯镇的", &none(), &["李秀英"], &["柳屯镇"]);
    check("我是张伟，家在王庄村", &none(), &["张伟"], &["王庄村"]);
    check("我是王庄村的村民，村里有个厂", &none(), &[], &["王庄村"]);
    check("我是周边群众，反映鑫源化工厂排气", &none(), &[], &["周边群众", "鑫源化工厂"]);
    check("村东头的王师傅说厂里晚上排烟", &none(), &["王师傅"], &["师傅"]);
    check("请联系刘女士", &none(), &["刘女士"], &["女士"]);
    check("欧阳先生来电反映", &none(), &["欧阳先生"], &[]);
    check("老王家旁边有个作坊", &none(), &["老王"], &["作坊"]);
    check("是一个姓王的老板开的", &none(), &["姓王"], &["老板"]);
    check("举报人：赵国强", &none(), &["赵国强"], &[]);
    check(
        "敬爱的督察组：\n清丰县固城镇有个小厂偷排。\n此致\n敬礼！\n孙志刚\n2023年12月15日",
        &none(),
        &["孙志刚"],
        &["清丰县固城镇", "2023年12月15日"],
    );
    check("联系人 王建国 13803930123", &none(), &["王建国", "13803930123"], &[]);
    check("王建国，电话13803930123", &none(), &["王建国", "13803930123"], &[]);
    check("连续两个小时都有噪音，小区里的老人睡不着", &none(), &[], &["小时", "老人"]);
    // No lead-in word; a private person as the polluter; what others already anonymised.
    check("李红梅反映村北头有人烧垃圾", &none(), &["李红梅"], &[]);
    check("听说是李二狗家开的，老板叫孙红军", &none(), &["李二狗", "孙红军"], &[]);
    check("这个厂是王某某私自建的", &none(), &["王某某"], &[]);
    check("司马光明反映", &none(), &["司马光明"], &[]);
    check("张老三天天半夜烧电缆", &none(), &["张老三"], &[]);
    // Places that look like names stay.
    check(
        "李文彩村北、王楼镇、任丘路、阳邵镇、桥北张村、李家楼社区都有",
        &none(),
        &[],
        &["李文彩村", "王楼镇", "任丘路", "阳邵镇", "桥北张村", "李家楼社区"],
    );
    // A recorded name of one letter is not matched as a string (it would wipe out places).
    check("阳邵镇有个砖窑", &Identity { name: Some("阳".into()), ..none() }, &[], &["阳邵镇"]);
}

#[test]
fn firewall_home_address_detail_but_not_places() {
    let who = Identity { address: Some("濮阳县城关镇幸福小区3号楼2单元501".into()), ..none() };
    check(
        "我家住濮阳县城关镇幸福小区3号楼2单元501，楼下饭店油烟大",
        &who,
        &["幸福小区3号楼2单元501", "501"],
        &["濮阳县城关镇", "饭店"],
    );
    check("幸福小区三号楼二单元五零一的", &who, &["三号楼二单元五零一"], &[]);
    check("家住华龙区胜利路建业小区5栋1单元302室", &none(), &["建业小区5栋1单元302室"], &["华龙区胜利路"]);
    check("住在油田二号院3-2-501", &none(), &["3-2-501"], &[]);
    check("家住清丰县马庄桥镇王庄村，村东头有个小作坊", &none(), &[], &["清丰县马庄桥镇王庄村", "小作坊"]);
    check("东陈庄村七组", &none(), &["七组"], &["东陈庄村"]);
}

#[test]
fn firewall_self_identification_keeps_the_township() {
    // The residence is not where the source is: reduced to the township.
    let out = check(
        "我是胜利路街道马呼屯社区居民，反映开发区化工园夜里排臭气",
        &none(),
        &["马呼屯社区"],
        &["胜利路街道", "开发区化工园"],
    );
    assert!(out.contains("某社区"), "{out}");
    // The source is in the complainant's own community: the place stays.
    check("我是马呼屯社区的，俺这儿好多户冬天还烧散煤", &none(), &[], &["马呼屯社区"]);
    check("我家住东陈庄村，村北头有个塑料厂", &none(), &[], &["东陈庄村"]);
}

#[test]
fn firewall_keeps_enterprises_roads_villages() {
    check(
        "南乐县张果屯镇的濮阳市鑫源塑料制品有限公司在中原路附近偷排废水，李家庄村民都知道",
        &none(),
        &[],
        &["南乐县张果屯镇", "濮阳市鑫源塑料制品有限公司", "中原路", "李家庄"],
    );
}

#[test]
fn firewall_spans_point_into_the_original_and_output_has_no_invisible_characters() {
    let text = "电话：１３８０３９３０１２３";
    let r = redact(text, &none());
    assert_eq!(r.spans.len(), 1);
    assert_eq!(&text[r.spans[0].start..r.spans[0].end], "１３８０３９３０１２３");
    assert_eq!(r.spans[0].kind, PiiKind::Phone);
    let r = redact("柳屯镇\u{200B}塑料厂\u{202E}反\u{202C}\u{0007}", &none());
    assert_eq!(r.text, "柳屯镇塑料厂反");
}

#[test]
fn firewall_findings_describe_without_the_identity() {
    let s =
        Shield::new(&Identity {
            name: Some("王建国".into()), phone: Some("13803930123".into()), ..none()
        });
    let f = s.findings("已电话联系举报人王建国（138 0393 0123），其反映属实。");
    let kinds: Vec<PiiKind> = f.iter().map(|x| x.kind).collect();
    assert_eq!(kinds, vec![PiiKind::Name, PiiKind::Phone]);
    for x in &f {
        assert!(!x.context.contains("王建国") && !x.context.contains("0393"), "{x:?}");
    }
    assert!(f[1].context.contains("【电话】"), "{:?}", f[1]);
    assert!(s.findings("柳屯镇塑料厂已关停").is_empty());
}

#[test]
fn firewall_screened_text_is_screened_again_when_read_back() {
    let v: ducha_shield::Screened = serde_json::from_str("\"举报人王建国电话13803930123\"").unwrap();
    assert!(!v.as_str().contains("13803930123") && !v.as_str().contains("王建国"), "{v}");
}

#[test]
fn firewall_many_texts_in_one_pass_equal_one_by_one() {
    let s = Shield::new(&Identity { name: Some("王建国".into()), ..none() });
    let texts = ["柳屯镇", "举报人王建国", "电话138 0393 0123", "", "鑫源塑料厂", "我叫李秀英", "a⸻b"];
    let one_by_one: Vec<String> = texts.iter().map(|t| s.screen(t).into_string()).collect();
    let many: Vec<String> = s.screen_many(&texts).into_iter().map(|x| x.into_string()).collect();
    assert_eq!(many, one_by_one);
    let many: Vec<String> = s.screen_many(&texts[..6]).into_iter().map(|x| x.into_string()).collect();
    assert_eq!(many, one_by_one[..6]);
}

#[test]
fn firewall_names_spelled_out_on_the_hotline() {
    for (text, pii, keep) in [
        (
            "我姓张，弓长张，叫张玉芬，玉石的玉，芬芳的芬，电话没变",
            &["弓长张", "张玉芬", "玉石的玉", "芬芳的芬"][..],
            &["电话没变"][..],
        ),
        ("我姓汪，三点水的汪，家住附近", &["三点水的汪"], &["家住附近"]),
        ("木子李，李红霞，红色的红", &["木子李", "李红霞", "红色的红"], &[]),
        // A word, its 的, a character that starts another word: a sentence, not a spelling.
        ("陈村的陈大娘说过这事，我叫陈卫东", &["陈卫东", "陈大娘"], &["陈村的"]),
    ] {
        check(text, &none(), pii, keep);
    }
}

#[test]
fn firewall_the_source_in_another_village_leaves_the_home_village_identifying() {
    // 村西 here is the named source village's, so the complainant's own village goes.
    check(
        "梨园乡前任寨村的养猪户，猪粪水直排到村西渠里。反映人家住梨园乡后任寨村，手机号186 0393 2751。",
        &none(),
        &["后任寨村", "186 0393 2751"],
        &["前任寨村", "梨园乡"],
    );
    // Another place's 社区北侧 is not the complainant's home.
    check(
        "到后漳消社区北侧废品站检查。举报人潘志远，家住王助镇大村，与经营者同村。",
        &none(),
        &["潘志远", "大村"],
        &["后漳消社区北侧", "王助镇"],
    );
    // Placing himself twice (家在隔壁…, a signature) is no sign that the source is there.
    check(
        "塑料厂就在韩张镇西耿村村西，我家在隔壁侯耿村，天天闻焦糊味。—— 侯耿村老贾",
        &none(),
        &["侯耿村", "老贾"],
        &["韩张镇西耿村村西", "我家在隔壁"],
    );
    // Standing alone, with no other village named, 村里 is the complainant's own: the name stays.
    check("我家住东陈庄村，村里有个塑料厂天天烧东西。", &none(), &[], &["东陈庄村"]);
}

#[test]
fn firewall_letters_written_for_digits_and_a_county_named_like_a_name() {
    check("我电话 l38-O393-4O2l（l是1，O是0）", &none(), &["l38-O393-4O2l"], &[]);
    check("Hello 2023 Old", &none(), &[], &["Hello 2023 Old"]);
    check("河北大名金滩镇那个化工厂夜里又排", &none(), &[], &["大名金滩镇"]);
    check("他大名叫王铁柱，在厂里干活", &none(), &["王铁柱"], &["在厂里干活"]);
}

#[test]
fn firewall_names_in_latin_letters_initials_and_masks() {
    check("联系人：Sun Guiying，电话见附件", &none(), &["Sun Guiying"], &["电话见附件"]);
    check("— Xiuzhen WANG", &none(), &["Xiuzhen WANG"], &[]);
    check("落款：ma lihua", &none(), &["ma lihua"], &[]);
    check("上回署名H.Y.T，这回实名", &none(), &["H.Y.T"], &["这回实名"]);
    check("由李 MM 的亲戚经营", &none(), &["李 MM"], &["的亲戚经营"]);
    check("执行GB 37822，PM2.5和COD超标，见Open Data平台", &none(), &[], &["GB 37822", "COD", "Open Data"]);
    check("河南Henan Puyang的化工园区", &none(), &[], &["Henan Puyang"]);
    check("名单：钱**，王X军，李×华", &none(), &["钱**", "王X军", "李×华"], &[]);
    check("电话只遮了中间：137 **** 8842", &none(), &["137 **** 8842"], &[]);
}

#[test]
fn firewall_traditional_characters_and_relatives_named_after_a_kinship_word() {
    check("舉報人黃淑芬女士，電話13938392277", &none(), &["黃淑芬", "13938392277"], &[]);
    check("我和老伴儿孙凤琴天天闻这个味", &none(), &["孙凤琴"], &["天天闻这个味"]);
    check("张德旺他小舅子接着干", &none(), &["张德旺"], &["接着干"]);
    check("对方姓邱，邱姓村民说门口全是灰", &none(), &["邱"], &["门口全是灰"]);
    check("法定代表人于春生已到场", &none(), &["于春生"], &["已到场"]);
    check("她叫我“大姐”，灵奶奶庙村的", &none(), &[], &["灵奶奶庙村"]);
}

#[test]
fn firewall_accounts_and_numbers_read_out_in_parts() {
    check("QQ号：3 9 1 0 2 7 7 6 5", &none(), &["3 9 1 0 2 7 7 6 5"], &[]);
    check("小红书号：6628104937，笔记说", &none(), &["6628104937"], &["笔记说"]);
    check("抖音号“mm_lanlan22”，昵称另有", &none(), &["mm_lanlan22"], &[]);
    check("“姓名”值为“许晓东”，“openid”值为“o7Hq2-LkP9rT”", &none(), &["许晓东", "o7Hq2-LkP9rT"], &[]);
    check(
        "手机前三位是一三七，中间四位是零三九三，后四位六六二一",
        &none(),
        &["一三七", "零三九三", "六六二一"],
        &[],
    );
    check("核对身份证后六位：27031x，一致", &none(), &["27031x"], &[]);
    check("2楼“清丰老刘”回复：早该管了", &none(), &["清丰老刘"], &["早该管了"]);
    check("在“市长信箱”留言反映", &none(), &[], &["市长信箱"]);
}

//! Personal names in Chinese text: surnames, the shape of a name, and the words that look like one.

use std::sync::LazyLock;

use crate::is_han;

/// A set of characters as a sorted list (binary search: no hashing on the hot path).
fn sorted(s: &str) -> Vec<char> {
    let mut v: Vec<char> = s.chars().collect();
    v.sort_unstable();
    v.dedup();
    v
}

static SURNAME_SET: LazyLock<Vec<char>> = LazyLock::new(|| sorted(SURNAMES));
static STOP_SET: LazyLock<Vec<char>> = LazyLock::new(|| sorted(NAME_STOP));
static COMPOUND_FIRST: LazyLock<Vec<char>> =
    LazyLock::new(|| sorted(&COMPOUND_SURNAMES.iter().filter_map(|c| c.chars().next()).collect::<String>()));

/// Whether `c` is a single-character surname.
pub fn is_surname_char(c: char) -> bool {
    SURNAME_SET.binary_search(&c).is_ok()
}

/// Common single-character surnames (百家姓, the most frequent few hundred).
pub const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝陳張劉楊黃趙吳孫馬鄭謝韓馮鄧蕭葉蘇呂盧薑鐘譚陸賈韋鄒龔錢嚴溫齊喬龐聶魯嶽殷單裴塗駱藍遊靳鮑滕饒穆農簡車項蘆婁竇鄔邊欒鞏龍";

/// Compound surnames.
pub const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒", "宇文",
    "长孙", "歐陽", "司馬", "諸葛", "東方", "長孫", "端木", "百里", "呼延", "独孤", "南宫", "西门", "轩辕",
];

/// Characters that end a name candidate (function words, verbs, place suffixes …).
const NAME_STOP: &str = "的是在住家电话手机联系反映向举报投诉村镇乡县区市街路号今年岁人说和跟也都就这那请想要给对从于了啊呢吧嗯，。,.、；;：:！!？? \n\t（）()“”\"'厂店场站司院楼室组等们及与或被把将让叫称讲告";

/// A candidate followed by one of these is a place (王庄村, 李楼镇), not a person.
pub const PLACE_AFTER: &[char] = &[
    '村', '庄', '镇', '乡', '县', '区', '市', '屯', '寨', '集', '营', '厂', '店', '路', '街', '社', '小',
    '湾', '铺', '桥', '口', '河', '沟', '湖', '坑', '堤', '岗', '园', '场', '苑', '道', '巷', '里',
];

/// Place-like final letters: a "name" ending in one of these is a village (王庄, 张集).
const PLACE_FINAL: &[char] = &[
    '庄', '屯', '寨', '集', '营', '楼', '村', '镇', '乡', '县', '桥', '口', '店', '湾', '堤', '岗', '堌',
    '固', '铺', '湖', '河', '坡', '洼', '寺', '庙', '园', '港', '埠', '坝', '垛', '圈', '井', '阁', '台',
];

/// Everyday words that start with a surname letter (周边, 高中 …): never names.
const NOT_NAMES: &[&str] = &[
    "周边",
    "周围",
    "周末",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
    "高中",
    "高速",
    "高楼",
    "高压",
    "高温",
    "高度",
    "高峰",
    "本地",
    "本村",
    "当地",
    "东边",
    "西边",
    "南边",
    "北边",
    "东头",
    "西头",
    "前面",
    "后面",
    "上面",
    "下面",
    "常年",
    "长期",
    "双方",
    "全体",
    "全村",
    "方圆",
    "黄河",
    "金堤",
    "马路",
    "马上",
    "路过",
    "路面",
    "路上",
    "向您",
    "向你",
    "向领导",
    "向上",
    "向下",
    "和我",
    "关于",
    "于是",
    "文明",
    "文件",
    "安全",
    "安静",
    "安排",
    "白天",
    "夏天",
    "冬天",
    "秋天",
    "春天",
    "江河",
    "石料",
    "石灰",
    "麦苗",
    "麦子",
    "麦地",
    "麦田",
    "麦秸",
    "苗木",
    "谷子",
    "林地",
    "林木",
    "石子",
    "何时",
    "任何",
    "任务",
    "成天",
    "成立",
    "成本",
    "武装",
    "时间",
    "时候",
    "明天",
    "明显",
    "明确",
    "龙头",
    "雷声",
    "江边",
    "万一",
    "平时",
    "易燃",
    "温度",
    "康复",
    "齐心",
    "单位",
    "乔迁",
    "范围",
    "施工",
    "谷物",
    "史上",
    "田地",
    "田里",
    "田间",
    "司机",
    "黎明",
    "洪水",
    "牛棚",
    "牛场",
    "羊场",
    "孙子",
    "包括",
    "左右",
    "左边",
    "右边",
    "汤水",
    "邻居",
    "林地",
    "毛病",
    "连续",
    "连夜",
    "连着",
    "宁愿",
    "尚未",
    "曲线",
    "景区",
    "路边",
    "路口",
    "沙土",
    "沙石",
    "管道",
    "管理",
    "车间",
    "车辆",
    "车子",
    "项目",
    "池塘",
    "查处",
    "查看",
    "和平",
    "师傅",
    "朱砂",
    "胡同",
    "程序",
    "苏醒",
    "严重",
    "严格",
    "应该",
    "应当",
    "党员",
    "全部",
    "全天",
    "席子",
    "米粉",
    "冷却",
    "凌晨",
    "华龙",
    "台前",
    "南乐",
    "清丰",
    "卫生",
    "卫河",
    "金属",
    "金额",
    "钱财",
    "余下",
    "余热",
    "于今",
    "许多",
    "许可",
    "曾经",
    "董事",
    "邓小",
    "姚家",
    "段时",
    "雷雨",
    "贾家",
    "夏季",
    "夏日",
    "方面",
    "方向",
    "方便",
    "方式",
    "方法",
    "白色",
    "白烟",
    "黄色",
    "黄烟",
    "黄土",
    "蓝色",
    "石头",
    "林业",
    "苗木",
    "谷雨",
    "柴油",
    "华丽",
    "华北",
    "关停",
    "关闭",
    "关系",
    "关注",
    "关心",
    "宁静",
    "宫殿",
    "景象",
    "文化",
    "文字",
    "章程",
    "申请",
    "申报",
    "甘心",
    "季节",
    "童年",
    "舒服",
    "包装",
    "包工",
    "毕业",
    "成都",
    "成片",
    "柏油",
    "钟头",
    "常常",
    "常见",
    "常住",
    "常委",
    "温室",
    "牛粪",
    "牛羊",
    "羊粪",
    "马粪",
    "鲁西",
    "齐鲁",
    "房屋",
    "房子",
    "房间",
    "房顶",
    "房东",
    "房主",
    "路段",
    "路灯",
    "宋体",
    "祝福",
    "武汉",
    "邢台",
    "安阳",
    "焦作",
    "邯郸",
    "聊城",
    "菏泽",
    "明年",
    "今年",
    "时段",
    "戴着",
    "解决",
    "解放",
    "和睦",
    "和谐",
    "商户",
    "商量",
    "商店",
    "商品",
    "沙河",
    "沙子",
    "郎中",
    "冉冉",
    "仇恨",
    "边上",
    "边界",
    "应急",
    "康庄",
    "易于",
    "连接",
    "管委",
    "管护",
    "车主",
    "车牌",
    "项城",
    "费用",
    "卜卦",
    "时常",
    "司法",
    "高处",
    "尤其",
    "阳光",
    "阳台",
    "向阳",
    "农民",
    "农村",
    "农田",
    "农业",
    "简单",
    "简直",
    "全市",
    "全县",
    "全镇",
    "全乡",
    "全国",
    "全省",
    "全面",
    "应对",
    "戚城",
    "师生",
    "孔洞",
    "曲折",
    "冷水",
    "卫星",
    "苑区",
    "万元",
    "万多",
    "史料",
    "龚家",
    "古代",
    "古城",
    "吉利",
    "米左右",
    "米远",
    "江南",
    "包头",
    "岳父",
    "岳母",
];

/// Honorifics and kinship or trade words that follow a surname (`王先生`, `李师傅`, `张大爷`, `刘老板`).
pub const HONORIFICS: &[&str] = &[
    "先生",
    "女士",
    "小姐",
    "老师傅",
    "师傅",
    "师父",
    "大爷",
    "大妈",
    "大娘",
    "大姐",
    "大哥",
    "大伯",
    "大叔",
    "大婶",
    "大嫂",
    "阿姨",
    "老师",
    "同志",
    "奶奶",
    "爷爷",
    "老汉",
    "老太",
    "老头",
    "老板娘",
    "老板",
    "经理",
    "会计",
    "大夫",
    "医生",
    "二叔",
    "二婶",
    "三叔",
    "叔叔",
    "婆婆",
    "姥姥",
    "姥爷",
    "姑姑",
    "伯伯",
    "老爷子",
    "老太太",
    "大姨",
    "大舅",
    "舅舅",
    "妹子",
    "老弟",
    "老哥",
    "嫂子",
    "媳妇",
    "瘸子",
    "麻子",
    "胖子",
    "秃子",
    "瞎子",
    "聋子",
    "拐子",
    "矮子",
    "哥",
    "姐",
    "嫂",
    "婶",
    "叔",
    "伯",
    "舅",
    "姨",
];

/// Byte length of a surname at the start of `s`, if one is there.
pub fn surname_at(s: &str) -> Option<usize> {
    let c = s.chars().next()?;
    if COMPOUND_FIRST.binary_search(&c).is_ok()
        && let Some(cs) = COMPOUND_SURNAMES.iter().find(|cs| s.starts_with(**cs))
    {
        return Some(cs.len());
    }
    is_surname_char(c).then(|| c.len_utf8())
}

/// Whether `c` starts a place or ends a name candidate.
fn stops_name(c: char) -> bool {
    !is_han(c) || STOP_SET.binary_search(&c).is_ok()
}

/// A person's name starting at `s`: a surname and one or two given-name letters, or a surname with
/// 某 (`王某`, `王某某`, `李某国`: what is left of a name someone already anonymised still gives the
/// surname). Returns its byte length.
pub fn name_at(s: &str) -> Option<usize> {
    let sur = surname_at(s)?;
    let rest = &s[sur..];
    // 王某 / 王某某 / 李某国
    if let Some(after) = rest.strip_prefix('某') {
        let mut end = sur + '某'.len_utf8();
        if let Some(c) = after.chars().next()
            && (c == '某' || (is_han(c) && !stops_name(c) && !PLACE_AFTER.contains(&c)))
        {
            end += c.len_utf8();
        }
        return Some(end);
    }
    let mut end = sur;
    let mut given = 0;
    for c in rest.chars() {
        if given >= 2 || stops_name(c) || c == '某' {
            break;
        }
        end += c.len_utf8();
        given += 1;
    }
    if given == 0 {
        return None;
    }
    let name = &s[..end];
    if NOT_NAMES.iter().any(|w| name.starts_with(w)) {
        return None;
    }
    let after = s[end..].chars().next();
    if after.is_some_and(|c| PLACE_AFTER.contains(&c))
        || name.chars().last().is_some_and(|c| PLACE_FINAL.contains(&c))
    {
        return None;
    }
    Some(end)
}

/// Whether a whole string is a name (and nothing else).
pub fn is_name(s: &str) -> bool {
    (2..=4).contains(&s.chars().count()) && name_at(s) == Some(s.len())
}

/// Every syllable of Mandarin pinyin without tones (the 400-odd of the standard table, with `v` for
/// `ü`), to tell a name written in Latin letters (Zhang Xiuying) from an English word.
const PINYIN_SYLLABLES: &str = "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu lv luan lue lve lun luo ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nv nuan nue nve nuo o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo";

/// The pinyin of common surnames (and compound ones), lower-case.
const PINYIN_SURNAMES: &[&str] = &[
    "wang",
    "li",
    "zhang",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "wu",
    "zhou",
    "xu",
    "sun",
    "ma",
    "zhu",
    "hu",
    "guo",
    "he",
    "gao",
    "lin",
    "luo",
    "zheng",
    "liang",
    "xie",
    "song",
    "tang",
    "han",
    "feng",
    "deng",
    "cao",
    "peng",
    "zeng",
    "xiao",
    "tian",
    "dong",
    "yuan",
    "pan",
    "yu",
    "jiang",
    "cai",
    "du",
    "ye",
    "cheng",
    "su",
    "wei",
    "lv",
    "lu",
    "ding",
    "ren",
    "shen",
    "yao",
    "cui",
    "zhong",
    "tan",
    "fan",
    "jin",
    "shi",
    "liao",
    "jia",
    "xia",
    "fu",
    "fang",
    "bai",
    "zou",
    "meng",
    "xiong",
    "qin",
    "qiu",
    "yin",
    "xue",
    "yan",
    "duan",
    "lei",
    "hou",
    "long",
    "shao",
    "mao",
    "hao",
    "gu",
    "gong",
    "qian",
    "wan",
    "dai",
    "kong",
    "kang",
    "mo",
    "niu",
    "qiao",
    "ge",
    "xing",
    "an",
    "qi",
    "yi",
    "ji",
    "geng",
    "zhai",
    "ou",
    "ouyang",
    "sima",
    "zhuge",
    "shangguan",
    "dongfang",
    "huangfu",
    "chang",
    "wen",
    "ni",
    "yue",
    "zhan",
    "guan",
    "jiao",
    "zuo",
    "miao",
    "chai",
    "lan",
    "mei",
    "tong",
    "ling",
    "bi",
    "shan",
    "pei",
    "huo",
    "gan",
    "zhuang",
    "nie",
    "lang",
    "sang",
    "lou",
    "jing",
    "dang",
    "si",
    "sui",
];

/// Place names a pinyin reader would take for a person (Henan Puyang): never a name.
const PINYIN_PLACES: &[&str] = &[
    "henan",
    "hebei",
    "shandong",
    "shanxi",
    "beijing",
    "shanghai",
    "tianjin",
    "zhengzhou",
    "puyang",
    "anyang",
    "kaifeng",
    "luoyang",
    "xinxiang",
    "hebi",
    "jiaozuo",
    "nanle",
    "fanxian",
    "taiqian",
    "qingfeng",
    "hualong",
    "zhongyuan",
    "china",
    "zhongguo",
    "huanghe",
    "changjiang",
    "jinan",
    "wuhan",
    "nanjing",
    "xian",
];

/// `word` (lower-case ASCII letters) is one to three pinyin syllables.
pub(crate) fn is_pinyin_word(word: &str) -> bool {
    fn go(w: &str, left: usize) -> bool {
        if w.is_empty() {
            return true;
        }
        if left == 0 {
            return false;
        }
        (1..=w.len().min(6)).rev().any(|n| {
            w.is_char_boundary(n)
                && PINYIN_SYLLABLES.split(' ').any(|s| s == &w[..n])
                && go(&w[n..], left - 1)
        })
    }
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()) && go(word, 3)
}

/// `word` (lower-case) is the pinyin of a common surname.
pub(crate) fn is_pinyin_surname(word: &str) -> bool {
    PINYIN_SURNAMES.contains(&word)
}

/// `word` (lower-case) is a place's pinyin.
pub(crate) fn is_pinyin_place(word: &str) -> bool {
    PINYIN_PLACES.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_what_only_looks_like_one() {
        for (s, want) in [
            ("王建国反映", Some("王建国")),
            ("欧阳明说", Some("欧阳明")),
            ("李二狗家开的", Some("李二狗")),
            ("王某某家", Some("王某某")),
            ("李某国说", Some("李某国")),
            ("陳大文", Some("陳大文")),
            ("王庄村", None),
            ("李文彩村", None),
            ("王楼镇", None),
            ("周边群众", None),
            ("任丘路", None),
            ("张集", None),
        ] {
            assert_eq!(name_at(s).map(|n| &s[..n]), want, "{s}");
        }
    }
}

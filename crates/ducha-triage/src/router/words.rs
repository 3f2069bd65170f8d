//! The context word lists of the router: what, said next to a place, makes it the source's place
//! (…村一家塑料厂), a reference point (台前县*对岸*的…), the complainant's home (我家住…) or where the
//! effect is felt (飘到…); county short names that are everyday words; village-name endings.

/// Words naming the polluting source or act: a place right before one of these is where the source is.
pub(super) const SOURCE_WORDS: &[&str] = &[
    "厂",
    "公司",
    "企业",
    "作坊",
    "工地",
    "养殖场",
    "养猪场",
    "猪场",
    "鸡场",
    "牛场",
    "鸭场",
    "砖窑",
    "窑厂",
    "搅拌站",
    "加工点",
    "加工厂",
    "车间",
    "工厂",
    "煤场",
    "料场",
    "沙场",
    "堆场",
    "饭店",
    "烧烤",
    "洗车",
    "门市",
    "冒烟",
    "排放",
    "偷排",
    "直排",
    "倾倒",
    "焚烧",
    "异味",
    "臭味",
    "噪音",
    "排污",
    "污水",
    "烟囱",
    "锅炉",
    "废水",
    "垃圾",
    "扬尘",
    "粉尘",
    "站",
];
/// After a place: it is a reference point, the source lies across/next to it.
pub(super) const RELATION_AFTER: &[&str] = &[
    "对岸",
    "对面",
    "隔壁",
    "交界",
    "边界",
    "接壤",
    "河对岸",
    "过去",
    "那边过去",
    "方向",
    "往北",
    "往南",
    "往东",
    "往西",
];
/// Before a place: the place after it is where the source is.
pub(super) const RELATION_BEFORE: &[&str] =
    &["对岸", "对面", "隔壁", "那边的", "过河", "越界", "跨省", "外省"];
/// Before a place: the complainant's home, not necessarily the source.
pub(super) const HOME_WORDS: &[&str] = &[
    "我是",
    "我家",
    "家住",
    "住在",
    "我住",
    "本人住",
    "老家",
    "户籍",
    "我们是",
    "家在",
    "俺家",
    "俺是",
    "咱",
];
/// Before a place: it is only a reference point or where the effect is felt (靠近台前县的…, 飘到…).
pub(super) const REFERENCE_BEFORE: &[&str] = &[
    "靠近",
    "传至",
    "飘至",
    "影响至",
    "飘向",
    "刮到",
    "挨着",
    "临近",
    "紧邻",
    "毗邻",
    "离",
    "距离",
    "飘到",
    "传到",
    "影响到",
    "波及",
    "流到",
    "通到",
    "排到",
];
/// After a place: the effect is felt there, or it is "this side" of a border (…一带都能闻到, 范县这边).
pub(super) const REFERENCE_AFTER: &[&str] =
    &["这边", "一带都", "一带能", "受影响", "受到影响", "都能闻到", "都闻得到", "能闻到", "闻得到", "都受"];

/// Counties whose short names are everyday words; only their full names are matched.
pub(super) const COMMON_WORD_SHORTS: &[&str] = &[
    "中原", "和平", "新华", "长安", "开发", "东方", "平安", "永安", "安宁", "红旗", "胜利", "光明", "建设",
    "人民", "向阳", "前进", "先锋", "黄河", "工农", "东风", "立新", "解放", "城东", "城西", "城南", "城北",
    "河东", "河西", "江北", "江南", "南山", "北海", "青山", "白云", "新城", "东城", "西城", "中山", "鼓楼",
    "高新", "经开", "新区", "老城", "市中", "海港", "郊区", "沙河", "清河", "桥西", "桥东", "铁西", "铁东",
    "宝山", "龙华", "城中", "天河", "金水", "二七", "华龙", "大同", "海城", "东港", "朝阳", "西安", "永定",
    "普陀", "西湖", "海州", "通州", "新民", "兴化", "宁安", "安平", "永年", "建平",
];

/// Suffix letters that make a bare short village name (王庄, 后铁炉) safe enough to match.
pub(super) const VILLAGE_SHORT_ENDINGS: &[char] = &[
    '庄', '屯', '寨', '营', '集', '楼', '店', '堤', '口', '岗', '固', '堌', '头', '湾', '铺', '桥', '洼',
    '坡', '园', '庙', '拐', '城', '坊', '窑', '台', '堂', '寺', '里', '所', '关', '街', '林', '村',
];

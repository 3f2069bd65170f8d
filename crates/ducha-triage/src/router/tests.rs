//! The router on hand-written texts: official, common and short names, repeated township names,
//! villages and zones, outside places, unknown texts, evidence and confidence.

use super::*;
use std::sync::LazyLock;

static R: LazyLock<Router> = LazyLock::new(Router::builtin);

fn check(text: &str, county: &str, township: Option<&str>, village: Option<&str>) {
    let r = R.route(text);
    assert_eq!(
        (r.county.code(), r.township_code.as_deref(), r.village_code.as_deref()),
        (county, township, village),
        "{text}\n{r:?}"
    );
}

#[test]
fn routes_official_common_and_short_names() {
    check("濮阳县柳屯镇有个化工厂夜里排气", "410928", Some("410928101"), None);
    check("柳屯镇一个化工厂夜里排气", "410928", Some("410928101"), None);
    check("我们柳屯这边天天冒黑烟", "410928", Some("410928101"), None);
    check("华龙区中原路街道办事处辖区内一饭店油烟扰民", "410902", Some("410902001"), None);
    check("南乐县张果屯镇的一家塑料厂", "410923", Some("410923104"), None);
    check("台前县打渔陈镇沿黄一带有人非法采砂", "410927", Some("410927103"), None);
}

#[test]
fn resolves_repeated_township_names_from_other_places() {
    for (text, county) in [
        ("南乐县城关镇有个小作坊喷漆", "410923"),
        ("范县城关镇一家饭店油烟", "410926"),
        ("清丰县城关镇工地扬尘", "410922"),
        ("台前县城关镇夜间施工", "410927"),
        ("濮阳县城关镇一个锅炉冒黑烟", "410928"),
    ] {
        let r = R.route(text);
        assert_eq!(r.county.code(), county, "{text}");
        assert_eq!(r.township_code.as_deref(), Some(format!("{county}100").as_str()), "{text}");
    }
    // 城关镇 alone names five counties: nothing decides.
    check("城关镇有个作坊喷漆", "UNKNOWN", None, None);
    // A place named to say the source is NOT there does not locate it.
    check(
        "我是柳屯镇西陈庄的，俺村西头有个小作坊，跟东陈庄那个不是一家",
        "410928",
        Some("410928101"),
        Some("410928101209"),
    );
}

#[test]
fn routes_villages_and_zones() {
    check("濮阳县庆祖镇大桑树南一街村委会附近有人烧垃圾", "410928", Some("410928103"), Some("410928103248"));
    check("王助镇有个养殖场粪水直排", "410990", Some("410972100"), None);
    check("城乡一体化示范区新习镇一工地扬尘", "410990", Some("410972101"), None);
    check("濮阳经济技术开发区皇甫街道一家企业", "410972", Some("410972061"), None);
    check("开发区有家厂子晚上偷排", "410972", None, None);
    // The park has a single township (昌湖街道), so naming the park determines it.
    check("濮阳工业园区里的化工厂有异味", "410971", Some("410971001"), None);
    check("工业园区马头村那边化工味很大", "410971", Some("410971001"), Some("410971001107"));
}

#[test]
fn reports_outside_for_other_cities_and_provinces() {
    for text in [
        "山东省莘县一家化工厂排放刺鼻气体",
        "河北大名县有个炼油作坊",
        "安阳市滑县一家砖厂冒黑烟",
        "台前县对岸的阳谷县一家厂夜里排烟",
        "山东东明那边的化工厂味道飘过来",
        "聊城市的一个工地扬尘严重",
        // A Puyang village name inside an address over the border; the smell only reaches Puyang.
        "东明县马头镇一家化工企业夜间排放废气，气味传至濮阳县。",
        "山东阳谷县靠近台前县的一个工厂夜间排放黄烟，台前县侯庙一带都能闻到",
        "内黄县梁庄镇，安阳的内黄啊，不是濮阳县的梁庄镇，那边一个陶瓷厂烧窑，烟很大",
    ] {
        let r = R.route(text);
        assert_eq!(r.county.code(), "OUTSIDE", "{text}\n{r:?}");
        assert!(r.township_code.is_none());
    }
    let r = R.route("河北大名县有个炼油作坊");
    assert!(matches!(&r.county, CountyOutcome::Outside { name } if name.contains("大名县")), "{r:?}");
}

#[test]
fn unknown_when_nothing_locates() {
    for text in ["我家旁边有个厂天天冒烟", "晚上有噪音，睡不着", "", "濮阳市有人烧秸秆"]
    {
        assert_eq!(R.route(text).county, CountyOutcome::Unknown, "{text}");
    }
}

#[test]
fn local_beats_generic_abbreviation_of_another_place() {
    // 范县产业集聚区 is a place; 工业园区 right after 范县 belongs to 范县.
    check("范县工业园区一家企业异味", "410926", None, None);
}

#[test]
fn evidence_and_confidence() {
    let r = R.route("濮阳县柳屯镇有个化工厂");
    assert!(
        r.evidence.contains(&"濮阳县柳屯镇".to_owned()) || r.evidence.contains(&"柳屯镇".to_owned()),
        "{r:?}"
    );
    assert!(r.confidence.county > 0.5 && r.confidence.county <= 1.0);
    assert!(r.confidence.township > 0.3);
    assert_eq!(r.confidence.village, 0.0);
}

//! Items analysed per second on one core: `cargo bench -p ducha-opinion --bench analyse`.
//! Each iteration analyses a varied corpus (short posts, reposts, long articles): normalisation,
//! routing, lexicon scan, sentiment, severity, enterprise names, jieba keywords and the MinHash
//! fingerprint — everything `Analyzer::analyze` does. A second bench clusters 500 analysed items.

use divan::counter::ItemsCount;
use ducha_opinion::analyze::{Analyzer, Context};
use ducha_opinion::record::RawItem;

fn main() {
    divan::main();
}

const POSTS: &[&str] = &[
    "濮阳县柳屯镇有个塑料颗粒加工点晚上偷偷生产，冒黑烟，气味刺鼻，举报多次一直没人管！",
    "太过分了 //@濮阳身边事:转发微博 //@网友甲:华龙区岳村镇工地扬尘严重，渣土车不苫盖，路上全是灰。",
    "清丰县城关镇宏达家具厂露天喷漆，油漆味很大，附近孩子咳嗽不止，老人头晕。",
    "南乐县一家养猪场粪污直排进河，河水发黑发臭，死鱼漂了一片，村民几十人聚集在厂门口讨说法。",
    "督察组交办的问题整改到位，河水变清了，给督察组点赞！",
    "范县产业集聚区化工厂泄漏，两名工人中毒送医抢救，现场有刺鼻气味。",
    "台前县全县砖厂一刀切全部关停，几百个工人失业，生计没了着落，凭什么？",
    "督察组一走就恢复生产，整改就是走过场，糊弄群众，这样的形式主义什么时候是个头。",
    "濮阳市生态环境局发布第三批交办案件办理情况，共办结群众举报42件。",
    "文留镇一家砖厂烟囱冒黑烟，粉尘大，晚上还在生产。",
];

fn corpus() -> Vec<RawItem> {
    let mut items = Vec::new();
    for (i, p) in POSTS.iter().enumerate() {
        items.push(RawItem {
            text: (*p).into(),
            reposts: i as i64 * 37,
            comments: i as i64 * 11,
            ..RawItem::default()
        });
        // A news article: title plus a longer body made of several posts.
        let body: String = POSTS.iter().cycle().skip(i).take(5).copied().collect::<Vec<_>>().join("");
        items.push(RawItem {
            title: Some(p.chars().take(16).collect()),
            text: body,
            outlet: Some(["大河报", "濮阳日报", "人民网", "某网友"][i % 4].into()),
            url: Some(format!("https://news.example.cn/a/{i}?utm_source=wx")),
            ..RawItem::default()
        });
    }
    items
}

/// The whole corpus (10 posts and 10 articles) per iteration, so one figure covers the mix.
#[divan::bench(sample_count = 100)]
fn analyse_corpus(bencher: divan::Bencher) {
    let az = Analyzer::builtin();
    let items = corpus();
    bencher.counter(ItemsCount::new(items.len())).bench_local(|| {
        for it in &items {
            divan::black_box(az.analyze(divan::black_box(it), &Context::default()));
        }
    });
}

#[divan::bench(sample_count = 20)]
fn cluster_a_day(bencher: divan::Bencher) {
    let az = Analyzer::builtin();
    let items = corpus();
    let inputs: Vec<ducha_opinion::TopicInput> = (0..500)
        .map(|n| {
            let a = az.analyze(&items[n % items.len()], &Context::default());
            ducha_opinion::TopicInput {
                id: n as i64,
                title: a.text.chars().take(20).collect(),
                keywords: a.keywords,
                county_code: a.county_code,
                sentiment: a.sentiment.label,
                level: a.assessment.level,
                weight: 1.0,
            }
        })
        .collect();
    bencher
        .counter(ItemsCount::new(inputs.len()))
        .bench_local(|| divan::black_box(ducha_opinion::topics::cluster(&inputs)));
}

//! Hot topics of a day: items clustered by their content words.
//!
//! Each item is a TF-IDF vector over its keywords (IDF from the day's items themselves, so words every
//! post uses weigh little). Items are taken heaviest first (reposts count) and join the topic whose
//! centroid is closest by cosine similarity if it reaches [`JOIN_FROM`], else start a topic. A topic is
//! named by its heaviest item's title and its top words; its heat is its items' weight, with negative
//! and key items counting extra. Vectors are ordered maps, so their sums run in one order and the same
//! items give the same topics in every process (a `HashMap`'s order changes from run to run).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::sentiment::SentimentLabel;
use crate::severity::Level;

/// Cosine similarity to a topic's centroid needed to join it.
pub const JOIN_FROM: f32 = 0.3;

/// One item as clustering sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicInput {
    pub id: i64,
    pub title: String,
    pub keywords: Vec<String>,
    pub county_code: Option<String>,
    pub sentiment: SentimentLabel,
    pub level: Level,
    /// 1 plus the reposts collected of it.
    pub weight: f32,
}

/// A hot topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    /// The heaviest item's title.
    pub label: String,
    pub keywords: Vec<String>,
    pub item_ids: Vec<i64>,
    /// Items and their collected reposts.
    pub volume: f32,
    pub negative: usize,
    pub top_level: Level,
    /// County codes by how many items name them.
    pub counties: Vec<String>,
    pub heat: f32,
}

fn normalise(v: &mut BTreeMap<String, f32>) {
    let n = v.values().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        for x in v.values_mut() {
            *x /= n;
        }
    }
}

fn cosine(a: &BTreeMap<String, f32>, b: &BTreeMap<String, f32>) -> f32 {
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter_map(|(k, x)| big.get(k).map(|y| x * y)).sum()
}

/// Clusters a day's items into topics, hottest first.
pub fn cluster(items: &[TopicInput]) -> Vec<Topic> {
    let n = items.len() as f32;
    let mut df: HashMap<&str, f32> = HashMap::new();
    for it in items {
        let mut seen = std::collections::HashSet::new();
        for k in &it.keywords {
            if seen.insert(k.as_str()) {
                *df.entry(k.as_str()).or_default() += 1.0;
            }
        }
    }
    let vectors: Vec<BTreeMap<String, f32>> = items
        .iter()
        .map(|it| {
            let mut v: BTreeMap<String, f32> = BTreeMap::new();
            for (rank, k) in it.keywords.iter().enumerate() {
                let idf = ((n + 1.0) / (df.get(k.as_str()).copied().unwrap_or(0.0) + 1.0)).ln() + 1.0;
                // Earlier keywords are the more frequent ones in the item.
                let tf = 1.0 / (1.0 + 0.1 * rank as f32);
                *v.entry(k.clone()).or_default() += tf * idf;
            }
            normalise(&mut v);
            v
        })
        .collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[b].weight.total_cmp(&items[a].weight).then(items[a].id.cmp(&items[b].id)));

    struct Acc {
        members: Vec<usize>,
        sum: BTreeMap<String, f32>,
        centroid: BTreeMap<String, f32>,
    }
    let mut clusters: Vec<Acc> = Vec::new();
    for i in order {
        let v = &vectors[i];
        let best = clusters
            .iter()
            .enumerate()
            .map(|(j, c)| (j, cosine(v, &c.centroid)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((j, s)) if s >= JOIN_FROM && !v.is_empty() => {
                let c = &mut clusters[j];
                c.members.push(i);
                for (k, x) in v {
                    *c.sum.entry(k.clone()).or_default() += x;
                }
                c.centroid = c.sum.clone();
                normalise(&mut c.centroid);
            }
            _ => clusters.push(Acc { members: vec![i], sum: v.clone(), centroid: v.clone() }),
        }
    }
    let mut topics: Vec<Topic> = clusters
        .into_iter()
        .map(|c| {
            let mut words: Vec<(String, f32)> = c.sum.into_iter().collect();
            words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let lead = &items[c.members[0]];
            let mut counties: HashMap<&str, usize> = HashMap::new();
            for &m in &c.members {
                if let Some(cc) = items[m].county_code.as_deref().filter(|c| *c != "OUTSIDE") {
                    *counties.entry(cc).or_default() += 1;
                }
            }
            let mut counties: Vec<(&str, usize)> = counties.into_iter().collect();
            counties.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let volume: f32 = c.members.iter().map(|&m| items[m].weight).sum();
            let negative =
                c.members.iter().filter(|&&m| items[m].sentiment == SentimentLabel::Negative).count();
            let key = c.members.iter().filter(|&&m| items[m].level.is_key()).count();
            let mut ids: Vec<i64> = c.members.iter().map(|&m| items[m].id).collect();
            ids.sort_unstable();
            Topic {
                label: lead.title.chars().take(40).collect(),
                keywords: words.into_iter().take(5).map(|(w, _)| w).collect(),
                item_ids: ids,
                volume,
                negative,
                top_level: c.members.iter().map(|&m| items[m].level).max().unwrap_or(Level::Low),
                counties: counties.into_iter().map(|(c, _)| c.to_owned()).collect(),
                heat: volume + 0.5 * negative as f32 + 2.0 * key as f32,
            }
        })
        .collect();
    topics.sort_by(|a, b| b.heat.total_cmp(&a.heat).then(a.item_ids.cmp(&b.item_ids)));
    topics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{Analyzer, Context};
    use crate::record::RawItem;

    #[test]
    fn r3_a_days_items_cluster_into_hot_topics() {
        let az = Analyzer::builtin();
        let texts = [
            (1, "柳屯镇塑料颗粒厂晚上偷偷生产，黑烟刺鼻"),
            (2, "塑料颗粒厂夜里冒黑烟，气味刺鼻，柳屯镇村民受不了"),
            (3, "又是那家塑料颗粒厂，半夜生产黑烟滚滚"),
            (4, "华龙区工地扬尘严重，渣土车不苫盖"),
            (5, "渣土车不苫盖，工地扬尘满天飞"),
            (6, "督察组进驻濮阳，公布举报电话"),
        ];
        let inputs: Vec<TopicInput> = texts
            .iter()
            .map(|(id, t)| {
                let a = az.analyze(&RawItem { text: (*t).into(), ..RawItem::default() }, &Context::default());
                TopicInput {
                    id: *id,
                    title: (*t).into(),
                    keywords: a.keywords,
                    county_code: a.county_code,
                    sentiment: a.sentiment.label,
                    level: a.assessment.level,
                    weight: if *id == 2 { 3.0 } else { 1.0 },
                }
            })
            .collect();
        let topics = cluster(&inputs);
        let groups: Vec<Vec<i64>> = topics.iter().map(|t| t.item_ids.clone()).collect();
        assert_eq!(groups, vec![vec![1, 2, 3], vec![4, 5], vec![6]], "{topics:#?}");
        assert_eq!(topics[0].label, texts[1].1, "the heaviest item names the topic");
        assert!(topics[0].keywords.iter().any(|k| k.contains("塑料颗粒")), "{:?}", topics[0].keywords);
        assert_eq!(topics[0].volume, 5.0);
        assert!(cluster(&[]).is_empty());
    }
}

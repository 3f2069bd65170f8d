//! The opinion desk's manual entry of an item.

use super::*;

// ---- manual entry ----

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) text: String,
    #[serde(default)]
    pub(super) url: String,
    #[serde(default)]
    pub(super) outlet: String,
    #[serde(default)]
    pub(super) author: String,
    #[serde(default)]
    pub(super) platform: String,
    #[serde(default)]
    pub(super) published_at: String,
    #[serde(default)]
    pub(super) reposts: String,
    #[serde(default)]
    pub(super) comments: String,
    #[serde(default)]
    pub(super) likes: String,
    #[serde(default)]
    pub(super) views: String,
}

#[derive(Template)]
#[template(path = "yuqing/new.html")]
pub(super) struct NewPage {
    pub(super) nav: Nav,
    pub(super) sub: Sub,
    pub(super) v: NewForm,
    pub(super) error: Option<String>,
    pub(super) platforms: Vec<(&'static str, &'static str)>,
}

pub(super) const PLATFORMS: [(&str, &str); 7] = [
    ("weibo", "微博"),
    ("wechat", "微信公众号"),
    ("douyin", "抖音/短视频"),
    ("forum", "论坛/贴吧"),
    ("news", "新闻网站"),
    ("tv", "广播电视"),
    ("manual", "其他（群众反映等）"),
];

pub async fn new_form(p: PageUser) -> Result<Html<String>, PageError> {
    desk_scope(&p.user)?;
    render(&NewPage {
        nav: nav(&p),
        sub: sub(&p, "new"),
        v: NewForm { platform: "weibo".into(), ..NewForm::default() },
        error: None,
        platforms: PLATFORMS.to_vec(),
    })
}

pub async fn new_submit(
    State(st): State<AppState>,
    CsrfForm(p, f): CsrfForm<NewForm>,
) -> Result<Response, PageError> {
    // Only a desk may enter items: anyone else is refused (403), not shown the form again with 422.
    desk_scope(&p.user)?;
    let num = |s: &str| -> Result<Option<i64>, AppError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        ducha_opinion::record::parse_count(s)
            .map(Some)
            .ok_or_else(|| AppError::invalid("reposts", format!("“{s}”不是有效的数字")))
    };
    let o = |s: &str| Some(s.trim().to_owned()).filter(|v| !v.is_empty());
    let input = (|| -> Result<ManualItemInput, AppError> {
        Ok(ManualItemInput {
            text: f.text.clone(),
            title: o(&f.title),
            url: o(&f.url),
            author: o(&f.author),
            outlet: o(&f.outlet),
            platform: o(&f.platform),
            published_at: o(&f.published_at),
            reposts: num(&f.reposts)?,
            comments: num(&f.comments)?,
            likes: num(&f.likes)?,
            views: num(&f.views)?,
        })
    })();
    let result = match input {
        Ok(i) => st.app.create_opinion_item(&p.user, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(d) => Ok(Redirect::to(&format!("/yuqing/items/{}?done=created", d.item.id)).into_response()),
        Err(e) if user_error(&e) => {
            let page = NewPage {
                nav: nav(&p),
                sub: sub(&p, "new"),
                error: Some(e.message),
                platforms: PLATFORMS.to_vec(),
                v: f,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

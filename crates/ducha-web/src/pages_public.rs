//! Pages reached without a staff login (the complainant's callback link, the discipline channel),
//! the accountability page, and the case page's callback forms.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;
use ducha_app::handling::CallbackInput;
use ducha_domain::accountability::{
    AccountabilityKind, AccountabilityRecord, FaultTolerance, FaultToleranceGround, PersonLevel,
};
use ducha_domain::discipline::{DisciplineConcern, DisciplineReport};

use crate::AppState;
use crate::error::PageError;
use crate::extract::{ApiPath, CsrfForm, PageUser, constant_eq};
use crate::kit::{Nav, render};
use crate::ratelimit::{PublicPost, Throttle};

const FORM_COOKIE: &str = "ducha_form_csrf";

#[derive(Debug, Clone)]
struct PField {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    required: bool,
    options: Vec<(String, String)>,
}

#[derive(Debug, Template)]
#[template(path = "public_form.html")]
struct PublicForm {
    title: String,
    flash: Option<String>,
    error: Option<String>,
    paragraphs: Vec<String>,
    show_form: bool,
    action: String,
    csrf: String,
    fields: Vec<PField>,
    submit: &'static str,
}

fn form_cookie(v: String, secure: bool) -> Cookie<'static> {
    Cookie::build((FORM_COOKIE, v))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

fn parse_form(body: &[u8]) -> Result<HashMap<String, String>, PageError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|_| AppError::bad_request("invalid_form", "表单内容格式不正确"))?;
    Ok(pairs.into_iter().collect())
}

fn check_public_csrf(jar: &CookieJar, form: &HashMap<String, String>) -> Result<(), PageError> {
    let expected = jar.get(FORM_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if constant_eq(form.get("_csrf").map(String::as_str).unwrap_or(""), &expected) {
        Ok(())
    } else {
        Err(PageError(AppError::forbidden_code("csrf_failed", "页面已过期，请刷新后重新提交")))
    }
}

fn respond(
    st: &AppState,
    jar: CookieJar,
    status: StatusCode,
    mut page: PublicForm,
) -> Result<Response, PageError> {
    let token = crate::random_token();
    page.csrf = token.clone();
    Ok((status, jar.add(form_cookie(token, st.app.cfg.cookie_secure)), render(&page)?).into_response())
}

fn satisfaction_field() -> PField {
    PField {
        name: "satisfaction",
        label: "您对办理结果是否满意？",
        kind: "select",
        value: String::new(),
        required: true,
        options: ["满意", "基本满意", "不满意"].iter().map(|s| ((*s).to_owned(), (*s).to_owned())).collect(),
    }
}

fn comment_field() -> PField {
    PField {
        name: "comment",
        label: "您的意见（选填）",
        kind: "textarea",
        value: String::new(),
        required: false,
        options: Vec::new(),
    }
}

// ---- /huifang/{token}: the complainant's one-page callback form ----

pub async fn callback_form(
    State(st): State<AppState>,
    jar: CookieJar,
    ApiPath(token): ApiPath<String>,
) -> Result<Response, PageError> {
    let mut page = PublicForm {
        title: "督察举报办理结果回访".into(),
        flash: None,
        error: None,
        paragraphs: Vec::new(),
        show_form: false,
        action: format!("/huifang/{token}"),
        csrf: String::new(),
        fields: vec![satisfaction_field(), comment_field()],
        submit: "提交评价",
    };
    match st.app.callback_link_case(&token).await {
        Ok((_, accept_no, text)) => {
            page.paragraphs = vec![
                format!("您反映的问题（受理编号 {accept_no}）已办理完毕。"),
                format!("反映内容：{text}"),
                "请对办理结果作出评价。您的个人信息依法保密。".into(),
            ];
            page.show_form = true;
            respond(&st, jar, StatusCode::OK, page)
        }
        Err(e) if e.kind != ErrorKind::Internal => {
            page.error = Some(e.message);
            respond(&st, jar, StatusCode::NOT_FOUND, page)
        }
        Err(e) => Err(PageError(e)),
    }
}

pub async fn callback_submit(
    _: Throttle<PublicPost>,
    State(st): State<AppState>,
    jar: CookieJar,
    ApiPath(token): ApiPath<String>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let form = parse_form(&body)?;
    check_public_csrf(&jar, &form)?;
    let mut page = PublicForm {
        title: "督察举报办理结果回访".into(),
        flash: None,
        error: None,
        paragraphs: Vec::new(),
        show_form: false,
        action: format!("/huifang/{token}"),
        csrf: String::new(),
        fields: vec![satisfaction_field(), comment_field()],
        submit: "提交评价",
    };
    let sat = form.get("satisfaction").map(String::as_str).unwrap_or("");
    let comment = form.get("comment").map(String::as_str).unwrap_or("");
    match st.app.answer_callback_link(&token, sat, comment).await {
        Ok(review) => {
            page.flash = Some(if review {
                "感谢您的评价。您的意见已转县（区）复核，我们将继续跟进。".into()
            } else {
                "感谢您的评价！".into()
            });
            respond(&st, jar, StatusCode::OK, page)
        }
        Err(e) if e.kind != ErrorKind::Internal => {
            page.error = Some(e.message);
            page.show_form = e.kind == ErrorKind::BadRequest;
            respond(&st, jar, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(PageError(e)),
    }
}

// ---- /jiandu: reporting the inspection team's own discipline (R6) ----

const CONCERNS: [&str; 6] = ["hospitality", "interference", "leak", "burden", "misreporting", "other"];

fn concern_options() -> Vec<(String, String)> {
    CONCERNS
        .iter()
        .filter_map(|c| {
            serde_json::from_value::<DisciplineConcern>(serde_json::Value::String((*c).to_owned()))
                .ok()
                .map(|k| ((*c).to_owned(), k.label().to_owned()))
        })
        .collect()
}

fn discipline_page() -> PublicForm {
    let f = |name, label, kind, required| PField {
        name,
        label,
        kind,
        value: String::new(),
        required,
        options: Vec::new(),
    };
    PublicForm {
        title: "督察纪律监督".into(),
        flash: None,
        error: None,
        paragraphs: vec![
            "依照《中央生态环境保护督察工作规定》，欢迎监督督察组及其成员执行督察纪律情况。".into(),
            "本渠道的反映内容仅省督察办可见；如留联系方式，将加密保存。可以匿名反映。".into(),
        ],
        show_form: true,
        action: "/jiandu".into(),
        csrf: String::new(),
        fields: vec![
            PField {
                name: "concern",
                label: "问题类别",
                kind: "select",
                value: String::new(),
                required: true,
                options: concern_options(),
            },
            f("about", "反映对象（督察组或具体人员、岗位）", "text", true),
            f("facts", "具体情况", "textarea", true),
            f("occurred_on", "发生日期（选填）", "date", false),
            f("place", "地点（选填）", "text", false),
            f("contact", "联系方式（选填，加密保存）", "text", false),
        ],
        submit: "提交",
    }
}

pub async fn discipline_form(State(st): State<AppState>, jar: CookieJar) -> Result<Response, PageError> {
    respond(&st, jar, StatusCode::OK, discipline_page())
}

pub async fn discipline_submit(
    _: Throttle<PublicPost>,
    State(st): State<AppState>,
    jar: CookieJar,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let form = parse_form(&body)?;
    check_public_csrf(&jar, &form)?;
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let mut page = discipline_page();
    let concern = serde_json::from_value::<DisciplineConcern>(serde_json::Value::String(get("concern")));
    let occurred_on = match get("occurred_on").as_str() {
        "" => Ok(None),
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map(Some),
    };
    let (Ok(concern), Ok(occurred_on)) = (concern, occurred_on) else {
        page.error = Some("问题类别或日期格式不正确".into());
        return respond(&st, jar, StatusCode::BAD_REQUEST, page);
    };
    let contact = Some(get("contact")).filter(|c| !c.is_empty());
    let report = DisciplineReport {
        concern,
        about: get("about"),
        facts: get("facts"),
        occurred_on,
        place: get("place"),
        contact,
        received_at: st.app.clock.now(),
    };
    match st.app.submit_discipline_report(report).await {
        Ok(id) => {
            page.flash = Some(format!("已收到您的反映（编号 {id}），感谢监督。"));
            page.show_form = false;
            respond(&st, jar, StatusCode::OK, page)
        }
        Err(e) if e.kind != ErrorKind::Internal => {
            page.error = Some(e.message);
            respond(&st, jar, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(PageError(e)),
    }
}

// ---- the case page's callback forms ----

pub async fn case_callback(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form: HashMap<String, String> = pairs.into_iter().collect();
    let input = CallbackInput {
        channel: "phone".into(),
        result: form.get("result").cloned().unwrap_or_default(),
        satisfaction: form.get("satisfaction").cloned(),
        comment: form.get("comment").cloned().unwrap_or_default(),
    };
    st.app.operator_callback(&p.user, id, &input).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

pub async fn case_callback_link(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm(p, _): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    st.app.send_callback_link(&p.user, id).await?;
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

// ---- accountability ----

#[derive(Debug, Template)]
#[template(path = "accountability.html")]
struct AccountabilityPage {
    nav: Nav,
    flash: Option<String>,
    error: Option<String>,
    details: Vec<String>,
    rows: Vec<Vec<String>>,
    tolerances: Vec<String>,
    levels: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    grounds: Vec<(&'static str, &'static str)>,
}

async fn accountability_page(
    st: &AppState,
    p: &PageUser,
    flash: Option<String>,
    error: Option<AppError>,
) -> Result<Response, PageError> {
    let (records, fts) = st.app.accountability_list(&p.user).await?;
    let rows = records
        .into_iter()
        .map(|v| {
            let r = v.record;
            vec![
                r.person_name,
                r.position,
                r.person_level.label().into(),
                r.unit,
                r.kind.label().into(),
                r.basis,
                v.accept_nos.join("、"),
                if r.typical { "是".into() } else { "否".into() },
            ]
        })
        .collect();
    let tolerances = fts
        .into_iter()
        .map(|f| {
            format!(
                "{}（{}）：{}；审批：{}（{}）",
                f.person_name,
                f.unit,
                f.ground.map(|g| g.quote()).unwrap_or(""),
                f.approver_name,
                f.approver_unit
            )
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = AccountabilityPage {
        nav: Nav::of(p, "accountability"),
        flash,
        details: error.as_ref().map(|e| e.details.clone()).unwrap_or_default(),
        error: error.map(|e| e.message),
        rows,
        tolerances,
        levels: PersonLevel::ALL.iter().map(|l| (l.code(), l.label())).collect(),
        kinds: AccountabilityKind::ALL.iter().map(|k| (k.code(), k.label())).collect(),
        grounds: FaultToleranceGround::ALL.iter().map(|g| (g.code(), g.quote())).collect(),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn accountability(State(st): State<AppState>, p: PageUser) -> Result<Response, PageError> {
    accountability_page(&st, &p, None, None).await
}

fn enum_from<T: serde::de::DeserializeOwned>(field: &str, v: &str) -> Result<T, AppError> {
    serde_json::from_value(serde_json::Value::String(v.to_owned()))
        .map_err(|_| AppError::invalid(field, format!("“{v}”不是有效选项")))
}

fn case_list(v: &str) -> Vec<String> {
    v.split([',', '，', '、', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

pub async fn add_accountability(
    State(st): State<AppState>,
    CsrfForm(p, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form: HashMap<String, String> = pairs.into_iter().collect();
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let record = (|| -> Result<AccountabilityRecord, AppError> {
        Ok(AccountabilityRecord {
            person_name: get("person_name"),
            position: get("position"),
            person_level: enum_from("person_level", &get("person_level"))?,
            unit: get("unit"),
            kind: enum_from("kind", &get("kind"))?,
            kind_detail: get("kind_detail"),
            basis: get("basis"),
            case_ids: case_list(&get("case_ids")),
            typical: form.contains_key("typical"),
        })
    })();
    let result = match record {
        Ok(r) => st.app.add_accountability(&p.user, &r).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => accountability_page(&st, &p, Some("问责记录已录入。".into()), None).await,
        Err(e) if e.kind != ErrorKind::Internal => accountability_page(&st, &p, None, Some(e)).await,
        Err(e) => Err(PageError(e)),
    }
}

pub async fn add_fault_tolerance(
    State(st): State<AppState>,
    CsrfForm(p, pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form: HashMap<String, String> = pairs.into_iter().collect();
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let ft = (|| -> Result<FaultTolerance, AppError> {
        Ok(FaultTolerance {
            person_name: get("person_name"),
            unit: get("unit"),
            case_ids: case_list(&get("case_ids")),
            ground: Some(enum_from("ground", &get("ground"))?),
            statement: get("statement"),
            approver_name: get("approver_name"),
            approver_unit: get("approver_unit"),
            approved_at: Some(st.app.clock.now()),
        })
    })();
    let result = match ft {
        Ok(f) => st.app.add_fault_tolerance(&p.user, &f).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => accountability_page(&st, &p, Some("容错认定已记录。".into()), None).await,
        Err(e) if e.kind != ErrorKind::Internal => accountability_page(&st, &p, None, Some(e)).await,
        Err(e) => Err(PageError(e)),
    }
}

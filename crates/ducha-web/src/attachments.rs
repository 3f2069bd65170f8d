//! Evidence attachments over HTTP (R5.4: allowed, never required, never counted): upload as
//! `multipart/form-data` (API and the case page), list per case, download by id. The file type is
//! decided by content in the app layer; the download is always `attachment` with `nosniff`.

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use ducha_app::AppError;
use ducha_app::attachments::MAX_BYTES;
use ducha_app::lookups::AttachmentRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody, PageError};
use crate::extract::{ApiPath, ApiUser, PageUser};

/// The request body limit of the upload routes: the largest file plus room for the form around it.
pub const UPLOAD_LIMIT: usize = MAX_BYTES + 64 * 1024;

/// One attachment as clients see it (never the storage path).
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub case_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// SM3 of the file as uploaded.
    pub sm3: String,
    pub uploaded_at: i64,
    /// Where to download it.
    pub href: String,
}

impl From<AttachmentRow> for AttachmentView {
    fn from(a: AttachmentRow) -> Self {
        Self {
            href: format!("/api/v1/attachments/{}", a.id),
            id: a.id,
            case_id: a.case_id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            sm3: a.digest,
            uploaded_at: a.at,
        }
    }
}

/// The form fields of an upload: the file (name, bytes) and any text fields (e.g. `_csrf`).
struct Upload {
    file: Option<(String, Vec<u8>)>,
    fields: Vec<(String, String)>,
}

async fn read_upload(m: Result<Multipart, MultipartRejection>) -> Result<Upload, AppError> {
    let bad =
        || AppError::bad_request("invalid_multipart", "请以 multipart/form-data 表单上传文件（字段名 file）");
    let mut m = m.map_err(|_| bad())?;
    let mut up = Upload { file: None, fields: Vec::new() };
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::invalid("file", "附件不能超过10MB"));
            }
            Err(_) => return Err(bad()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let filename = field.file_name().unwrap_or("附件").to_owned();
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::invalid("file", "附件不能超过10MB")
                } else {
                    bad()
                }
            })?;
            up.file = Some((filename, bytes.to_vec()));
        } else {
            let text = field.text().await.map_err(|_| bad())?;
            up.fields.push((name, text));
        }
    }
    Ok(up)
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    request_body(content_type = "multipart/form-data", description = "field `file`: a JPG, PNG or PDF up to 10 MB"),
    responses((status = 201, body = AttachmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn upload(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
    m: Result<Multipart, MultipartRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let up = read_upload(m).await?;
    let (name, bytes) = up.file.ok_or_else(|| AppError::invalid("file", "请选择要上传的文件"))?;
    let row = st.app.add_attachment(&u, id, &name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(AttachmentView::from(row))))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "case id")),
    responses((status = 200, body = Vec<AttachmentView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<AttachmentView>>, ApiError> {
    Ok(Json(st.app.attachments(&u, id).await?.into_iter().map(AttachmentView::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, description = "attachment id")),
    responses((status = 200, description = "the file, as a download"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(st): State<AppState>,
    ApiUser(u): ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (row, bytes) = st.app.attachment_file(&u, id).await?;
    Ok(file_response(&row, bytes))
}

fn file_response(row: &AttachmentRow, bytes: Vec<u8>) -> Response {
    // RFC 6266 / 5987: an ASCII fallback name and the UTF-8 name percent-encoded.
    let ext = row.filename.rsplit('.').next().filter(|e| e.len() <= 5 && e.is_ascii()).unwrap_or("bin");
    let encoded: String = row
        .filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition =
        format!("attachment; filename=\"attachment-{}.{ext}\"; filename*=UTF-8''{encoded}", row.id);
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&row.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

/// The case page's upload form: back to the case page with a notice or the error.
pub async fn page_upload(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
    m: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let up = read_upload(m).await?;
    let csrf = up.fields.iter().find(|(n, _)| n == "_csrf").map(|(_, v)| v.clone()).unwrap_or_default();
    p.check_csrf(&csrf)?;
    let result = match up.file {
        Some((name, bytes)) => st.app.add_attachment(&p.user, id, &name, &bytes).await,
        None => Err(AppError::invalid("file", "请选择要上传的文件")),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?done=attachment")).into_response()),
        Err(e) if matches!(e.kind, ducha_app::error::ErrorKind::BadRequest) => {
            crate::pages::case_page_with_error(&st, &p, id, e.message).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Download from the case page (session cookie).
pub async fn page_download(
    State(st): State<AppState>,
    p: PageUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let (row, bytes) = st.app.attachment_file(&p.user, id).await?;
    Ok(file_response(&row, bytes))
}

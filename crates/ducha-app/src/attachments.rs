//! Evidence attachments: allowed, never required, never counted (R5.4 — no metric reads this).
//! Files are checked by their content (not the name or the declared type), stored outside the
//! database under `attachments_dir`, and an image copy that may become public has its EXIF/XMP
//! (camera, GPS location, time) and text metadata removed.

use std::path::PathBuf;

use ducha_domain::role::Role;
use ducha_store::followup::{self, AttachmentRow, NewAttachment};
use img_parts::{ImageEXIF, jpeg::Jpeg, png::Png};
use sm3::{Digest, Sm3};

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// The largest attachment accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// What a file really is, by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else {
        None
    }
}

/// An image without EXIF/XMP (APP1), IPTC (APP13) and comments (JPEG), or eXIf and text chunks (PNG).
pub fn strip_metadata(bytes: &[u8], content_type: &str) -> Result<Vec<u8>> {
    let b = img_parts::Bytes::copy_from_slice(bytes);
    match content_type {
        "image/jpeg" => {
            let mut j = Jpeg::from_bytes(b)
                .map_err(|e| AppError::invalid("file", format!("JPEG 文件无法解析：{e}")))?;
            j.set_exif(None);
            for marker in [0xE1u8, 0xED, 0xFE] {
                j.remove_segments_by_marker(marker);
            }
            Ok(j.encoder().bytes().to_vec())
        }
        "image/png" => {
            let mut p = Png::from_bytes(b)
                .map_err(|e| AppError::invalid("file", format!("PNG 文件无法解析：{e}")))?;
            p.set_exif(None);
            for kind in [*b"eXIf", *b"tEXt", *b"iTXt", *b"zTXt", *b"tIME"] {
                p.remove_chunks_by_type(kind);
            }
            Ok(p.encoder().bytes().to_vec())
        }
        _ => Err(AppError::invalid("file", "只有图片可以生成公开副本")),
    }
}

fn safe_name(name: &str) -> String {
    let n: String =
        name.chars().filter(|c| !c.is_control() && !"/\\:*?\"<>|".contains(*c)).take(100).collect();
    if n.trim().is_empty() { "附件".into() } else { n }
}

/// Creates the attachment directory (and missing parents) with mode 0700 on Unix: evidence is
/// readable by the service account only.
async fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut b = tokio::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    b.mode(0o700);
    b.create(dir).await
}

/// Writes an attachment file with mode 0600 on Unix (replacing an earlier copy of the same content).
async fn private_write(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut o = tokio::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    o.mode(0o600);
    let mut f = o.open(path).await?;
    f.write_all(bytes).await?;
    f.flush().await
}

impl App {
    /// Attach a file to a case (the handling unit or an office that can see the case).
    pub async fn add_attachment(
        &self,
        user: &CurrentUser,
        case_id: i64,
        filename: &str,
        bytes: &[u8],
    ) -> Result<AttachmentRow> {
        let case = self.visible_case(user, case_id).await?;
        if !matches!(user.role, Role::Handler | Role::Office | Role::Team | Role::Operator) {
            return Err(AppError::forbidden("您的角色不能上传附件"));
        }
        if bytes.is_empty() {
            return Err(AppError::invalid("file", "请选择要上传的文件"));
        }
        if bytes.len() > MAX_BYTES {
            return Err(AppError::invalid("file", "附件不能超过10MB"));
        }
        let (content_type, ext) =
            sniff(bytes).ok_or_else(|| AppError::invalid("file", "只接受 JPG、PNG 图片或 PDF 文件"))?;
        let digest = hex::encode(Sm3::digest(bytes));
        let dir = PathBuf::from(&self.cfg.attachments_dir).join(case.id.to_string());
        private_dir(&dir).await.map_err(|e| AppError::internal(format!("attachments dir: {e}")))?;
        let stored = dir.join(format!("{digest}.{ext}"));
        private_write(&stored, bytes)
            .await
            .map_err(|e| AppError::internal(format!("write attachment: {e}")))?;
        let public_path = if content_type.starts_with("image/") {
            let clean = strip_metadata(bytes, content_type)?;
            let p = dir.join(format!("{digest}.public.{ext}"));
            private_write(&p, &clean)
                .await
                .map_err(|e| AppError::internal(format!("write public copy: {e}")))?;
            Some(p.display().to_string())
        } else {
            None
        };
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        let id = followup::insert_attachment(
            &mut tx,
            &NewAttachment {
                case_id,
                uploaded_by: Some(user.id),
                at: now,
                filename: safe_name(filename),
                content_type: content_type.into(),
                size: bytes.len() as i64,
                digest: digest.clone(),
                stored_path: stored.display().to_string(),
                public_path,
            },
        )
        .await?;
        ducha_store::audit::append(&mut tx, &user.audit(now, "case.attachment", "case", case_id, serde_json::json!({ "attachment_id": id, "type": content_type, "size": bytes.len(), "sm3": digest }))).await?;
        tx.commit().await?;
        followup::attachment(&self.store, id).await?.ok_or_else(|| AppError::internal("attachment vanished"))
    }

    pub async fn attachments(&self, user: &CurrentUser, case_id: i64) -> Result<Vec<AttachmentRow>> {
        self.visible_case(user, case_id).await?;
        Ok(followup::attachments(&self.store, case_id).await?)
    }

    /// The file of an attachment the user may see: (row, bytes).
    pub async fn attachment_file(&self, user: &CurrentUser, id: i64) -> Result<(AttachmentRow, Vec<u8>)> {
        let a = followup::attachment(&self.store, id)
            .await?
            .ok_or_else(|| AppError::not_found("attachment_not_found", "未找到该附件"))?;
        self.visible_case(user, a.case_id)
            .await
            .map_err(|_| AppError::not_found("attachment_not_found", "未找到该附件"))?;
        let bytes = tokio::fs::read(&a.stored_path)
            .await
            .map_err(|e| AppError::internal(format!("read attachment: {e}")))?;
        Ok((a, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG with an APP1 EXIF segment carrying a GPS-like marker string.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        let exif = b"Exif\0\0GPSLatitude=35.76N";
        v.extend_from_slice(&[0xFF, 0xE1]);
        v.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(exif);
        // A comment segment too.
        let com = b"taken by Zhang San";
        v.extend_from_slice(&[0xFF, 0xFE]);
        v.extend_from_slice(&((com.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(com);
        // Start of scan with a tiny payload, then EOI.
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn r5_4_public_copies_lose_exif_and_location() {
        let img = jpeg_with_exif();
        assert_eq!(sniff(&img), Some(("image/jpeg", "jpg")));
        let clean = strip_metadata(&img, "image/jpeg").unwrap();
        let s = String::from_utf8_lossy(&clean);
        assert!(!s.contains("GPSLatitude") && !s.contains("Exif") && !s.contains("Zhang San"), "{s}");
        assert!(clean.starts_with(&[0xFF, 0xD8]) && clean.ends_with(&[0xFF, 0xD9]), "still a JPEG");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn attachment_files_and_directories_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let root =
            std::env::temp_dir().join(format!("ducha-att-{}-{}", std::process::id(), rand::random::<u32>()));
        let dir = root.join("files").join("42");
        private_dir(&dir).await.unwrap();
        let f = dir.join("x.pdf");
        private_write(&f, b"%PDF-1.7 one").await.unwrap();
        // A second write of the same name replaces the content and keeps the mode.
        private_write(&f, b"%PDF-1.7").await.unwrap();
        let modes = (mode(&root.join("files")), mode(&dir), mode(&f), std::fs::read(&f).unwrap());
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(modes, (0o700, 0o700, 0o600, b"%PDF-1.7".to_vec()));
    }

    #[test]
    fn files_are_judged_by_content() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some(("application/pdf", "pdf")));
        assert_eq!(sniff(b"MZ\x90\x00 windows exe"), None);
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(safe_name("../../etc/passwd"), "....etcpasswd");
    }
}

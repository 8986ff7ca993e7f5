// 12장 연습 문제 참고 해답 · Chapter 12 exercises: reference solutions.

use std::path::{Path, PathBuf};

use ch12_http::percent_decode;

// ANCHOR: content_length
/// 연습 12.1: 없으면 0, 숫자만, 서로 다른 두 값은 오류 · Exercise 12.1: 0 when absent, digits
/// only, two different values are an error.
pub fn content_length(headers: &[(String, String)]) -> Result<usize, String> {
    let mut found: Option<usize> = None;
    for (name, value) in headers {
        if !name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("Content-Length {value:?} is not a number"));
        }
        let n: usize = value.parse().map_err(|_| format!("{value:?} is too big"))?;
        if found.is_some_and(|seen| seen != n) {
            return Err("two different Content-Length values".to_string());
        }
        found = Some(n);
    }
    Ok(found.unwrap_or(0))
}
// ANCHOR_END: content_length

// ANCHOR: site_path
/// 연습 12.2: 퍼센트 인코딩을 먼저 풀고, 조각마다 `..`와 `.`을 거절합니다 · Exercise 12.2:
/// decode first, then refuse `..` and `.` in every segment.
pub fn site_path(site: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path, false)?;
    let mut file = site.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains(['\\', '\0']) {
            return None;
        }
        file.push(segment);
    }
    Some(file)
}
// ANCHOR_END: site_path

// 12장 연습 문제 · Chapter 12 exercises.
// 이 파일을 고치고 검사하세요 · Edit this file, then check it:
//   cargo run -p check -- 12.1
// 시작점은 모두 컴파일되고 실행되지만, 아직 과제를 하지 않습니다.
// Every starting point compiles and runs, but does not do the task yet.

use std::path::{Path, PathBuf};

/// 연습 12.1 · Exercise 12.1: Content-Length 읽기 · Reading Content-Length
pub fn content_length(headers: &[(String, String)]) -> Result<usize, String> {
    // 시작점: 첫 값을 그대로 믿고, 숫자가 아니면 0이라고 합니다.
    // Starting point: trusts the first value and calls anything else 0.
    Ok(headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0))
}

/// 연습 12.2 · Exercise 12.2: 사이트 밖으로 나가지 않기 · Staying inside the site
pub fn site_path(site: &Path, path: &str) -> Option<PathBuf> {
    // 시작점: 경로를 그대로 붙입니다. `..`도 통과합니다.
    // Starting point: joins the path as it is; `..` gets through.
    Some(site.join(path.trim_start_matches('/')))
}

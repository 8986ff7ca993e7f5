//! 12장 연습 문제 검사 · Checks for chapter 12.

use std::path::Path;

use crate::{Code, Exercise, Outcome, expect_eq};

pub static EXERCISES: &[Exercise] = &[
    Exercise {
        id: "12.1",
        title: "Content-Length 읽기 · Reading Content-Length",
        file: "exercises/ch12/src/lib.rs",
        function: "content_length",
        check: check_12_1,
    },
    Exercise {
        id: "12.2",
        title: "사이트 밖으로 나가지 않기 · Staying inside the site",
        file: "exercises/ch12/src/lib.rs",
        function: "site_path",
        check: check_12_2,
    },
];

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn check_12_1(code: Code) -> Outcome {
    let content_length = match code {
        Code::Yours => ch12_exercises::content_length,
        Code::Reference => ch12_solutions::content_length,
    };
    expect_eq("no Content-Length", Ok(0), content_length(&headers(&[])))?;
    expect_eq(
        "Content-Length: 12",
        Ok(12),
        content_length(&headers(&[("Content-Length", "12")])),
    )?;
    for bad in [
        vec![("content-length", "abc")],
        vec![("content-length", "+3")],
        vec![("content-length", "1"), ("Content-Length", "2")],
    ] {
        expect_eq(
            &format!("{bad:?} is an error (400)"),
            true,
            content_length(&headers(&bad)).is_err(),
        )?;
    }
    Ok(())
}

fn check_12_2(code: Code) -> Outcome {
    let site_path = match code {
        Code::Yours => ch12_exercises::site_path,
        Code::Reference => ch12_solutions::site_path,
    };
    let site = Path::new("/srv/site");
    expect_eq(
        "/a/b.txt",
        Some(site.join("a").join("b.txt")),
        site_path(site, "/a/b.txt"),
    )?;
    for escape in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/a/..%2F..%2FCargo.toml",
    ] {
        expect_eq(escape, None, site_path(site, escape))?;
    }
    Ok(())
}

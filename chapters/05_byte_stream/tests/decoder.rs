// 디코더 테스트: 어떻게 나뉘어 오든 같은 텍스트, 잘못된 바이트는 자리와 함께 알림.
// Decoder tests: the same text however the bytes are split; invalid bytes reported with
// their offset, never swallowed.

use ch05_byte_stream::{InvalidUtf8, Utf8Decoder, shown};

/// 1, 2, 3, 4바이트 글자가 섞인 글 · Text with 1-, 2-, 3- and 4-byte characters.
const MIXED: &str = "a é 가 😀 안녕! ß→🦀";

/// 조각들을 차례로 넣고, 모든 결과를 이어 붙입니다 (끝에 finish까지).
/// Pushes the chunks in order and joins everything, finish included.
fn decode_in_chunks(chunks: &[&[u8]]) -> (String, Vec<InvalidUtf8>) {
    let mut decoder = Utf8Decoder::new();
    let mut text = String::new();
    let mut invalid = Vec::new();
    for chunk in chunks {
        let (more, reports) = shown(decoder.push(chunk));
        text.push_str(&more);
        invalid.extend(reports);
    }
    if let Err(unfinished) = decoder.finish() {
        text.push(char::REPLACEMENT_CHARACTER);
        invalid.push(unfinished);
    }
    (text, invalid)
}

/// 한 번에 통째로 디코드한 결과: 조각으로 나눠도 이것과 같아야 합니다.
/// The result of decoding everything at once: any chunking must give the same.
fn decode_whole(bytes: &[u8]) -> (String, Vec<InvalidUtf8>) {
    decode_in_chunks(&[bytes])
}

/// `sizes` 크기로 자릅니다 (마지막 조각은 남은 만큼) · Cuts `bytes` into pieces of `sizes`.
fn cut<'a>(bytes: &'a [u8], sizes: &mut impl Iterator<Item = usize>) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let size = sizes.next().unwrap_or(rest.len()).clamp(1, rest.len());
        let (piece, after) = rest.split_at(size);
        pieces.push(piece);
        rest = after;
    }
    pieces
}

/// 작은 결정적 난수 생성기 (xorshift) · A small deterministic pseudo-random generator.
struct XorShift(u64);

impl Iterator for XorShift {
    type Item = u64;
    fn next(&mut self) -> Option<u64> {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Some(self.0)
    }
}

fn bad(offset: u64, bytes: &[u8]) -> InvalidUtf8 {
    InvalidUtf8 {
        offset,
        bytes: bytes.to_vec(),
        unfinished: false,
    }
}

#[test]
fn a_1024_byte_read_ends_inside_the_342nd_syllable() {
    let bytes = "가".repeat(342).into_bytes();
    assert_eq!(bytes.len(), 1026);
    // 따로 디코드하면 실패합니다 · decoded alone, the first read fails
    let error = std::str::from_utf8(&bytes[..1024]).expect_err("ends mid-syllable");
    assert_eq!(
        error.to_string(),
        "incomplete utf-8 byte sequence from index 1023"
    );
    assert_eq!((error.valid_up_to(), error.error_len()), (1023, None));

    // 이어서 디코드하면 글자 하나도 잃지 않습니다 · decoded as a stream, nothing is lost
    let mut decoder = Utf8Decoder::new();
    assert_eq!(decoder.push(&bytes[..1024]), [Ok("가".repeat(341))]);
    assert_eq!(decoder.waiting(), 1);
    assert_eq!(decoder.push(&bytes[1024..]), [Ok("가".to_string())]);
    assert_eq!(decoder.waiting(), 0);
    assert_eq!(decoder.finish(), Ok(()));
}

#[test]
fn one_byte_chunks_decode_losslessly() {
    let bytes = MIXED.as_bytes();
    let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode_in_chunks(&chunks), (MIXED.to_string(), vec![]));

    let long = "가".repeat(342);
    let chunks: Vec<&[u8]> = long.as_bytes().chunks(1).collect();
    assert_eq!(decode_in_chunks(&chunks), (long, vec![]));
}

#[test]
fn chunks_of_1024_decode_losslessly() {
    let text = MIXED.repeat(200);
    let chunks: Vec<&[u8]> = text.as_bytes().chunks(1024).collect();
    assert!(chunks.len() > 3, "several chunks");
    assert_eq!(decode_in_chunks(&chunks), (text, vec![]));
}

#[test]
fn every_split_point_and_every_pair_of_split_points_decode_losslessly() {
    let bytes = MIXED.as_bytes();
    for i in 0..=bytes.len() {
        let (a, b) = bytes.split_at(i);
        assert_eq!(
            decode_in_chunks(&[a, b]),
            (MIXED.to_string(), vec![]),
            "split at {i}"
        );
        for j in i..=bytes.len() {
            let (b, c) = bytes[i..].split_at(j - i);
            assert_eq!(
                decode_in_chunks(&[a, b, c]),
                (MIXED.to_string(), vec![]),
                "split at {i} and {j}"
            );
        }
    }
}

#[test]
fn empty_chunks_change_nothing() {
    let bytes = "가".as_bytes();
    let chunks: [&[u8]; 5] = [b"", &bytes[..1], b"", &bytes[1..], b""];
    assert_eq!(decode_in_chunks(&chunks), ("가".to_string(), vec![]));
}

#[test]
fn random_chunk_sizes_decode_losslessly() {
    let text = MIXED.repeat(50);
    for seed in 1..=200u64 {
        let mut sizes =
            XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)).map(|r| (r % 17) as usize + 1);
        let chunks = cut(text.as_bytes(), &mut sizes);
        assert_eq!(
            decode_in_chunks(&chunks),
            (text.clone(), vec![]),
            "seed {seed}"
        );
    }
}

#[test]
fn invalid_bytes_are_reported_with_their_offset_not_swallowed() {
    let mut bytes = "가".repeat(342).into_bytes();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice("나".as_bytes());
    let expected_text = format!("{}��나", "가".repeat(342));
    let expected_invalid = vec![bad(1026, &[0xff]), bad(1027, &[0xfe])];
    assert_eq!(
        decode_whole(&bytes),
        (expected_text.clone(), expected_invalid.clone())
    );
    // 1024 + 나머지로 나눠도, 한 바이트씩이어도 같습니다 · the same in 1024 + rest, or 1-byte chunks
    assert_eq!(
        decode_in_chunks(&[&bytes[..1024], &bytes[1024..]]),
        (expected_text.clone(), expected_invalid.clone())
    );
    let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
    assert_eq!(decode_in_chunks(&chunks), (expected_text, expected_invalid));
}

#[test]
fn decoding_goes_on_after_invalid_bytes_in_stream_order() {
    // 정책: 잘못된 바이트 묶음마다 Err 하나를 제자리에 두고, 바로 다음 바이트부터 계속합니다.
    // The policy: one Err per invalid sequence, in its place, then carry on right after it.
    let mut decoder = Utf8Decoder::new();
    assert_eq!(
        decoder.push(b"a\xffb"),
        [
            Ok("a".to_string()),
            Err(bad(1, &[0xff])),
            Ok("b".to_string())
        ]
    );
    // 자리는 스트림 처음부터 셉니다: a, 0xff, b, 가(3), NUL, U+0080(2) 다음은 9번 자리.
    // Offsets count from the stream's start: after a, 0xff, b, 가 (3), NUL, U+0080 (2) comes 9.
    assert_eq!(
        decoder.push("가\u{0}\u{80}".as_bytes()),
        [Ok("가\u{0}\u{80}".to_string())]
    );
    assert_eq!(
        decoder.push(b"\xc0"),
        [Err(bad(9, &[0xc0]))],
        "0xc0 can never start a character"
    );
    assert_eq!(decoder.finish(), Ok(()));
}

#[test]
fn stopping_at_the_first_invalid_bytes_is_one_question_mark_away() {
    // 엄격하게 쓰고 싶은 쪽은 ?로 첫 Err에서 멈춥니다. 그 앞의 글은 이미 받았습니다.
    // A strict caller stops at the first Err with `?`, having taken the text before it.
    fn strict(
        decoder: &mut Utf8Decoder,
        chunk: &[u8],
        out: &mut String,
    ) -> Result<(), InvalidUtf8> {
        for piece in decoder.push(chunk) {
            out.push_str(&piece?);
        }
        Ok(())
    }
    let mut decoder = Utf8Decoder::new();
    let mut out = String::new();
    let bytes = ["안녕\u{fffd}!".as_bytes(), b"\xff", "하세요".as_bytes()].concat();
    let error = strict(&mut decoder, &bytes, &mut out);
    assert_eq!(error, Err(bad(10, &[0xff])));
    assert_eq!(
        out, "안녕\u{fffd}!",
        "a real U+FFFD in the text is text, not an error"
    );
}

#[test]
fn a_cut_off_character_followed_by_a_non_continuation_byte_is_invalid() {
    // 0xEA는 3바이트 글자의 시작이라 기다렸지만, 다음 바이트 'A'는 그 글자를 잇지 못합니다.
    // 0xEA starts a 3-byte character, so it waits; the next byte, 'A', cannot continue it.
    let mut decoder = Utf8Decoder::new();
    assert_eq!(decoder.push(&[0xea]), []);
    assert_eq!(decoder.waiting(), 1);
    assert_eq!(
        decoder.push(b"A"),
        [Err(bad(0, &[0xea])), Ok("A".to_string())]
    );
    assert_eq!(decoder.waiting(), 0);
}

#[test]
fn bytes_that_can_never_be_completed_are_reported_at_once_not_held() {
    // 조각 끝에 있어도, 어떤 바이트가 와도 글자가 될 수 없으면 기다리지 않습니다.
    // At the end of a chunk too: bytes that nothing can complete are not held.
    let cases: [(&[u8], &[u8]); 4] = [
        (&[0xed, 0xa0], &[0xed]), // 서로게이트 · a surrogate (U+D800…)
        (&[0xe0, 0x80], &[0xe0]), // 너무 긴 인코딩 · an overlong encoding
        (&[0xf4, 0x90], &[0xf4]), // U+10FFFF 너머 · beyond U+10FFFF
        (&[0x80], &[0x80]),       // 이어지는 바이트 홀로 · a lone continuation byte
    ];
    for (chunk, reported) in cases {
        let mut decoder = Utf8Decoder::new();
        let pieces = decoder.push(chunk);
        assert_eq!(pieces.first(), Some(&Err(bad(0, reported))), "{chunk:x?}");
        assert!(
            decoder.waiting() < chunk.len(),
            "{chunk:x?} is not all held"
        );
    }
}

#[test]
fn a_stream_that_ends_inside_a_character_is_reported_by_finish() {
    let mut decoder = Utf8Decoder::new();
    assert_eq!(decoder.push("안녕".as_bytes()), [Ok("안녕".to_string())]);
    assert_eq!(decoder.push(&"가".as_bytes()[..2]), [], "the 2 bytes wait");
    assert_eq!(decoder.waiting(), 2);
    let unfinished = decoder
        .finish()
        .expect_err("the stream ended mid-character");
    assert_eq!(
        unfinished,
        InvalidUtf8 {
            offset: 6,
            bytes: vec![0xea, 0xb0],
            unfinished: true,
        }
    );
    assert_eq!(
        unfinished.to_string(),
        "끝나지 않은 글자 · the stream ended inside a character at byte 6: 0xea 0xb0"
    );
}

#[test]
fn random_bytes_decode_in_random_chunks_exactly_as_all_at_once() {
    // 잘못된 바이트가 섞여도, 나누는 방법과 상관없이 통째로 디코드한 것과 같습니다.
    // With invalid bytes mixed in too, any chunking gives what decoding all at once gives.
    for seed in 1..=100u64 {
        let mut random = XorShift(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
        // 글자 조각과 아무 바이트를 섞어 씁니다 · a mix of real characters and random bytes
        let mut bytes = Vec::new();
        for _ in 0..300 {
            let r = random.next().unwrap_or_default();
            if r % 4 == 0 {
                bytes.push((r >> 8) as u8);
            } else {
                let c = MIXED.chars().nth((r >> 8) as usize % MIXED.chars().count());
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.unwrap_or('x').encode_utf8(&mut buf).as_bytes());
            }
        }
        let whole = decode_whole(&bytes);
        // 통째로 디코드한 글은 표준 라이브러리의 손실 변환과 같습니다.
        // Decoded all at once, the text matches the standard library's lossy conversion.
        assert_eq!(whole.0, String::from_utf8_lossy(&bytes), "seed {seed}");
        // 알린 바이트와 글자의 바이트를 합치면 빠짐없이 원래 바이트입니다.
        // Every byte is in a character or in a report: nothing is swallowed.
        let reported: usize = whole.1.iter().map(|i| i.bytes.len()).sum();
        let replaced = whole.0.chars().filter(|&c| c == '\u{fffd}').count();
        // (MIXED에는 �가 없으니, �는 모두 알린 바이트 묶음입니다 · MIXED has no � of its own)
        assert_eq!(replaced, whole.1.len(), "seed {seed}");
        assert_eq!(
            whole.0.len() - replaced * '\u{fffd}'.len_utf8() + reported,
            bytes.len(),
            "seed {seed}"
        );
        for invalid in &whole.1 {
            let at = invalid.offset as usize;
            assert_eq!(&bytes[at..at + invalid.bytes.len()], &invalid.bytes[..]);
        }
        let mut sizes = random.map(|r| (r % 9) as usize + 1);
        let chunks = cut(&bytes, &mut sizes);
        assert_eq!(decode_in_chunks(&chunks), whole, "seed {seed}");
    }
}

#[test]
fn the_report_says_where_and_which_bytes() {
    assert_eq!(
        bad(1026, &[0xff]).to_string(),
        "UTF-8이 아닌 바이트 · not UTF-8 at byte 1026: 0xff"
    );
}

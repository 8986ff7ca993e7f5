//! 잰 값을 출력하는 프로그램들 · Programs that measure and print figures (see `src/bin/`).
//! A speed target lives here as a printed figure, never as a timed test.

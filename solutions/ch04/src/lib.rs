// 04장 해답 · Chapter 04 solutions (being written).

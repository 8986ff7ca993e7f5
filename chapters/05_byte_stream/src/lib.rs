// 5장 · Chapter 5 (being written).

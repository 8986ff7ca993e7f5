"""Run one of the seed tutorial's programs unchanged, except on another port.

시드 튜토리얼의 프로그램을 그대로 실행하되, 포트 번호만 바꿉니다.
Tests pass a free port so they never depend on 9999 being free:

    python3 interop/run_seed.py interop/seed_server.py 40123
"""

import sys

path, port = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8") as f:
    source = f.read()
assert source.count("PORT = 9999") == 1, "the seed program changed"
source = source.replace("PORT = 9999", f"PORT = {port}")
exec(compile(source, path, "exec"), {"__name__": "__main__"})

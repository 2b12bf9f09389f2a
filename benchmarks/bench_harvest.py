"""Harvest speed and memory on a generated mirror (default 5,000 pages; --pages N).

The mirror mixes the page templates the harvester knows (Anhui table, gkmlpt spans, jcms lists in
GB18030 without a declared charset, <dl> blocks, Hunan one-line blocks in GB2312, text dumps) with
list pages and attachments, in the sizes real county portals serve. Each measurement runs in a
fresh process, so peak memory belongs to that run alone; a second run with N/5 pages shows whether
memory grows with the number of pages:

  - "stream": the harvest loop with each item dropped as soon as it is made: the memory one page
    costs, which must not depend on the number of pages;
  - "harvest()": what the harvest command does, keeping every item (about a kilobyte each).

Peak RSS includes the interpreter, lxml and openpyxl (about 60 MB before the first page). Times are
from a run without tracemalloc, which would slow it down. Nothing here is a pass/fail test.

    python benchmarks/bench_harvest.py [--pages 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BUREAUS = (
    "县司法局",
    "县住建局",
    "县市场监管局",
    "县财政局",
    "县教育局",
    "县卫生健康局",
    "县人社局",
    "县自然资源局",
)
SUBJECTS = (
    "{year}年度政府信息公开工作年度报告",
    "关于开展“八五”普法中期检查工作的通知",
    "关于印发《行政执法公示制度实施办法》的通知",
    "{year}年第{n}季度行政处罚信息公示",
    "关于公开招聘编外工作人员的公告",
    "{n}月份政府网站和政务新媒体监测情况通报",
    "{year}年部门预算公开说明",
    "关于做好安全生产大检查工作的通知",
    "法律援助工作站建设情况通报",
    "关于{year}年度行政许可事项清单的公示",
)
COLUMNS = (
    "工作动态",
    "通知公告",
    "政策文件",
    "人事信息",
    "规划计划",
    "计划总结及报告",
    "预决算公开",
    "行政执法",
)
PARAGRAPH = (
    "为进一步规范政务公开工作，根据《中华人民共和国政府信息公开条例》和上级有关要求，结合本单位实际，"
    "现就有关事项通知如下。各科室要高度重视，明确责任分工，按时报送相关材料，确保各项工作落到实处。"
)
NAVIGATION = "".join(f'<li><a href="/col/{n}/index.html">栏目导航{n}</a></li>' for n in range(60))


def _title(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS).format(year=rng.randint(2019, 2024), n=rng.randint(1, 12))
    return rng.choice(BUREAUS) + subject


def _shell(head: str, body: str) -> str:
    """A page as county portals serve them: header navigation, body, footer (~15–25 KB)."""
    paragraphs = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(12))
    return (
        f"<!DOCTYPE html><html><head>{head}<link rel='stylesheet' href='/css/main.css'>"
        f"<script>var site = {{id: 1, name: 'portal'}};</script></head><body>"
        f"<div class='header'><ul class='nav'>{NAVIGATION}</ul></div>{body}"
        f"<div class='content'>{paragraphs}</div><div class='footer'>主办单位：某县人民政府办公室</div>"
        "</body></html>"
    )


def _anhui(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        f"<div class='position'>当前位置：<a>首页</a> &gt; <a>信息公开</a> &gt; <a>{column}</a></div>"
        "<table class='table_suoyin'>"
        f"<tr><th>索引号:</th><td>11341722003251630P/{day[:4]}{day[5:7]}-{n:05d}</td>"
        f"<th>组配分类:</th><td>{column}</td></tr>"
        f"<tr><th>发布机构:</th><td>{rng.choice(BUREAUS)}</td><th>主题分类:</th><td>综合政务</td></tr>"
        f"<tr><th>名称:</th><td>{title}</td><th>文号:</th><td></td></tr>"
        f"<tr><th>成文日期:</th><td>{day}</td><th>发布日期:</th><td>{day}</td></tr></table>"
        f"<h1>{title}</h1><div class='info'>发布时间:{day} 10:30 来源:本单位 浏览次数: 字体:[ ]</div>"
    )
    return f"OpennessContent/show/{n}.html", _shell(
        f"<meta charset='utf-8'><title>{title}</title>", body
    ).encode()


def _gkmlpt(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        f"<div class='bread-crumb'><ol><li>首页</li><li>政府信息公开</li><li>{column}</li></ol></div>"
        "<div class='introduce'>"
        f"<div><span>索引号：</span><span>11441700007280420Y/{day[:4]}-{n:05d}</span><span>分类：</span><span></span></div>"
        f"<div><span>发布机构：</span><span>{rng.choice(BUREAUS)}</span><span>成文日期：</span><span>{day}</span></div>"
        f"<div><span>名称：</span><span>{title}</span></div>"
        f"<div><span>文号：</span><span>县府办函〔{day[:4]}〕{n % 90 + 1}号</span>"
        f"<span>发布日期：</span><span>{day}</span></div></div>"
    )
    head = f"<meta charset='utf-8'><title>{title}</title><link rel='canonical' href='http://www.example.gov.cn/gkmlpt/{n}'>"
    return f"gkmlpt/content/{n % 7}/post_{n}.html", _shell(head, body).encode()


def _jcms(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        "<ul class='xxgk'>"
        f"<li><div>信息索引号:</div><div>11330700099033995K/{day[:4]}-{n:05d}</div></li>"
        f"<li><div>文件名称:</div><div>{title}</div></li>"
        f"<li><div>发布机构:</div><div>{rng.choice(BUREAUS)}</div></li>"
        f"<li><div>成文日期:</div><div>{day}</div></li><li><div>公开方式:</div><div>主动公开</div></li></ul>"
        f"<div class='info'>日期:{day} 14:31:37 来源:本单位 浏览量:</div>"
    )
    head = f"<title>{title}</title><meta name='ColumnName' content='{column}'>"
    path = f"art/{day[:4]}/{int(day[5:7])}/{int(day[8:])}/art_1229_{n}.html"
    return path, _shell(head, body).encode("gb18030")


def _dl(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        f"<div class='dqwz'>首页 &gt;&gt; 政务公开 &gt;&gt; {column}</div><dl>"
        f"<dt>信息索引号：</dt><dd>11330703307522110T/{day[:4]}-{n:05d}</dd>"
        f"<dt>发布机构：</dt><dd>{rng.choice(BUREAUS)}</dd><dt>发文字号：</dt><dd></dd>"
        f"<dt>发布日期：</dt><dd>{day}</dd>"
        f"<dt>有效性：</dt><dd>{rng.choice(['有效', '现行有效', ''])}</dd></dl>"
        f"<h1>{title}</h1>"
    )
    return f"art/dl/{n}.html", _shell(f"<meta charset='utf-8'><title>{title}</title>", body).encode()


def _hunan(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        f"<div class='location'>您现在的位置：首页 &gt; 政务公开 &gt; {column}</div>"
        f"<div>索引号:4303000006/{day[:4]}-{n:07d} 发布机构:{rng.choice(BUREAUS)} 发布目录:{column}</div>"
        f"<h1>{title}</h1><div>县人民政府门户网站 发布时间:{day} 09:46</div>"
    )
    head = f"<meta http-equiv='Content-Type' content='text/html; charset=gb2312'><title>{title}</title>"
    return f"{9900 + n % 40}/content_{n}.html", _shell(head, body).encode("gb18030")


def _dump(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    text = (
        f"政府信息公开\n{title}\n- 索引号: {day.replace('-', '')}-{n:06d}\n- 主题分类:\n"
        f"- 发布机构: {rng.choice(BUREAUS)}\n- 发布时间: {day}\n- 标题: {title}\n" + (PARAGRAPH + "\n") * 20
    )
    return f"dumps/{n}.txt", text.encode()


TEMPLATES = (_anhui, _gkmlpt, _jcms, _dl, _hunan, _dump)


def generate(directory: Path, pages: int, seed: int = 2021) -> None:
    """pages files: about 90% article pages, the rest list pages and attachments."""
    rng = random.Random(seed)
    for n in range(1, pages + 1):
        if n % 20 == 0:
            relative, data = f"col/{n}/index.html", _shell("<meta charset='utf-8'>", NAVIGATION).encode()
        elif n % 20 == 1:
            relative, data = f"attach/{n}.pdf", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(2048))
        else:
            day = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            template = TEMPLATES[n % len(TEMPLATES)]
            relative, data = template(n, rng, _title(rng), day, rng.choice(COLUMNS))
        path = directory / "www.example.gov.cn" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def measure(mirror: Path, mode: str) -> dict[str, float]:
    """Run in a child process: one harvest of the mirror, timed or traced."""
    from compliance_audit.harvest import Harvest, harvest

    traced = mode.endswith("-traced")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    if mode.startswith("stream"):
        run = Harvest(mirror)
        for _relative, _record in run.pages():
            pass
        summary = run.summary
    else:
        summary = harvest(mirror).summary
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "files": summary.files,
        "items": summary.items,
        "seconds": seconds,
        "heap": peak,
        "rss_kb": rss_kb,
    }


def _child(mirror: Path, mode: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(mirror), mode], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output)
    return result


def _command_on_a_terminal(mirror: Path, output: Path) -> tuple[float, str]:
    """The harvest command as a person runs it: stderr on a (pseudo-)terminal, so with the bar."""
    import pty

    command = [sys.executable, "-m", "compliance_audit", "harvest", str(mirror), "-o", str(output)]
    controller, terminal = pty.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--bureau-name", "某县人民政府办公室"], stdout=subprocess.DEVNULL, stderr=terminal
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is gone once the command has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    process.wait()
    return time.perf_counter() - started, b"".join(chunks).decode("utf-8", errors="replace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--measure", nargs=2, metavar=("MIRROR", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    sizes = (max(args.pages // 5, 1), args.pages)
    with tempfile.TemporaryDirectory(prefix="bench-harvest-") as temporary:
        mirrors = {}
        for size in sizes:
            mirrors[size] = Path(temporary) / str(size)
            generate(mirrors[size], size)
        megabytes = sum(f.stat().st_size for f in mirrors[args.pages].rglob("*") if f.is_file()) / 2**20
        print(f"generated mirror: {args.pages} files, {megabytes:.0f} MB (and a {sizes[0]}-file one)\n")
        columns = ("files", "items", "seconds", "pages/s", "peak RSS", "heap: stream", "heap: harvest()")
        print(" ".join(f"{name:>{max(len(name), 8)}}" for name in columns))
        rows = []
        for size in sizes:
            timed = _child(mirrors[size], "harvest")
            streamed = _child(mirrors[size], "stream-traced")
            kept = _child(mirrors[size], "harvest-traced")
            rows.append((timed["items"], streamed["heap"], kept["heap"]))
            print(
                f"{int(timed['files']):>8} {int(timed['items']):>8} {timed['seconds']:>8.2f} "
                f"{timed['files'] / timed['seconds']:>8.0f} {timed['rss_kb'] / 1024:>6.1f} MB "
                f"{streamed['heap'] / 2**20:>9.2f} MB {kept['heap'] / 2**20:>12.2f} MB"
            )
        added = rows[1][0] - rows[0][0]
        if added > 0:
            per_stream = (rows[1][1] - rows[0][1]) / added
            per_kept = (rows[1][2] - rows[0][2]) / added
            print(
                f"\ngrowth per extra item: stream {per_stream:.0f} bytes (a hash per item, to drop a page"
                f" saved twice);\nharvest() {per_kept:.0f} bytes (the items the writer needs)."
                " No page text is kept."
            )
        if sys.platform != "win32":
            seconds, shown = _command_on_a_terminal(mirrors[args.pages], Path(temporary) / "清单.xlsx")
            bar = "读取页面" in shown and "100%" in shown
            print(
                f"\nharvest command, -o 清单.xlsx, on a terminal: {seconds:.1f} s; progress bar shown: {bar}"
            )
            lines = shown.replace("\r", "\n").splitlines()
            print("\n".join(f"  {line}" for line in lines if line.startswith(("读取", "跳过", "已写出"))))
    print(f"\n(os: {os.uname().sysname}, python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()

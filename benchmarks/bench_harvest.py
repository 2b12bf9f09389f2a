"""Harvest speed and memory on generated mirrors of 1,000, 5,000 and 20,000 pages (--pages to choose).

Target (issue 11): harvesting N saved pages takes at most 1.5 times a bare lxml parse of the same
pages, and peak memory does not grow with N. Each measurement runs in a fresh process, one after
the other in one run of this script, so the figures are comparable with each other only:

  - "parse": read every page file and parse it with lxml (etree.HTMLParser), nothing else;
  - "harvest": the harvest as the command runs it: every page read, items (with their body text)
    streamed to a spool file, fields and columns counted; the ratio is harvest ÷ parse;
  - "command": `compliance-audit harvest MIRROR -o 清单.xlsx`, the whole command with the xlsx
    written in openpyxl's write-only mode.

Peak RSS (ru_maxrss) includes the interpreter, lxml and openpyxl (about 60 MB before the first
page). The pages are modelled on county portal article pages: a header with a two-level menu, a
sidebar, the metadata block of one of six templates (Anhui table, gkmlpt spans, jcms lists in
GB18030 without a declared charset, <dl> blocks, Hunan one-line blocks in GB2312, text dumps),
6–24 paragraphs of body text, related links and a footer with inline scripts: 18–28 KB each
(22 KB on average), plus list pages and attachments. Times are CPU seconds of each process (the
machine may be shared; wall-clock time would measure the neighbours too). Nothing here is a
pass/fail test.

    python benchmarks/bench_harvest.py [--pages 1000 5000 20000]
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
SENTENCES = (
    "为进一步规范政务公开工作，根据《中华人民共和国政府信息公开条例》和上级有关要求，结合本单位实际，现就有关事项通知如下。",
    "各科室要高度重视，明确责任分工，按时报送相关材料，确保各项工作落到实处。",
    "会议指出，要坚持以人民为中心的发展思想，持续深化“放管服”改革，不断优化营商环境。",
    "下一步，我局将严格落实信息发布审核制度，做到发布前逐条核对元数据，及时更新栏目内容。",
    "全年共办理法律援助案件312件，接待群众来访咨询1460人次，为群众挽回经济损失约280万元。",
    "各乡镇（街道）要结合实际制定具体实施方案，于每月25日前将工作进展情况报送县政务公开办公室。",
    "对工作中发现的问题，要建立台账，明确整改时限，逐项销号，确保整改到位。",
)
MENU = tuple(
    (
        name,
        tuple(
            f"{name}{index}"
            for index in ("概况", "动态", "文件", "解读", "公告", "指南", "年报", "数据", "专题", "互动")
        ),
    )
    for name in (
        "首页",
        "走进某县",
        "政务公开",
        "政务服务",
        "互动交流",
        "专题专栏",
        "数据发布",
        "政策文件",
        "公共服务",
        "新闻中心",
    )
)
SCRIPT = (
    "var _hmt = _hmt || []; (function() { var hm = document.createElement('script'); "
    "hm.src = 'https://hm.example.com/hm.js?0123456789abcdef'; "
    "var s = document.getElementsByTagName('script')[0]; "
    "s.parentNode.insertBefore(hm, s); })(); "
    + "window.siteConfig = {"
    + ",".join(f"'key{index}': 'value{index}'" for index in range(60))
    + "};"
)


def _title(rng: random.Random) -> str:
    subject = rng.choice(SUBJECTS).format(year=rng.randint(2019, 2024), n=rng.randint(1, 12))
    return rng.choice(BUREAUS) + subject


def _day(rng: random.Random) -> str:
    return f"2023-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"


def _paragraphs(rng: random.Random) -> list[str]:
    return [
        "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(6, 24))
    ]


def _menu() -> str:
    items = []
    for position, (name, subs) in enumerate(MENU):
        links = "".join(
            f'<li><a href="/col/col{position}{index}/index.html" target="_blank">{sub}</a></li>'
            for index, sub in enumerate(subs)
        )
        items.append(
            f'<li class="nav-item"><a href="/col/col{position}/index.html">{name}</a>'
            f'<div class="sub-nav" style="display:none"><ul>{links}</ul></div></li>'
        )
    return '<ul class="nav">' + "".join(items) + "</ul>"


HEADER = (
    '<div class="topbar"><div class="w1200"><span class="date" id="today"></span><a href="/wza/">无障碍</a>'
    '<a href="/old/">长者模式</a><a href="/login">登录</a><a href="/m/">手机版</a></div></div>'
    '<div class="header"><div class="logo"><a href="/">'
    '<img src="/images/logo.png" alt="某县人民政府"></a></div>'
    '<form class="search" action="/search/index.html" method="get">'
    '<input type="text" name="q" placeholder="请输入关键词">'
    '<input type="hidden" name="siteid" value="1"><button type="submit">搜索</button></form></div>' + _menu()
)
SIDEBAR = (
    '<div class="left"><h3>政务公开</h3><ul class="side">'
    + "".join(
        f'<li><a href="/col/side{index}/index.html">{column}</a></li>'
        for index, column in enumerate(COLUMNS * 2)
    )
    + "</ul></div>"
)
FOOTER = (
    '<div class="footer"><div class="links"><select onchange="window.open(this.value)">'
    "<option>--国家部委网站--</option>"
    + "".join(
        f'<option value="http://www.example{index}.gov.cn/">部委网站{index}</option>' for index in range(30)
    )
    + '</select></div><div class="copy"><p>主办单位：某县人民政府办公室　　承办：某县大数据中心</p>'
    "<p>地址：某县人民路1号　　电话：0000-0000000　　政府网站标识码：0000000000</p>"
    '<p><a href="https://beian.example.gov.cn/">某ICP备00000000号</a>　'
    '<a href="/sitemap/">网站地图</a></p></div>'
    f"<script>{SCRIPT}</script></div>"
)


def _shell(head: str, block: str, rng: random.Random) -> str:
    """An article page as county portals serve them (25–45 KB): the template's metadata block
    between the site's header, menu, sidebar, body text, related links and footer."""
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in _paragraphs(rng))
    related = "".join(
        f'<li><a href="/art/{rng.randint(1, 9999)}.html">{_title(rng)}</a><span>{_day(rng)}</span></li>'
        for _ in range(8)
    )
    return (
        "<!DOCTYPE html><html><head>"
        + head
        + '<meta name="viewport" content="width=device-width, initial-scale=1">'
        + '<meta name="SiteName" content="某县人民政府">'
        + "".join(f'<link rel="stylesheet" href="/css/style{index}.css">' for index in range(5))
        + f'<script src="/js/jquery.min.js"></script><script>{SCRIPT}</script></head><body>'
        + HEADER
        + '<div class="container">'
        + SIDEBAR
        + '<div class="right">'
        + block
        + f'<div class="zoom" id="zoom">{paragraphs}</div>'
        + '<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a></div>'
        + f'<div class="related"><h3>相关阅读</h3><ul>{related}</ul></div></div></div>'
        + FOOTER
        + "</body></html>"
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
        f"<meta charset='utf-8'><title>{title}</title>", body, rng
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
    return f"gkmlpt/content/{n % 7}/post_{n}.html", _shell(head, body, rng).encode()


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
    return path, _shell(head, body, rng).encode("gb18030")


def _dl(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        f"<div class='dqwz'>首页 &gt;&gt; 政务公开 &gt;&gt; {column}</div><dl>"
        f"<dt>信息索引号：</dt><dd>11330703307522110T/{day[:4]}-{n:05d}</dd>"
        f"<dt>发布机构：</dt><dd>{rng.choice(BUREAUS)}</dd><dt>发文字号：</dt><dd></dd>"
        f"<dt>发布日期：</dt><dd>{day}</dd>"
        f"<dt>有效性：</dt><dd>{rng.choice(['有效', '现行有效', ''])}</dd></dl>"
        f"<h1>{title}</h1>"
    )
    return f"art/dl/{n}.html", _shell(f"<meta charset='utf-8'><title>{title}</title>", body, rng).encode()


def _hunan(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    body = (
        f"<div class='location'>您现在的位置：首页 &gt; 政务公开 &gt; {column}</div>"
        f"<div>索引号:4303000006/{day[:4]}-{n:07d} 发布机构:{rng.choice(BUREAUS)} 发布目录:{column}</div>"
        f"<h1>{title}</h1><div>县人民政府门户网站 发布时间:{day} 09:46</div>"
    )
    head = f"<meta http-equiv='Content-Type' content='text/html; charset=gb2312'><title>{title}</title>"
    return f"{9900 + n % 40}/content_{n}.html", _shell(head, body, rng).encode("gb18030")


def _dump(n: int, rng: random.Random, title: str, day: str, column: str) -> tuple[str, bytes]:
    text = (
        f"政府信息公开\n{title}\n- 索引号: {day.replace('-', '')}-{n:06d}\n- 主题分类:\n"
        f"- 发布机构: {rng.choice(BUREAUS)}\n- 发布时间: {day}\n- 标题: {title}\n"
        + "\n".join(_paragraphs(rng))
    )
    return f"dumps/{n}.txt", text.encode()


TEMPLATES = (_anhui, _gkmlpt, _jcms, _dl, _hunan, _dump)


def _list_page(rng: random.Random) -> bytes:
    links = "".join(
        f'<li><a href="/art/{rng.randint(1, 9999)}.html">{_title(rng)}</a><span>{_day(rng)}</span></li>'
        for _ in range(20)
    )
    return _shell(
        "<meta charset='utf-8'><title>工作动态_某县人民政府</title>", f"<ul class='list'>{links}</ul>", rng
    ).encode()


def generate(directory: Path, pages: int, seed: int = 2021) -> None:
    """pages files: about 90% article pages, the rest list pages and attachments."""
    rng = random.Random(seed)
    for n in range(1, pages + 1):
        if n % 20 == 0:
            relative, data = f"col/{n}/index.html", _list_page(rng)
        elif n % 20 == 1:
            relative, data = f"attach/{n}.pdf", b"%PDF-1.4\n" + rng.randbytes(2048)
        else:
            day = f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            template = TEMPLATES[n % len(TEMPLATES)]
            relative, data = template(n, rng, _title(rng), day, rng.choice(COLUMNS))
        path = directory / "www.example.gov.cn" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def measure(mirror: Path, mode: str, output: Path) -> dict[str, float]:
    """One measurement, in a process of its own; the modules are imported before the clock starts."""
    from lxml import etree

    from compliance_audit.cli import main as command
    from compliance_audit.harvest import harvest_to_spool

    count = 0
    started = time.process_time()
    if mode == "parse":
        parser = etree.HTMLParser()
        for directory, _, files in os.walk(mirror):
            for name in files:
                if name.endswith((".html", ".txt")):
                    with open(os.path.join(directory, name), "rb") as handle:
                        etree.fromstring(handle.read(), parser)
                    count += 1
    elif mode == "harvest":
        with harvest_to_spool(mirror) as result:
            count = result.summary.items
    else:
        try:
            command(["harvest", str(mirror), "-o", str(output), "--bureau-name", "某县人民政府办公室"])
        except SystemExit as end:
            if end.code:
                raise
    seconds = time.process_time() - started
    return {
        "count": count,
        "seconds": seconds,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(mirror: Path, mode: str, output: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", str(mirror), mode, str(output)]
    result: dict[str, float] = json.loads(
        subprocess.run(command, check=True, capture_output=True, text=True).stdout
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--measure", nargs=3, metavar=("MIRROR", "MODE", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1], Path(args.measure[2]))))
        return
    print(
        f"{'pages':>7} {'MB':>6} {'parse s':>8} {'harvest s':>9} {'ratio':>6} {'items':>6} "
        f"{'RSS parse':>10} {'RSS harvest':>12} {'command s':>9} {'RSS command':>12}"
    )
    for pages in args.pages:
        with tempfile.TemporaryDirectory(prefix="bench-harvest-") as temporary:
            mirror, output = Path(temporary) / "site", Path(temporary) / "清单.xlsx"
            generate(mirror, pages)
            megabytes = sum(file.stat().st_size for file in mirror.rglob("*") if file.is_file()) / 2**20
            parsed = _child(mirror, "parse", output)
            harvested = _child(mirror, "harvest", output)
            command = _child(mirror, "command", output)
            print(
                f"{pages:>7} {megabytes:>6.0f} {parsed['seconds']:>8.2f} {harvested['seconds']:>9.2f} "
                f"{harvested['seconds'] / parsed['seconds']:>6.2f} {int(harvested['count']):>6} "
                f"{parsed['rss_mb']:>7.0f} MB {harvested['rss_mb']:>9.0f} MB {command['seconds']:>9.2f} "
                f"{command['rss_mb']:>9.0f} MB",
                flush=True,
            )
    print(f"\n(os: {os.uname().sysname}, python {sys.version.split()[0]}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()

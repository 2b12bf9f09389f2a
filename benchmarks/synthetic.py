"""A synthetic inventory of a county justice bureau with realistic titles, reproducible from a seed:
the benchmarks measure on it and tests/test_reference_results.py checks the audit of 200,000 of its
items against the reference results."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

_PLACES = ["秦州区", "麦积区", "甘谷县", "武山县", "清水县", "秦安县", "张家川县"]
_TEMPLATES = [
    ("{place}司法局开展“{campaign}”普法宣传活动", "工作动态"),
    ("{place}司法局召开{year}年全区司法行政工作会议", "工作动态"),
    ("{place}公共法律服务中心{month}月份法律援助案件办理情况", "工作动态"),
    ("关于表彰{year}年度全区先进人民调解委员会和先进人民调解员的决定", "通知公告"),
    ("关于开展{year}年度“法律明白人”培训的通知", "通知公告"),
    ("{place}司法局{year}年部门预算公开", "预决算公开及三公"),
    ("{place}司法局{prev}年度部门决算公开", "预决算公开及三公"),
    ("{place}司法局行政处罚决定书（{abbr}司罚决字〔{year}〕{n}号）", "行政执法"),
    ("{place}司法局行政执法人员信息公示（{month}月更新）", "行政执法"),
    ("《中华人民共和国民法典》{topic}", "工作动态"),
    ("{place}法治文化阵地名录（{year}年{month}月更新）", "工作动态"),
    ("{place}司法局关于印发《{place}人民调解员补贴管理办法》的通知", "文件及解读"),
    ("{place}司法局{prev}年政府信息公开工作年度报告", "计划总结及报告"),
    ("{place}司法局{year}年工作要点", "计划总结及报告"),
]
_CAMPAIGNS = ["宪法宣传周", "民法典进万家", "法律进乡村", "三八妇女维权", "国家安全教育日", "扫黑除恶"]
_TOPICS = ["主要内容和施行日期", "婚姻家庭编要点", "合同编解读", "继承编问答"]
_COLUMNS = ["工作动态", "通知公告", "文件及解读", "预决算公开及三公", "计划总结及报告", "行政执法"]


def generate(path: Path, count: int, seed: int = 20210310) -> None:
    rng = random.Random(seed)
    bureau = {
        "bureau": {
            "name": "天水市秦州区司法局",
            "level": "county",
            "region": "甘肃省天水市秦州区",
            "sector": "justice",
            "profile": "county-justice-bureau",
            "columns": [
                {"name": name, "kind": kind}
                for name, kind in zip(
                    _COLUMNS, ["news", "notice", "policy", "finance", "plans", "enforcement"], strict=True
                )
            ],
        }
    }
    start = date(2015, 1, 1)
    span = (date(2021, 3, 1) - start).days
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(bureau, ensure_ascii=False) + "\n")
        for number in range(count):
            template, column = rng.choice(_TEMPLATES)
            published = start + timedelta(days=rng.randrange(span))
            # most items go out within days; a few are late, as on real portals
            lag = rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 7, 9)) if rng.random() > 0.04 else rng.randrange(25, 90)
            formed = published - timedelta(days=lag)
            place = rng.choice(_PLACES)
            title = template.format(
                place=place,
                abbr=place[0],
                campaign=rng.choice(_CAMPAIGNS),
                topic=rng.choice(_TOPICS),
                year=published.year,
                prev=published.year - 1,
                month=published.month,
                n=rng.randrange(1, 60),
            )
            item = {
                "index_no": f"11620502MB{number // 100000:08d}/{published.year}-{number % 100000:05d}",
                "title": title,
                "topic": "公安、安全、司法",
                "publisher": "区司法局",
                "formed": formed.isoformat() if rng.random() > 0.01 else "",
                "published": published.isoformat(),
                "column": column,
                "doc_no": "",
                "validity": "",
                "url": f"http://www.example.gov.cn/zfxxgk/sfj/{published:%Y%m}/t{published:%Y%m%d}_{number}.html",
                "summary": title[:20] if rng.random() > 0.03 else "",
            }
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")

#!/usr/bin/env python3
"""Abbreviation recall and precision on an index, by document.

For each abbreviation and its long forms: the documents holding a long form (found with
--exact, whose substring recall is 1.00) are the ones a search for the abbreviation should
find. Recall = share of them the abbreviation finds (with aliases; and --exact as the
"before"); precision = share of the documents it finds that hold the abbreviation or a long
form, the others printed for review.

usage: scripts/abbreviations.py ZHENGCE INDEX [FILE]   (FILE: `abbr long long …` lines)
"""
import json
import subprocess
import sys

# Chosen from the domain's conventions before looking at the bench, none of them in the
# built-in table of main (src/search/synonyms.txt before issue 14's vocabulary half).
DEFAULT = """
民诉法 民事诉讼法
刑诉法 刑事诉讼法
行诉法 行政诉讼法
个保法 个人信息保护法
消保法 消费者权益保护法
网安法 网络安全法
食安法 食品安全法
未保法 未成年人保护法
行许法 行政许可法
行处法 行政处罚法
反家暴法 反家庭暴力法
野保法 野生动物保护法
大气法 大气污染防治法
电商法 电子商务法
招投标法 招标投标法
省人大常委会 省人民代表大会常务委员会
市人大常委会 市人民代表大会常务委员会
人大代表 人民代表大会代表
省纪委 省纪律检查委员会
市人社局 市人力资源和社会保障局 市人力资源社会保障局
省住建厅 省住房和城乡建设厅 省住房城乡建设厅
市发改委 市发展和改革委员会 市发展改革委
卫健委 卫生健康委员会 卫生健康委
市场监管局 市场监督管理局
高院 高级人民法院
中院 中级人民法院
残联 残疾人联合会
低保 最低生活保障
非遗 非物质文化遗产
经开区 经济技术开发区
"""


def documents(zhengce, index, query, exact):
    args = [zhengce, "search", "--index", index, "-l", "--limit", "100000", "--json"]
    if exact:
        args.append("--exact")
    out = subprocess.run(args + ["--", query], capture_output=True, text=True)
    if not out.stdout.strip():
        return set()
    return {d["path"] for d in json.loads(out.stdout)["documents"]}


def main():
    zhengce, index = sys.argv[1], sys.argv[2]
    text = open(sys.argv[3]).read() if len(sys.argv) > 3 else DEFAULT
    rows = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    totals = {"relevant": 0, "before": 0, "after": 0, "found": 0, "right": 0}
    print(f"{'abbreviation':<12} {'long':>5} {'before':>7} {'after':>7} {'found':>6} {'prec':>6}")
    extras = []
    for abbr, *longs in rows:
        relevant = documents(zhengce, index, " OR ".join(longs), True)
        literal = documents(zhengce, index, abbr, True)
        found = documents(zhengce, index, abbr, False)
        before = len(relevant & literal)
        after = len(relevant & found)
        right = found & (relevant | literal)
        wrong = found - relevant - literal
        extras += [(abbr, p) for p in sorted(wrong)]
        n = max(len(relevant), 1)
        print(f"{abbr:<12} {len(relevant):>5} {before / n:>7.2f} {after / n:>7.2f} {len(found):>6} {len(right) / max(len(found), 1):>6.2f}")
        totals["relevant"] += len(relevant)
        totals["before"] += before
        totals["after"] += after
        totals["found"] += len(found)
        totals["right"] += len(right)
    t = totals
    print(f"{'all (micro)':<12} {t['relevant']:>5} {t['before'] / t['relevant']:>7.2f} {t['after'] / t['relevant']:>7.2f} {t['found']:>6} {t['right'] / max(t['found'], 1):>6.2f}")
    print(f"\n{len(extras)} documents found holding neither the abbreviation nor a long form:")
    for abbr, path in extras:
        print(f"  {abbr}\t{path}")


if __name__ == "__main__":
    main()

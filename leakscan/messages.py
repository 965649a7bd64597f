"""Every sentence the human-readable reports print, in English and Chinese, in one catalogue.

A message is looked up by key and filled with named fields (``str.format``). Both languages
live side by side in one entry, so a message cannot exist in one language only, and
``tests/test_messages.py`` checks that every entry has both and that they read the same
fields. Statutory text (the articles a ruleset quotes) is never translated: it is quoted in
the original from the ruleset file. JSON keys are not messages: the JSON report is the same in
every language.

The default language comes from the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in the
order POSIX reads them): ``zh`` when it names Chinese, else ``en``.
"""

from __future__ import annotations

import os

LANGUAGES = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # -- the verdict line --------------------------------------------------------------------
    "verdict": {
        "en": "Verdict: {records} records with personal information, {persons} persons "
              "(estimated) — {rulings}",
        "zh": "结论：含个人信息的记录 {records} 条，估计涉及 {persons} 人 — {rulings}"},
    "sep": {"en": "; ", "zh": "；"},
    "aside": {"en": " ({text})", "zh": "（{text}）"},
    "verdict.reached": {"en": "{level} under {law}, by {article}: {decider}",
                        "zh": "{law}：{level}，依据 {article}：{decider}"},
    "verdict.not_reached": {"en": "{law}: no level reached ({score})",
                            "zh": "{law}：未达到任何等级（{score}）"},
    "verdict.alternative": {
        "en": "under the alternative reading {reading}: {level}",
        "zh": "按另一种解释 {reading}：{level}"},
    "verdict.header_only": {
        "en": "without the columns recognised by header alone ({categories}): {level}",
        "zh": "不计仅凭列名识别的列（{categories}）：{level}"},
    "verdict.lower_bound": {
        "en": "at the {confidence}% lower bound of the sampled genuine share: {level}",
        "zh": "按抽样核实属实比例的 {confidence}% 置信下限：{level}"},
    "decider.alone": {"en": "{count} tier-{tier} items ≥ {threshold}",
                      "zh": "{tier}类信息 {count} 条 ≥ {threshold}"},
    "decider.persons": {"en": "{count} {what} ≥ {threshold}",
                        "zh": "{what} {count} ≥ {threshold}"},
    "decider.ratio": {"en": "{terms} = {sum} ≥ {target}",
                      "zh": "{terms} = {sum} ≥ {target}"},
    "decider.income": {"en": "illegal income {income} CNY ≥ {threshold} CNY (reached by "
                             "illegal income, not by counts)",
                       "zh": "违法所得 {income} 元 ≥ {threshold} 元（由违法所得达到，而非数量）"},
    "decider.lawful": {"en": "profit {profit} CNY ≥ {threshold} CNY (buying for lawful "
                             "business, Art. 6)",
                       "zh": "获利 {profit} 元 ≥ {threshold} 元（为合法经营活动而购买，第六条）"},
    "on_duty": {"en": " (obtained on duty)", "zh": "（履职或提供服务中获得）"},
    "score.ratio": {"en": "{terms} = {sum} of the {target} needed",
                    "zh": "{terms} = {sum}，需达到 {target}"},
    "score.any": {"en": "largest share {terms}", "zh": "最大占比 {terms}"},
    "level.none": {"en": "no level reached", "zh": "未达到任何等级"},
    "key.persons": {"en": "persons", "zh": "人数"},
    "key.sensitive_persons": {"en": "persons with sensitive information",
                              "zh": "含敏感个人信息的人数"},
    "tier": {"en": "tier {tier}", "zh": "{tier}类"},
    # -- headings ---------------------------------------------------------------------------
    "title": {"en": "leakscan report", "zh": "leakscan 报告"},
    "generated": {"en": "Generated {when} by leakscan {version} (report schema {schema}).",
                  "zh": "由 leakscan {version} 于 {when} 生成（报告格式 {schema}）。"},
    "h.assessment": {"en": "Assessment", "zh": "评估"},
    "h.alternatives": {"en": "Alternative readings", "zh": "其他解释"},
    "alternatives.intro": {"en": "Where courts disagree on a class, the level under each "
                                 "other reading:",
                           "zh": "法院对某类信息的认定存在分歧时，按各种其他解释得出的等级："},
    "h.records": {"en": "Records", "zh": "记录"},
    "h.per_input": {"en": "Per input", "zh": "各输入文件"},
    "h.categories": {"en": "Categories", "zh": "信息类别"},
    "h.columns": {"en": "Columns", "zh": "列"},
    "h.inputs": {"en": "Inputs", "zh": "输入文件"},
    "h.evidence": {"en": "Evidence files", "zh": "证据文件"},
    "h.options": {"en": "Options", "zh": "选项"},
    "h.warnings": {"en": "Warnings", "zh": "警告"},
    "h.vocabulary": {"en": "What the terms mean", "zh": "术语说明"},
    "h.method": {"en": "Method and citations", "zh": "方法与依据"},
    "h.provenance": {"en": "Provenance", "zh": "来源与版本"},
    "h.not_read": {"en": "Files not read", "zh": "未读取的文件"},
    "h.unreadable": {"en": "Inputs that could not be read", "zh": "无法读取的输入文件"},
    "none": {"en": "(none)", "zh": "（无）"},
    "estimate": {"en": "This report is an estimate for assessment, not a legal conclusion. The "
                       "counts follow the rules stated under Method; the levels are what the "
                       "thresholds of each ruleset give for those counts.",
                 "zh": "本报告是供评估参考的估算，不是法律结论。计数遵循“方法与依据”所述规则；"
                       "等级是各规则集的阈值对这些计数得出的结果。"},
    "estimate.short": {"en": "An estimate for assessment, not a legal conclusion.",
                       "zh": "供评估参考的估算，不是法律结论。"},
    # -- table columns ----------------------------------------------------------------------
    "col.ruleset": {"en": "ruleset", "zh": "规则集"},
    "col.level": {"en": "level", "zh": "等级"},
    "col.score": {"en": "score", "zh": "分值"},
    "col.basis": {"en": "basis", "zh": "依据"},
    "col.reading": {"en": "reading", "zh": "解释"},
    "col.counts_used": {"en": "counts used", "zh": "所用计数"},
    "col.total_rows": {"en": "total rows", "zh": "总行数"},
    "col.with_pi": {"en": "with personal information", "zh": "含个人信息"},
    "col.duplicates": {"en": "duplicates", "zh": "重复"},
    "col.unique": {"en": "unique", "zh": "去重后"},
    "col.persons": {"en": "persons (estimated)", "zh": "估计人数"},
    "col.category": {"en": "category", "zh": "类别"},
    "col.class": {"en": "class", "zh": "法律类别"},
    "col.tier": {"en": "tier", "zh": "层级"},
    "col.detected": {"en": "detected", "zh": "检出"},
    "col.valid": {"en": "valid", "zh": "有效"},
    "col.masked": {"en": "masked", "zh": "已脱敏"},
    "line.masked": {"en": "Masked: {masked} values hidden in part in the source (found, never "
                          "valid, not counted); {only} rows identified only by masked values are "
                          "not counted as personal information",
                    "zh": "已脱敏：源数据中 {masked} 个值被部分遮蔽（计入检出，不视为有效，不计数）；"
                          "仅以已脱敏值标识的 {only} 行不计为个人信息"},
    "vocab.masked": {"en": "masked: values the source hides in part (138****8000, 张**): in "
                           "detected, never valid, never counted, and left out of the share "
                           "that recognises a column",
                     "zh": "已脱敏：源数据中被部分遮蔽的值（138****8000、张**）：计入检出，不视为"
                           "有效，不计数，也不计入识别列时的有效比例"},
    "col.records": {"en": "records", "zh": "记录数"},
    "col.input": {"en": "input", "zh": "输入文件"},
    "col.column": {"en": "column", "zh": "列"},
    "col.method": {"en": "method", "zh": "识别方式"},
    "col.confidence": {"en": "confidence", "zh": "置信度"},
    "col.sample": {"en": "sample (masked)", "zh": "样例（已遮蔽）"},
    "col.path": {"en": "path", "zh": "路径"},
    "col.format": {"en": "format", "zh": "格式"},
    "col.encoding": {"en": "encoding", "zh": "编码"},
    "col.rows": {"en": "rows", "zh": "行数"},
    "col.rejected": {"en": "rejected", "zh": "无法解析"},
    "col.bytes": {"en": "bytes", "zh": "字节"},
    "col.error": {"en": "error", "zh": "错误"},
    "col.kind": {"en": "kind", "zh": "种类"},
    "col.option": {"en": "option", "zh": "选项"},
    "col.value": {"en": "value", "zh": "值"},
    "col.reason": {"en": "reason", "zh": "原因"},
    "col.library": {"en": "library", "zh": "程序库"},
    "col.version": {"en": "version", "zh": "版本"},
    "col.origin": {"en": "origin", "zh": "来源"},
    "col.tier_a": {"en": "tier A", "zh": "A类"},
    "col.tier_b": {"en": "tier B", "zh": "B类"},
    "col.tier_c": {"en": "tier C", "zh": "C类"},
    "changes_level": {"en": "CHANGES THE LEVEL", "zh": "改变等级"},
    "col.changes_level": {"en": "changes the level", "zh": "是否改变等级"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "flag": {"en": "flag", "zh": "提示"},
    "not_assessed": {"en": "not assessed", "zh": "未评估"},
    "h.flags": {"en": "Flags", "zh": "提示"},
    "h.not_assessed": {"en": "Not assessed", "zh": "未评估事项"},
    "not_assessed.intro": {"en": "These items do not depend on the counts, or need facts the "
                                 "data does not hold:",
                           "zh": "以下事项不取决于数量，或需要数据中没有的事实："},
    "h.verification": {"en": "Verification by sampling", "zh": "抽样核实"},
    "verify.head": {"en": "Verification by sampling ({file}, {confidence}% Clopper-Pearson):",
                    "zh": "抽样核实（{file}，{confidence}% Clopper-Pearson 区间）："},
    "verify.tier": {"en": "tier {tier}: {genuine} of {sampled} sampled genuine ({share}, "
                          "interval {lower}-{upper}); {count} counted, {at_lower} at the lower "
                          "bound",
                    "zh": "{tier}类：抽样 {sampled} 条中 {genuine} 条属实（{share}，区间 "
                          "{lower}-{upper}）；计数 {count} 条，按下限为 {at_lower} 条"},
    "verify.ruleset": {"en": "{ruleset}: literally {level}, at the lower bound {at_lower} "
                             "({counts})",
                       "zh": "{ruleset}：按计数为{level}，按下限为{at_lower}（{counts}）"},
    "verify.not_applied.persons": {
        "en": "{ruleset}: not applied (it counts persons, not the records the sample was "
              "drawn from)",
        "zh": "{ruleset}：不适用（该规则集按人数计算，而非抽样所依据的记录）"},
    "verify.not_applied.tiers": {
        "en": "{ruleset}: not applied (its tiers are not the sampled ones)",
        "zh": "{ruleset}：不适用（其层级划分与抽样的层级不同）"},
    "verify.method": {
        "en": "The examiner checked each sampled record and answered whether it is genuine; "
              "each tier's genuine share has an exact (Clopper-Pearson) interval, the count at "
              "its lower bound is floor(count × lower), and each ruleset is assessed again on "
              "those counts.",
        "zh": "检验人员逐条核实抽样记录是否真实；各层级属实比例给出精确（Clopper-Pearson）置信"
              "区间，下限计数为 floor(计数 × 下限)，并按这些计数重新评估各规则集。"},
    "embedded": {"en": "inside free text", "zh": "自由文本中"},
    "also": {"en": "(also {found})", "zh": "（另有 {found}）"},
    # -- summary lines (table) --------------------------------------------------------------
    "line.records": {"en": "Records: {total} rows, {with_pi} with personal information, "
                           "{duplicates} duplicates, {unique} unique",
                     "zh": "记录：共 {total} 行，含个人信息 {with_pi} 行，重复 {duplicates} "
                           "行，去重后 {unique} 条"},
    "line.tiers": {"en": "Tiers:   A {A}   B {B}   C {C}      Persons (estimated): {persons}",
                   "zh": "层级：  A类 {A}   B类 {B}   C类 {C}      估计人数：{persons}"},
    "line.header": {"en": "leakscan {version}  ·  {inputs} input(s)  ·  {options}",
                    "zh": "leakscan {version}  ·  {inputs} 个输入文件  ·  {options}"},
    "line.score": {"en": "score", "zh": "分值"},
    "line.alternative": {"en": "alternative reading {reading}", "zh": "其他解释 {reading}"},
    "line.counts_read": {"en": "Counts each ruleset read", "zh": "各规则集所用计数"},
    "income.line": {"en": "Illegal income: {income}; thresholds {thresholds}",
                    "zh": "违法所得：{income}；阈值 {thresholds}"},
    "income.not_given": {"en": "not given", "zh": "未提供"},
    "unit.items": {"en": "Counts items (unique records).", "zh": "计数单位：条（去重后的记录）。"},
    "unit.persons": {"en": "Counts persons (estimated).", "zh": "计数单位：人（估计）。"},
    # -- vocabulary -------------------------------------------------------------------------
    "vocab.tier": {"en": "Tier {tier}: {text}", "zh": "{tier}类：{text}"},
    "vocab.tiers_intro": {
        "en": "Every record takes the most sensitive tier among its valid values; the thresholds "
              "differ by tier (one tier-A item weighs as much as 100 tier-C items):",
        "zh": "每条记录按其有效值中最敏感的层级计入；各层级阈值不同（1 条 A 类信息相当于 100 条 "
              "C 类信息）："},
    "vocab.detected": {"en": "detected: non-blank cells of the category's columns (and, in free "
                             "text, candidates of its shape)",
                       "zh": "检出：该类别各列中的非空单元格（自由文本中则为符合其形式的候选值）"},
    "vocab.valid": {"en": "valid: those that pass validation (check digits, calendars, "
                          "numbering plans); only valid values count",
                    "zh": "有效：通过校验（校验码、日期、号段）的值；只有有效值计入"},
    "vocab.unique": {"en": "unique: distinct valid values after normalisation",
                     "zh": "去重后：规范化后互不相同的有效值"},
    "vocab.records": {"en": "records: counted records (rows, after deduplication) holding a "
                            "valid value of the category; an attribute category such as "
                            "accommodation counts cells over several columns, and a record is "
                            "counted once however many of its columns hold the category",
                      "zh": "记录数：含该类别有效值的计数记录（行，去重后）；住宿等属性类别的"
                            "检出、有效计数跨多个列统计单元格，但一条记录无论有几列属于该类别，"
                            "只计一次"},
    "vocab.persons": {"en": "persons (estimated): records sharing a resident ID number, phone "
                            "number or e-mail address are linked, transitively; each group is one "
                            "person, and records with none of these values count as one person "
                            "each, so the figure is an upper estimate where people appear only by "
                            "name or address",
                      "zh": "估计人数：共享同一身份证号、手机号或电子邮箱的记录（传递地）视为同一人；"
                            "不含这些值的记录各计一人，因此在仅凭姓名或地址出现的情况下该数字为上限估计。"},
    # -- method -----------------------------------------------------------------------------
    "method.values": {
        "en": "A value counts only if it is valid (checksums, calendars, numbering plans) and is "
              "compared after normalisation. A record is one data row; it is personal "
              "information when it holds a valid identifying value, and its tier is the most "
              "sensitive tier among its valid values. Duplicates (dedup {dedup}, scope {scope}): "
              "rows with the same normalised valid values count once, across all inputs with "
              "scope case (Fa Shi [2017] No. 10 Art. 11(1)) and within each input with scope "
              "input (Art. 11(2)). Batches are counted as found unless shown to be untrue or "
              "duplicated (Art. 11(3)).",
        "zh": "只有有效的值（通过校验码、日期、号段校验）才计入，并在规范化后比较。一条记录为一行"
              "数据；含有效的可识别身份的值时即为个人信息，其层级为其有效值中最敏感的层级。重复"
              "（去重 {dedup}，范围 {scope}）：规范化有效值相同的行只计一次，范围 case 时跨所有输入"
              "（法释〔2017〕10号第十一条第一款），范围 input 时在每个输入内（第十一条第二款）。"
              "批量信息按查获数量认定，但有证据证明信息不真实或者重复的除外（第十一条第三款）。"},
    "method.ruleset": {"en": "{id} (version {version}, sha256 {sha256}): {citation}",
                       "zh": "{id}（版本 {version}，sha256 {sha256}）：{citation}"},
    # -- provenance -------------------------------------------------------------------------
    "prov.libraries": {"en": "Libraries whose data or code decides what is valid and how it is "
                             "counted:",
                       "zh": "决定有效性和计数方式的程序库："},
    "prov.categorizers": {"en": "Categorizers used:", "zh": "所用分类器："},
    "prov.builtin": {"en": "built-in", "zh": "内置"},
    "prov.kernels": {"en": "Validation: compiled kernels for {categories}; SQL for the rest.",
                     "zh": "校验方式：{categories} 使用编译内核，其余使用 SQL。"},
    "prov.sql.disabled": {"en": "Validation: SQL only (kernels disabled: --no-kernels or "
                                "LEAKSCAN_KERNELS=0).",
                          "zh": "校验方式：仅 SQL（编译内核已停用：--no-kernels 或 "
                                "LEAKSCAN_KERNELS=0）。"},
    "prov.sql.not_built": {"en": "Validation: SQL only (leakscan was installed without its "
                                 "compiled kernels).",
                           "zh": "校验方式：仅 SQL（安装时未编译内核）。"},
    "prov.sql.none_declared": {"en": "Validation: SQL only (no categorizer declares a kernel).",
                               "zh": "校验方式：仅 SQL（没有分类器声明编译内核）。"},
    "prov.plugin": {"en": "plug-in from package {package}", "zh": "插件，来自软件包 {package}"},
    "notread.hidden": {"en": "hidden (name starts with a dot)", "zh": "隐藏文件（名称以点开头）"},
    "notread.binary": {"en": "binary content of an unknown type", "zh": "未知类型的二进制内容"},
    "notread.not_data": {"en": "documentation or code, not data (read with --include)",
                         "zh": "文档或代码，不是数据（可用 --include 读取）"},
    "notread.special": {"en": "a pipe, socket or device (reading it could block)",
                        "zh": "管道、套接字或设备文件（读取可能阻塞）"},
    "notread.linked_outside": {"en": "a symbolic link out of the directory (read with "
                                     "--follow-links)",
                               "zh": "指向目录之外的符号链接（可用 --follow-links 读取）"},
    "notread.excluded": {"en": "matched --exclude", "zh": "匹配 --exclude"},
    "notread.not_included": {"en": "matched no --include", "zh": "不匹配任何 --include"},
    "notread.unreadable": {"en": "could not be read: {error}", "zh": "无法读取：{error}"},
    # -- chart ------------------------------------------------------------------------------
    "chart.title": {"en": "{ruleset}: each count against the thresholds of each level",
                    "zh": "{ruleset}：各项计数与各等级阈值的对比"},
    "chart.ratio": {"en": "sum of ratios", "zh": "比例合计"},
    "chart.legend": {"en": "Bars: counts. Marks: the threshold of each level, named. Each row "
                           "has its own scale; the last row is the ratio sum against 1 and 10 "
                           "times the first level.",
                     "zh": "条形：计数。标记：各等级的阈值（已标名称）。每行比例尺各自独立；最后一行"
                           "为比例合计，与第一等级的 1 倍和 10 倍对比。"},
    # -- command-line notes -----------------------------------------------------------------
    "cli.format_conflict": {
        "en": "--format {fmt} conflicts with -o {output} (its extension means {implied}); "
              "drop one or make them agree",
        "zh": "--format {fmt} 与 -o {output}（扩展名表示 {implied}）冲突；请删去其一或使二者一致"},
    "cli.fail_on": {"en": "{ruleset} reached {level} (--fail-on {wanted}): exit {code}",
                    "zh": "{ruleset} 达到 {level}（--fail-on {wanted}）：退出码 {code}"},
    "cli.fail_on_unknown": {
        "en": "--fail-on {wanted}: no ruleset applied has a level with that id; levels: "
              "{levels}",
        "zh": "--fail-on {wanted}：所用规则集中没有此 id 的等级；可用等级：{levels}"},
}


def default_language(environ=None) -> str:
    """``zh`` when the locale names Chinese (``zh_CN.UTF-8``, ``zh_TW``...), else ``en``."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def msg(key: str, lang: str = "en", **fields) -> str:
    """The message ``key`` in ``lang``, filled with ``fields``."""
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**fields)

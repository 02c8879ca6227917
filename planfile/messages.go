package planfile

// The words users read: problems, notices and the diff are zh-CN, for the
// office staff who fill in the sheet. Placeholders hold user text quoted in
// 「」 so an empty or odd value stays visible.
const (
	msgRowRef = "%s 第%d行"

	msgNoHeader        = "找不到表头：前 %d 行里没有「部门」「序号」「任务」「目标」列"
	msgMissingHeader   = "表头缺少「%s」列"
	msgDupHeader       = "表头有两列「%s」（另一列在 %s 列）"
	msgNoMetricColumn  = "有「%s」列但没有「指标」列"
	msgEmptyDept       = "部门为空（上方也没有任务行可沿用）"
	msgEmptySeq        = "序号为空"
	msgBadSeq          = "序号「%s」不是正整数"
	msgDupSeq          = "%s 的序号 %d 与第%d行重复"
	msgEmptyTitle      = "任务为空"
	msgExampleRow      = "这是模板的示例行，请删除后再导入"
	msgOrphanMetric    = "指标行上方没有任务行"
	msgMetricMismatch  = "%s「%s」与上方任务（%s 第%d项）不一致"
	msgEmptyMetricName = "指标名称为空，但本行填了「%s」"
	msgUnknownKind     = "类型「%s」无法识别（可填 累计、比率、排名、里程碑）"
	msgUnknownDir      = "方向「%s」无法识别（可填 不低于/以上、不高于/以内）"
	msgEmptyTarget     = "目标值为空（%s指标要填目标值）"
	msgBadTarget       = "目标值「%s」不是数字"
	msgBadUnit         = "单位「%s」无法识别（填汉字单位如 家、万人、亿元，或 %%、‰）"
	msgTargetUnit      = "目标值「%s」的单位与单位列「%s」不符"
	msgTargetPositive  = "目标值「%s」必须大于 0（只有“不高于”的指标可以是 0）"
	msgMilestoneTarget = "里程碑的目标值只能是 1（完成），不是「%s」"
	msgMilestoneUnit   = "里程碑没有单位，不应填「%s」"
	msgRankUnit        = "排名指标的单位只能是「名」或留空，不应是「%s」"
	msgRankTarget      = "排名的目标值应是正整数名次，不是「%s」"
	msgDupMetric       = "指标「%s」在本任务中重复（另见第%d行）"
	msgNoTasks         = "没有任何任务行"
	msgDraftedProblem  = "从目标文字识别出的指标「%s」有误：%s"
	msgNoDraft         = "未从目标文字读出指标，已按任务名建一个里程碑「%s」，请核对"
	msgNewDept         = "部门「%s」尚不存在，导入时将新建"
	msgYearChanged     = "文件中的年份 %d 按 --year 改为 %d"
	msgFileUnreadable  = "无法读取：%v"
	msgPlanRule        = "计划不合规：%v"
	msgTooBig          = "文件超过 %d 字节，不像一年的计划"
	msgUnzipTooBig     = "工作簿解压后超过 %d 字节，不像一年的计划"
	msgNotUTF8OrGB     = "文件既不是 UTF-8 也不是 GB18030 编码"
	msgTooLong         = "「%s」过长（%d 字，最多 %d 字）"
	msgDraftedTask     = "%s %s 第%d项「%s」按目标文字识别："
	msgDraftedMetric   = "  · %s：%s"
	msgDraftedNote     = "    %s"
)

// The kinds of change Diff lists.
const (
	OpAdded   = "新增"
	OpChanged = "修改"
	OpRemoved = "删除"
)

// Diff lines.
const (
	diffYear        = "%s 年份 %d → %d"
	diffDept        = "%s 部门「%s」（%d 项任务）"
	diffTask        = "%s %s 第%d项「%s」（%d 个指标）"
	diffTaskTitle   = "%s %s 第%d项 任务：「%s」→「%s」"
	diffTaskText    = "%s %s 第%d项「%s」的目标文字"
	diffMetric      = "%s %s 第%d项 指标「%s」：%s"
	diffMetricBrief = "%s %s 第%d项 指标「%s」"
	diffField       = "%s %s → %s"
)

// Column explanations for the 说明 sheet of the template.
const (
	sheetPlan  = "计划"
	sheetHelp  = "说明"
	examplePre = "（示例）"
)

var helpRows = [][]string{
	{"列", "必填", "说明", "示例"},
	{"部门", "是", "责任单位简称。同一部门连续几行时，下面的行可以留空（沿用上方）。库中没有的部门会新建，并在导入时提示。", "市科协"},
	{"序号", "是", "部门内的任务序号，正整数，同一部门内不能重复。", "2"},
	{"任务", "是", "任务名称。填了任务的行开始一项新任务。", "南太湖智汇科创行动"},
	{"目标", "否", "目标任务原文。没有填任何指标时，按这段文字识别指标，导入前逐条列出供核对。", "新建市级院士专家工作站5家以上……"},
	{"指标", "否", "指标名称。任务的第一个指标可写在任务行；其余指标各占一行，该行任务、目标留空（部门、序号可留空或照抄）。", "新建市级院士专家工作站"},
	{"类型", "否", "累计（年内累计数）、比率（读最新值，如增长率、占比）、排名、里程碑（完成与否）。留空：有目标值为累计，无目标值为里程碑。", "累计"},
	{"方向", "否", "不低于（以上）或不高于（以内）。留空：排名为不高于，其余为不低于。", "不低于"},
	{"目标值", "否", "数字，以单位列计（单位为万人时填 13.4）。也可写 13.4万人、12%。里程碑填 1 或留空；排名填名次（前三填 3）；“不高于”的指标可为 0。", "5"},
	{"单位", "否", "如 家、万人、亿元、%。排名为“名”或留空；里程碑留空。", "家"},
	{"", "", "", ""},
	{"注意", "", "以 = + - @ 开头的文字，导出时前面加一个英文单引号 ' 以防被当作公式；导入时去掉这个单引号。", ""},
}

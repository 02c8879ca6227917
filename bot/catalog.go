package bot

// Every user-facing text of the bot, in zh-CN. Format verbs are documented
// next to each message that takes arguments.
const (
	msgRefusal      = "抱歉，您尚未登记为督办联络员，无法使用本机器人。请联系市督查考核办获取邀请链接。"
	msgPrivateOnly  = "为保护数据，填报请在与我的私聊中进行。"
	msgInternal     = "系统繁忙，请稍后再试。您已确认保存的数据不会丢失。"
	msgStale        = "该按钮已过期，请使用最新的消息。"
	msgForbidden    = "无权操作该部门的指标。"
	msgCancelled    = "已退出填报。已保存的数据不受影响。随时发送 /report 继续。"
	msgNoDialog     = "当前没有进行中的填报。发送 /report 开始。"
	msgCoordOnly    = "该命令仅限督查考核办使用。"
	msgUnknownInput = "没看懂这条消息。发送 /report 填报进度，/help 查看帮助。"
	msgNoPlan       = "尚未载入年度目标计划，请联系管理员运行 duban seed。"

	// msgHelp is shown for /help and /start without a token.
	msgHelp = "督办机器人：按期提醒、引导填报重点任务进度，并向督查考核办汇总。\n\n" +
		"/report 填报本期进度\n/mine 查看本部门进度\n/whoami 查看我的身份\n/cancel 退出当前填报\n/help 帮助"
	// msgHelpCoordinator is appended to msgHelp for coordinators.
	msgHelpCoordinator = "\n\n督查考核办：\n/status 全市进度（可加部门名）\n/overdue 本期未报部门\n/export 导出表格\n/invite 部门名 生成联络员邀请链接"

	// msgWelcome: department name, role.
	msgWelcome = "绑定成功！您已成为「%s」的%s。\n到期前我会提醒您；发送 /report 即可填报。"
	// msgWhoami: name, role, department.
	msgWhoami          = "您是 %s，身份：%s%s。"
	msgInviteUnknown   = "邀请链接无效，请向督查考核办索取新的链接。"
	msgInviteUsed      = "该邀请链接已被使用。如需绑定，请向督查考核办索取新的链接。"
	msgInviteExpired   = "该邀请链接已过期（有效期7天），请向督查考核办索取新的链接。"
	msgInviteUsage     = "用法：/invite 部门简称，例如 /invite 市科协"
	msgInviteNoDept    = "找不到部门「%s」。请使用计划中的简称，例如 市科协。"
	msgInviteCreated   = "「%s」联络员邀请链接（7天内有效，仅可使用一次）：\n%s"
	msgRoleContact     = "联络员"
	msgRoleDeputy      = "副联络员"
	msgRoleCoordinator = "督查考核办"
)

// Texts of the report dialog.
const (
	dlgChooseDept = "请选择要代为填报的部门："
	// dlgTasks: department, period label, late mark.
	dlgTasks       = "「%s」%s 进度填报%s\n请选择任务（✅ 本期已填报）："
	dlgLateMark    = "（补报）"
	dlgMetrics     = "%d. %s\n\n"
	dlgMetricLine  = "%s %s\n   目标 %s ｜ 最新 %s\n"
	dlgMetricTap   = "请选择要填报的指标："
	dlgAskValue    = "请输入「%s」%s（单位：%s），例如：%s\n%s"
	dlgAskMile     = "「%s」目前进展如何？"
	dlgCumulative  = "截至本期的年度累计值"
	dlgLatestValue = "本期最新值"
	dlgRankValue   = "最新排名"
	dlgLastValue   = "上次填报：%s（%s）"
	dlgNoLast      = "此前尚未填报。"
	// dlgConfirm: metric name, value, implication.
	dlgConfirm     = "请核对：\n「%s」= %s\n%s\n\n确认保存吗？"
	dlgImplies     = "完成目标 %s，序时进度 %s，%s %s"
	dlgImpliesMile = "里程碑状态：%s %s"
	dlgWarnBelow   = "⚠️ 该累计值低于上次填报的 %s。累计值通常不会减少，确认无误请再次确认。"
	dlgWarnHigh    = "⚠️ 该数值超过目标（%s）的3倍，请核实单位和数量后再次确认。"
	dlgSaved       = "✅ 已保存「%s」= %s。"
	dlgTaskDone    = "本任务指标已全部填报。可直接发送文字作为备注，或发送照片/文件作为佐证材料；不需要请点「跳过」。"
	dlgNoteSaved   = "✅ 备注已保存。"
	dlgFileSaved   = "✅ 佐证材料已保存。"
	dlgChoosePer   = "请选择要补报的期次："
	dlgFinished    = "本次填报结束，谢谢！发送 /report 可随时继续。"
	dlgPeriodLabel = "%s"

	// dlgBad*: the answer to a value that could not be read; nothing was stored.
	dlgBadSyntax   = "没能识别「%s」。请只输入数字和单位，例如：%s"
	dlgBadUnit     = "单位「%s」与该指标不符，该指标的单位是「%s」。例如：%s"
	dlgBadRange    = "「%s」超出合理范围（不能为负数，也不能过大）。例如：%s"
	dlgBadNotText  = "这里需要输入一个数字，例如：%s"
	dlgBadNotMile  = "请点击下方按钮选择进展状态。"
	dlgBadWhole    = "排名应为正整数，例如：3名"
	dlgWaitButtons = "请点击上方消息中的按钮继续，或发送 /cancel 退出。"
)

// Button labels.
const (
	btnConfirm     = "✅ 确认保存"
	btnConfirmAnyw = "⚠️ 仍然保存"
	btnRetype      = "✏️ 重新输入"
	btnBack        = "⬅️ 返回"
	btnBackTasks   = "⬅️ 返回任务列表"
	btnSkip        = "跳过"
	btnFinish      = "结束填报"
	btnLate        = "📅 补报往期"
	btnCurrent     = "📅 回到本期"
	btnNote        = "📝 备注/佐证"
	btnStartReport = "开始填报"
	mileNotStarted = "未启动"
	mileInProgress = "推进中"
	mileDone       = "已完成"
)

// Texts of /overdue and 催办.
const (
	// msgOverdueHead: period, deadline.
	msgOverdueHead  = "%s 期未报齐的部门（截止 %s）：\n"
	msgOverdueNone  = "本期各部门均已报齐。👍"
	msgNudgeTooSoon = "「%s」刚刚催办过，4小时内不再重复催办。"
	// msgNudgeSent: department, number of recipients.
	msgNudgeSent = "已催办「%s」（%d 人）。"
	// msgNudge: department, period, deadline.
	msgNudge = "【催办】「%s」%s 期重点任务进度尚未报齐，截止时间 %s。请点击下方按钮填报。"
)

// Texts of /export and the chart.
const (
	msgExportUsage = "用法：/export 导出 Excel 表格；/export csv 导出 CSV。"
	// msgExportCaption: period.
	msgExportCaption = "重点任务进度表（截至 %s 期）。含总览、指标明细和月度通报三张表。"
	msgChartCaption  = "各单位指标灯色图（绿：序时达标；黄：落后10–30个百分点；红：落后30个百分点以上；灰：未报）。"
	btnChart         = "📊 图表"
)

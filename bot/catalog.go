package bot

import (
	"time"

	"github.com/duban-bot/duban/calendar"
)

// Every user-facing text of the bot, in zh-CN. Format verbs are documented
// next to each message that takes arguments.
const (
	msgRefusal      = "抱歉，您尚未登记为督办联络员，无法使用本机器人。请联系市督查考核办获取邀请链接。"
	msgPrivateOnly  = "为保护数据，填报请在与我的私聊中进行。"
	msgGroupPrivate = "为保护数据，该命令请在与我的私聊中使用。"
	msgInternal     = "系统繁忙，请稍后再试。您已确认保存的数据不会丢失。"
	// msgTelegramBusy: a reply Telegram kept refusing for about 10 s.
	msgTelegramBusy = "Telegram 暂时繁忙，回复未能送达，请稍后再试。您已确认保存的数据不会丢失。"
	msgStale        = "该按钮已过期，请使用最新的消息。"
	msgForbidden    = "无权操作该部门的指标。"
	msgRoleChanged  = "您的所属部门或角色已变更，本次填报已结束，已保存的数据不受影响。请发送 /report 重新开始。"
	msgCancelled    = "已退出填报。已保存的数据不受影响。随时发送 /report 继续。"
	msgNoDialog     = "当前没有进行中的填报。发送 /report 开始。"
	msgCoordOnly    = "该命令仅限督查考核办使用。"
	msgUnknownInput = "没看懂这条消息。发送 /report 填报进度，/help 查看帮助。"
	msgNoPlan       = "尚未载入年度目标计划，请联系管理员运行 duban seed。"

	// msgHelp is a contact's /help (and /start without a token): every
	// command of the role with one example.
	msgHelp = "督办机器人：按期提醒、引导填报重点任务进度，并向督查考核办汇总。\n\n" +
		"/report 填报本期进度：选任务 → 选指标 → 输入数值，例如 12家、8.5%、第3名\n" +
		"更正数值：/report 选同一指标重新输入，例如把 12家 改为 15家（原值保留在记录中）\n" +
		"补报往期：/report 后点「📅 补报往期」选月份，例如补报 2022-04 的数值\n" +
		"备注/佐证：任务填完后直接发送文字作为备注（例如 已完成验收），或发送图片、文件作为佐证材料\n" +
		"申请延期：在提醒消息上点「📅 申请延期」，回复日期和理由，例如 2022-05-31 数据需待统计局核定\n" +
		"/mine 查看本部门进度\n" +
		"/leave 登记休假，例如 /leave 2022-05-01 2022-05-07（/leave 取消 结束休假）\n" +
		"/whoami 查看我的身份\n/cancel 退出当前填报\n/help 帮助"
	// msgHelpCoordinator is a coordinator's /help: their commands, one
	// example each, then how to report on a department's behalf.
	msgHelpCoordinator = "督查考核办可用命令：\n" +
		"/status 全市进度，例如 /status 市科协、/status 2022\n" +
		"/overdue 本期未报部门，每个部门可点「催办」\n" +
		"/review 待审核的佐证材料（最早的在前），查看后点「通过」或「退回」并写明理由\n" +
		"/export 导出表格，例如 /export csv\n" +
		"/invite 生成联络员邀请链接，例如 /invite 市科协\n" +
		"/contacts 查看或解除部门联络人，例如 /contacts 市科协\n" +
		"/target 调整指标目标（按步骤选择，需写明理由）\n" +
		"代部门填报：/report 后先选部门（例如 市科协），再按联络员的步骤填报，数值标记为代报；更正、补报往期同样可代办\n" +
		"/whoami 查看我的身份\n/cancel 退出当前操作\n/help 帮助"
	// msgStartCoordinator: what a coordinator does first.
	msgStartCoordinator = "您好，您是督查考核办。\n第一步：为各部门生成联络员邀请链接，例如发送 /invite 市科协，把链接转发给该部门联络员。\n" +
		"部门绑定后：/status 看全市进度，/overdue 看本期未报部门并催办。发送 /help 查看全部命令。"
	// msgMineCoordinator: /mine of a coordinator, who has no department.
	msgMineCoordinator = "/mine 显示联络员本部门的进度。您是督查考核办，不属于某个部门：\n" +
		"全市进度请发送 /status，某个部门请发送 /status 市科协，未报部门请发送 /overdue。"

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
	dlgTasks    = "「%s」%s 进度填报%s\n请选择任务（✅ 本期已填报）："
	dlgLateMark = "（补报）"
	// dlgLatePeriod: the period a late value is filed for.
	dlgLatePeriod  = "📅 填报期：%s（补报，不是本期）\n"
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
	dlgConfirm = "请核对：\n「%s」= %s\n%s\n\n确认保存吗？"
	// dlgImplies: progress, 序时进度, light (emoji and name).
	dlgImplies = "完成目标 %s，序时进度 %s，%s"
	// dlgImpliesMile: state, light.
	dlgImpliesMile = "节点状态：%s，%s"
	// dlgImpliesLevel: standing, light.
	dlgImpliesLevel = "%s，%s"
	dlgWarnBelow    = "⚠️ 该累计值低于上次填报的 %s。累计值通常不会减少，确认无误请再次确认。"
	dlgWarnHigh     = "⚠️ 该数值超过目标（%s）的3倍，请核实单位和数量后再次确认。"
	// dlgWarnRank: the rank, the target.
	dlgWarnRank = "⚠️ %s远落后于目标（%s），请核实名次后再次确认。"
	dlgSaved    = "✅ 已保存「%s」= %s。"
	// dlgSavedBefore: when it was saved (HH:MM), metric name, value.
	dlgSavedBefore = "✅ 该值已于 %s 保存：「%s」= %s，未重复记录。"
	// dlgCorrected: metric name, the replaced value, the new value.
	dlgCorrected = "✅ 已更正「%s」：%s → %s（原值保留在历史记录中）。"
	// dlgCorrects: the value of this period that a confirm will replace.
	dlgCorrects    = "✏️ 本期已填报 %s，确认后将更正为新值（原值保留在历史记录中）。"
	dlgTaskDone    = "本任务指标已全部填报。可直接发送文字作为备注，或发送照片/文件作为佐证材料；不需要请点「跳过」。"
	dlgNoteSaved   = "✅ 备注已保存。"
	dlgFileSaved   = "✅ 佐证材料已保存。"
	dlgChoosePer   = "请选择要补报的期次："
	dlgFinished    = "本次填报结束，谢谢！发送 /report 可随时继续。"
	dlgPeriodLabel = "%s"

	// dlgBad*: the answer to a value that could not be read; nothing was stored.
	dlgBadSyntax     = "没能识别「%s」。请输入数值和单位，例如：%s（也可以写“十二”“一万二”这样的中文数字）"
	dlgBadUnit       = "单位「%s」与该指标不符，该指标的单位是「%s」。例如：%s"
	dlgBadNoUnit     = "该指标没有单位，请只输入数值，例如：%s"
	dlgBadOrdinal    = "该指标不是排名，请直接输入数量（单位：%s），例如：%s"
	dlgBadRange      = "「%s」超出合理范围（不能为负数，也不能过大）。例如：%s"
	dlgBadNotText    = "这里需要输入一个数字，例如：%s"
	dlgBadNotMile    = "请点击下方按钮选择进展状态。"
	dlgMetricRetired = "该指标已不在本年度计划中（计划已调整），本次填写未保存。请发送 /report 重新选择。"
	dlgMetricChanged = "计划已调整：该指标的单位或类型已变更，本次填写未保存。请点「重新输入」按现在的单位填写。"
	msgEditIgnored   = "修改已发送的消息不会被读取，本次修改未生效。如需更正，请重新发送。"
	dlgBadWhole      = "排名应为正整数，例如：3名"
	dlgWaitButtons   = "请点击上方消息中的按钮继续，或发送 /cancel 退出。"
)

// Button labels.
const (
	btnConfirm     = "✅ 确认保存"
	btnConfirmAnyw = "⚠️ 仍然保存"
	btnRetype      = "✏️ 重新输入"
	btnReselect    = "✏️ 重新选择"
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
	// msgNudgeNobody: department twice. Nothing was sent and the 4-hour
	// window is not used.
	msgNudgeNobody = "「%s」尚无联络员，催办无法送达任何人。请先发送 /invite %s 生成邀请链接，转发给该部门联络员。"
	// txtOverdueAcked: who acknowledged, when (已收到未报送).
	txtOverdueAcked = "｜已收到未报送（%s %s 确认收到）"
	// txtOverdueUnread: notices sent, none acknowledged (未读未报).
	txtOverdueUnread = "｜未读未报（通知未确认收到）"
	// txtReceiptAcked: period, who, when, rung.
	txtReceiptAcked = "%s 期通知：%s 于 %s 确认收到（%s）"
	// txtReceiptUnread: period.
	txtReceiptUnread = "%s 期通知：已发出，尚无人确认收到"
	// txtReceiptNone: period.
	txtReceiptNone = "%s 期通知：尚未发出"
	// txtDisciplineLine: periods on time, late, missed this year.
	txtDisciplineLine = "本年报送纪律：按时 %d ｜ 迟报 %d ｜ 未报 %d"
	rungBlueLabel     = "蓝色提醒"
	rungLastCallLabel = "截止提醒"
	rungYellowLabel   = "黄色督办"
	rungRedLabel      = "红色督办"
	rungOtherLabel    = "通知"
	// msgOverdueNoContact: department.
	msgOverdueNoContact = "（⚠️无联络员，/invite %s）"
	// msgNudgeSent: department, number of recipients.
	msgNudgeSent = "已催办「%s」（%d 人）。"
	// msgNudge: department, period, deadline.
	msgNudge = "【催办】「%s」%s 期重点任务进度尚未报齐，截止时间 %s。请点击下方按钮填报。"
)

// Texts of /export and the chart.
const (
	msgExportUsage = "用法：/export 导出 Excel 表格；/export csv 导出 CSV。"
	// msgExportCaption: period.
	msgExportCaption = "重点任务进度表（截至 %s 期）。含总览、指标明细、月度通报、报送纪律和佐证材料五张表。"
	// msgExportCaptionCSV: period.
	msgExportCaptionCSV = "重点任务指标明细（截至 %s 期，CSV，UTF-8）。"
	msgChartCaption     = "各单位指标灯色图（绿：序时达标；黄：落后10–30个百分点；红：落后30个百分点以上；灰：未报）。"
	btnChart            = "📊 图表"
)

// Texts of the reminder ladder (三色督办) and its buttons.
const (
	btnAck     = "✅ 收到"
	btnExtend  = "📅 申请延期"
	btnApprove = "✅ 批准"
	btnReject  = "❌ 驳回"
	// ntcExtended follows a deadline that an approved extension set.
	ntcExtended = "（已批准延期）"
	// ntcCovering: the main contact on leave.
	ntcCovering = "（%s 休假中，请您代为填报）"
	// ntcMissing: reported, total (已报/应报, as /status counts).
	ntcMissing = "已报 %d/%d 项，尚缺：\n"
	// ntcMore: how many more are missing.
	ntcMore = "…… 另有 %d 项\n"
	// ntcOverdueHead: rung emoji, period, number of departments.
	ntcOverdueHead = "%s【逾期未报】%s 期以下 %d 个部门未报齐：\n"
	// ntcOnLeave: who is away, who was told instead.
	ntcOnLeave = "；%s 休假，由 %s 代办"
	ntcNobody  = "；⚠️ 未绑定联络员，无人可提醒"
)

// rungHead opens a reminder: department, period, deadline.
func rungHead(r calendar.Rung) string {
	switch r {
	case calendar.RungLastCall:
		return "⏰【今日截止】「%s」%s 期重点任务进度今天截止（%s）"
	case calendar.RungYellow:
		return "🟡【黄色督办】「%s」%s 期重点任务进度已逾期（截止 %s）"
	case calendar.RungRed:
		return "🔴【红色督办】「%s」%s 期重点任务进度仍未报齐（截止 %s）"
	}
	return "🔵【督办提醒】「%s」%s 期重点任务进度请于 %s 前填报"
}

// rungTail closes a reminder.
func rungTail(r calendar.Rung) string {
	switch r {
	case calendar.RungLastCall:
		return "请今天下班前完成填报。"
	case calendar.RungYellow:
		return "请尽快填报；确有困难请点「申请延期」并说明理由。已抄送督查考核办。"
	case calendar.RungRed:
		return "已通报督查考核办及工作群，请立即填报或申请延期。"
	}
	return "点击「开始填报」即可填报，约需一分钟。"
}

// Texts of the weekly digest.
const (
	// dgHead: week, year share, metrics, light counts.
	dgHead = "📊【每周督办通报】%s\n序时进度 %s；全市 %d 项指标：%s\n\n各部门（按灯色，括号内为较上周变化）：\n"
	// dgFiled: values filed this week.
	dgFiled     = "本周报送 %d 项"
	dgNoneFiled = "本周未报送"
	// dgAllReported: period.
	dgAllReported = "\n%s 期各部门均已按时报齐。\n"
	// dgOverdueHead: period, number of departments.
	dgOverdueHead = "\n⏰ %s 期逾期未报（%d 个部门）：\n"
	dgExtHead     = "\n📅 延期中：\n"
	dgRiskHead    = "\n⚠️ 风险指标（差距最大）：\n"
)

// Texts of notices' buttons and extensions (申请延期).
const (
	msgAcked = "已确认收到，谢谢。"
	// msgExtAsk: period, deadline, example date.
	msgExtAsk = "申请延期：%s 期原截止时间 %s。\n请回复新的截止日期和理由，例如：\n%s 数据需待统计局核定\n发送 /cancel 放弃申请。"
	// msgExtBadDate: example date.
	msgExtBadDate = "没能识别日期。请先写日期、再写理由，例如：%s 数据需待统计局核定"
	// msgExtBadRange: the current deadline.
	msgExtBadRange = "延期日期须晚于原截止时间 %s 和当前时间，且不超过60天。"
	msgExtNoReason = "请在日期后写明延期理由，例如：2022-05-31 数据需待统计局核定"
	// msgExtPending: period.
	msgExtPending = "本部门 %s 期已有一份待审批的延期申请，请等待督查考核办处理。"
	// msgExtSubmitted: period, new deadline.
	msgExtSubmitted = "已提交 %s 期延期申请（延至 %s），等待督查考核办审批，结果会通知您。"
	// msgExtRequest: department, period, new deadline, reason, requester.
	msgExtRequest        = "📅【延期申请】「%s」申请将 %s 期截止时间延至 %s。\n理由：%s\n申请人：%s"
	msgExtStatusApproved = "✅ 已批准"
	msgExtStatusRejected = "❌ 已驳回"
	msgExtStatusPending  = "待审批"
	// msgUserID names a person who gave no name: their Telegram id.
	msgUserID = "用户%d"
	// msgExtDecided: the decision already taken.
	msgExtDecided = "该申请已处理：%s"
	// msgExtApproved: department, period, new deadline.
	msgExtApproved = "✅「%s」%s 期延期申请已批准，新的截止时间为 %s。在此之前不再催报。"
	// msgExtRejected: department, period.
	msgExtRejected = "❌「%s」%s 期延期申请未获批准，请按原截止时间尽快填报。"
)

// Texts of /leave.
const (
	msgLeaveUsage        = "用法：/leave 开始日期 结束日期，例如 /leave 2022-05-01 2022-05-07；/leave 取消 结束休假。"
	msgLeaveContactsOnly = "只有部门联络员需要登记休假。"
	msgLeaveBadRange     = "休假日期不对：结束日期不能早于开始日期或今天，且不超过90天。"
	msgLeaveNone         = "您目前没有登记休假。"
	msgLeaveCleared      = "已取消休假，提醒将恢复发给您。"
	// msgLeaveShow: from, to.
	msgLeaveShow = "您已登记休假：%s 至 %s。发送 /leave 取消 可提前结束。"
	// msgLeaveSet: from, to.
	msgLeaveSet = "已登记休假 %s 至 %s。"
	// msgLeaveCovered: the deputies.
	msgLeaveCovered = "期间提醒将发给副联络员：%s。"
	// msgLeaveCover: who is away, who covers.
	msgLeaveCover = "（%s休假，%s代办）"
	// msgLeaveNoCover: who is away.
	msgLeaveNoCover  = "（%s休假，无人代办）"
	msgLeaveNoDeputy = "本部门没有副联络员，期间提醒仍会发给您；可请督查考核办再邀请一位副联络员。"
)

// Words used across screens.
const (
	// msgOwnDeptOnly: the department asked for, the contact's own.
	msgOwnDeptOnly = "联络员只能查看本部门进度，无法查看「%s」。以下是「%s」的进度：\n\n"
	// txtMileStanding: a milestone's state.
	txtMileStanding = "%s，目标年内完成"
	txtCapKept      = "未超过上限"
	txtCapExceeded  = "已超过上限"
	// txtLevelHead: the value, the target — "8.1%，目标≥8.5%".
	txtLevelHead = "%s，目标%s"
	txtTargetMet = "，达到目标"
	// txtRankShort: places behind.
	txtRankShort = "，差%s名"
	// txtRateShortPoints: shortfall, 个百分点 or 个千分点.
	txtRateShortPoints = "，差%s%s"
	txtPercentPoints   = "个百分点"
	txtPermillePoints  = "个千分点"
	// txtRateShort: shortfall in the metric's unit.
	txtRateShort = "，差%s"
	// txtWeekTitle: ISO year, week, Monday, Sunday.
	txtWeekTitle = "%d年第%d周（%s至%s）"
	// txtTopRank: the target rank, "前3名".
	txtTopRank = "前%s名"
	// txtRank: a rank, "第3名".
	txtRank        = "第%s名"
	txtRankExample = "3名"
	txtNotReported = "未填报"
	// txtValueOfPeriod: value, period.
	txtValueOfPeriod = "%s（%s）"
	txtLightGreen    = "进度正常"
	txtLightYellow   = "进度滞后"
	txtLightRed      = "严重滞后"
	txtNoUnit        = "无"
	// txtWhen: date, weekday, time — "05-25（周三）17:00".
	txtWhen = "%s（%s）%s"
	// leaveOff is the word that ends a leave: /leave 取消.
	leaveOff = "取消"
	// ntcOverdueLine: department, reported, total, deadline.
	ntcOverdueLine = "• %s 已报 %d/%d 项，截止 %s"
	// dgGreenDelta, dgRedDelta: change in greens and reds since last week.
	dgGreenDelta = "绿%+d"
	dgRedDelta   = "红%+d"
	// dgChange: the week's changes, joined.
	dgChange = "（%s）"
	// dgOverdueLine: department, reported, total.
	dgOverdueLine = "• %s 已报 %d/%d 项\n"
	// dgExtLine: department, period, new deadline.
	dgExtLine = "• %s %s 期延至 %s"
	// dgExtReason: the reason of an extension.
	dgExtReason = "：%s"
)

func weekdayName(d time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[d]
}

// Command menus (setMyCommands).
const (
	menuReport  = "填报本期进度"
	menuMine    = "查看本部门进度"
	menuWhoami  = "查看我的身份"
	menuLeave   = "登记休假"
	menuCancel  = "退出当前填报"
	menuHelp    = "帮助"
	menuStatus  = "全市进度总览"
	menuOverdue = "本期未报部门"
	menuExport  = "导出进度表格"
	menuInvite  = "生成联络员邀请链接"
	menuReview  = "审核佐证材料"
)

// Texts of /status, /mine and /overdue.
const (
	// txtCityHead: year, period, 序时进度, the city's lights.
	txtCityHead = "%d年重点任务进度 %s（序时进度 %s）\n全市 %s\n\n"
	// txtCityLine: worst light, department, lights, share on pace, mark.
	txtCityLine = "%s %s %s 序时达标率 %s%s\n"
	// txtDeptHead: department, period, 序时进度, lights.
	txtDeptHead = "「%s」%s 进度（序时进度 %s）\n%s\n"
	// txtHistoryHead: department, metric, target.
	txtHistoryHead   = "「%s」%s\n目标 %s\n\n"
	txtNoHistory     = "尚无填报记录。\n"
	txtNeverReported = "尚未填报"
	txtOnPace        = "达到序时进度"
	// txtBehind: points behind pace.
	txtBehind        = "落后序时 %s 个百分点"
	txtProjection    = "，按当前进度全年约 "
	txtMonthlyNeeded = "，每月还需 "
	txtNote          = "备注"
	txtOnBehalf      = " 代报"
	txtLate          = " 补报"
	// txtCorrected: a superseded history line.
	txtCorrected   = "~%s（已更正）"
	txtClipped     = "\n…（内容过长已截断，请使用 /export 查看完整数据）"
	txtNobody      = "无人"
	markExtended   = "⏳延期至"
	markOverdue    = "⏰逾期未报"
	markIncomplete = "本期未报齐"
	// markPending: reported, total.
	markPending = "已报 %d/%d"
	btnNudge    = "催办 "
	btnCity     = "⬅️ 全市总览"
	btnBackTo   = "⬅️ "
)

// Texts of /contacts, of invites refused, and of role changes.
const (
	menuContacts = "查看或解除部门联络人"
	// msgInviteMember: department, role.
	msgInviteMember      = "您已是「%s」的%s，无需再次绑定。该链接未被使用，仍可转发给其他人。"
	msgInviteCoordinator = "您是督查考核办，无需也不能通过邀请链接绑定部门。该链接未被使用，请转发给部门联络员。"
	msgInviteRevoked     = "该邀请链接已被撤销，请向督查考核办索取新的链接。"
	// msgInviteSole: the department the user is the only contact of.
	msgInviteSole = "您是「%s」唯一的联络员，不能转到其他部门。请先请督查考核办为「%[1]s」绑定副联络员。该链接未被使用。"
	// msgWelcomeHandover: the department left, who took it over.
	msgWelcomeHandover = "\n您原负责的「%s」已由 %s 接任联络员。"
	// msgWelcomeNobodyLeft: the department left.
	msgWelcomeNobodyLeft = "\n您原负责的「%s」暂无联络员，已通知督查考核办。"
	msgContactsUsage     = "用法：/contacts 部门简称，例如 /contacts 市科协"
	msgContactsPrivate   = "联络人名单只在与我的私聊中显示。"
	// msgContactsHead: department, how many.
	msgContactsHead = "「%s」联络人（%d人）：\n"
	// msgContactsLine: number, name, role, Telegram id, bound since.
	msgContactsLine = "%d. %s（%s）ID %d，%s 起\n"
	// msgContactsNone: department twice.
	msgContactsNone = "「%s」尚无联络员。发送 /invite %[1]s 生成邀请链接。\n"
	// msgUnbindAsk: name, department, role, Telegram id.
	msgUnbindAsk = "确认解除 %s（「%s」%s，ID %d）的绑定？\n解除后此人不能再填报，也不再收到提醒。"
	// msgUnbindAskHandover: the deputy who will take over.
	msgUnbindAskHandover = "\n解除后由副联络员 %s 接任联络员。"
	// msgUnbindAskLast: the department twice.
	msgUnbindAskLast = "\n此人是「%s」唯一的联络人，解除后该部门将没有联络员，请随后发送 /invite %[1]s 邀请新的联络员。"
	msgUnbindGone    = "该绑定已解除，无需重复操作。"
	// msgUnbound: name, department.
	msgUnbound = "✅ 已解除 %s 与「%s」的绑定。\n"
	// msgPromoted: deputy, department.
	msgPromoted = "副联络员 %s 现为「%s」的联络员。\n"
	// msgNobodyLeft: the department twice.
	msgNobodyLeft = "⚠️「%s」现在没有联络员，请发送 /invite %[1]s 邀请新的联络员。\n"
	// msgNoticePromoted: department, former main contact, what became of them.
	msgNoticePromoted = "您已成为「%s」的联络员（原联络员 %s %s）。此后的填报提醒将发给您。"
	// msgNoticeHandover: department, former main contact, what became of them, the deputy promoted.
	msgNoticeHandover = "「%s」联络员变更：%s %s，由副联络员 %s 接任。"
	// msgNoticeNobodyLeft: department, former main contact, what became of them, department.
	msgNoticeNobodyLeft = "⚠️「%s」的联络员 %s %s，该部门现在没有联络员，请发送 /invite %[1]s 邀请新的联络员。"
	// msgNoticeUnbound: department.
	msgNoticeUnbound = "您与「%s」的绑定已被督查考核办解除，此后不再收到提醒。如有疑问请联系督查考核办。"
	txtLeftRemoved   = "已解除绑定"
	txtLeftToCoord   = "已转为督查考核办"
	txtLeftToDeputy  = "已改为副联络员"
	// txtLeftMoved: the new department.
	txtLeftMoved     = "已转到「%s」"
	btnUnbind        = "解除绑定 "
	btnUnbindConfirm = "确认解除"
	btnUnbindCancel  = "取消"
)

// Texts of plan years (/status 2022, a year without a plan) and of a year
// without holiday data.
const (
	// txtNoPlan: the year.
	txtNoPlan = "📭 尚未导入%d年的计划：本年度不发提醒，不发周报。"
	// txtNoPlanOther: a year asked for that is not the current one.
	txtNoPlanOther = "📭 没有%d年的计划。"
	// txtPlanYears: the years that have a plan.
	txtPlanYears   = "\n已有计划的年份：%s。"
	txtNoPlanYears = "\n数据库中还没有任何年度计划。"
	// txtLookYear: how to read a year, e.g. "/status 2022".
	txtLookYear = "\n查看往年：%s"
	// txtLoadPlan: the year, twice.
	txtLoadPlan = "\n导入%d年的计划：duban import FILE --year %d"
	// msgNothingToReport: the year.
	msgNothingToReport = "%d年的计划尚未导入，今年没有需要填报的任务。"
	// msgDeptNoTasks: department, year.
	msgDeptNoTasks = "「%s」在%d年的计划中没有任务。"
	// txtNoHolidays: the year.
	txtNoHolidays = "⚠️ 缺少%d年的节假日数据，期限和提醒暂按周一至周五计算；请管理员用 DUBAN_HOLIDAYS 补充。\n"
	// lookChat reads a year in the chat.
	lookChat = "/status %d"
)

// Texts of /target, a coordinator's mid-year change of a metric's target.
const (
	menuTarget     = "调整指标目标"
	tgtChooseDept  = "🎯 调整目标：请选择部门"
	tgtChooseTask  = "🎯「%s」请选择任务："
	tgtChooseMetic = "🎯「%s」%d. %s\n请选择要调整目标的指标："
	// tgtAskValue: department, metric, current target, unit, example.
	tgtAskValue = "🎯「%s」%s\n当前目标 %s\n请输入新的目标值（%s），例如 %s"
	// tgtAskReason: department, metric, old target, new target.
	tgtAskReason = "🎯「%s」%s\n目标 %s → %s\n请输入调整理由（例如：经市政府常务会议研究调增）。"
	// tgtConfirm: department, task number, task, metric, old, new, reason.
	tgtConfirm = "🎯 请确认目标调整：\n「%s」%d. %s\n%s\n%s → %s\n理由：%s"
	// tgtDone: department, metric, old, new.
	tgtDone       = "✅ 已调整目标：「%s」%s %s → %s。"
	tgtCancelled  = "已取消目标调整。"
	tgtNoReason   = "请写明调整理由（至少两个字）。"
	tgtSame       = "新目标与当前目标相同，请输入不同的值。"
	tgtBadRank    = "排名目标须为不小于 1 的整数。"
	tgtBadRange   = "目标值须大于 0（上限类指标可为 0）。"
	tgtNoMetrics  = "该任务只有里程碑指标，没有可调整的目标值。"
	btnTgtConfirm = "✅ 确认调整"
	btnTgtRetype  = "✏️ 重填"
	btnTgtCancel  = "✖️ 取消"
	// txtTargetChange: date, old, new, who, reason.
	txtTargetChange = "🎯 %s 目标 %s → %s（%s）：%s\n"
	// txtPriorTarget: current target, the one before the latest change.
	txtPriorTarget = "%s（原%s）"
	txtCommandLine = "命令行"
)

// Texts of evidence review (佐证材料审核, evidence.go).
const (
	txtKindPicture   = "图片"
	txtKindFile      = "文件"
	txtReviewPending = "待审核"
	// txtAwaitingReview follows the value of a metric that needs approved
	// evidence it does not have yet.
	txtAwaitingReview = "（待审核）"
	txtReviewApproved = "已通过"
	txtReviewReturned = "已退回"
	// txtEvidenceLine: evidence id, period, kind (and file name), review.
	txtEvidenceLine = "📎 #%d %s 佐证材料（%s，%s）"
	// txtReturnReason: the reason of a return.
	txtReturnReason = "，退回理由：%s"
	// txtEvidenceCaption: department, task number, task, period, review.
	txtEvidenceCaption = "「%s」任务%d %s｜%s 期佐证材料（%s）"
	// btnViewEvidence: evidence id.
	btnViewEvidence    = "📎 查看佐证 #%d"
	btnApproveEvidence = "✅ 通过"
	btnReturnEvidence  = "↩️ 退回"
	msgReviewNone      = "目前没有待审核的佐证材料。"
	// msgReviewHead: number waiting.
	msgReviewHead = "待审核佐证材料 %d 份（最早的在前）：\n"
	// txtReviewItem: id, department, task number, task, period, kind, sender, when.
	txtReviewItem = "#%d 「%s」任务%d %s｜%s｜%s｜%s %s 提交\n"
	// msgReviewMore: how many more wait.
	msgReviewMore = "……另有 %d 份，审核完以上材料后再发送 /review。"
	// msgReviewAskReason: evidence id.
	msgReviewAskReason = "请回复退回佐证材料 #%d 的理由（将转告提交人），例如：图片不清晰，请重新上传验收报告。发送 /cancel 放弃。"
	// msgReviewAlready: the review state.
	msgReviewAlready = "该佐证材料已审核（%s），以首次审核结果为准。"
	// msgReviewDoneApproved, msgReviewDoneReturned: evidence id.
	msgReviewDoneApproved = "已通过佐证材料 #%d，已通知提交人。"
	msgReviewDoneReturned = "已退回佐证材料 #%d，理由已转告提交人。"
	// msgEvidenceApproved: department, task number, task, period.
	msgEvidenceApproved = "✅「%s」任务%d %s：%s 期佐证材料已审核通过。"
	// msgEvidenceReturned: department, task number, task, period, reason.
	msgEvidenceReturned = "↩️「%s」任务%d %s：%s 期佐证材料被督查考核办退回。\n理由：%s\n请发送 /report，选择该任务后点「📝 备注/佐证」，重新发送图片或文件。"
)

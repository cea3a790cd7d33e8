<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign account manager</source>
        <translation>分配客户经理</translation>
    </message>
    <message>
        <source>Account manager:</source>
        <translation>客户经理：</translation>
    </message>
    <message>
        <source>The selected enterprise: {name}</source>
        <translation>所选企业：{name}</translation>
    </message>
    <message>
        <source>(none selected)</source>
        <translation>（未选择）</translation>
    </message>
    <message numerus="yes">
        <source>All %n enterprise(s) in the current filter</source>
        <translation>
            <numerusform>当前筛选的全部 %n 家企业</numerusform></translation>
    </message>
    <message>
        <source>Choose the account manager.</source>
        <translation>请选择客户经理。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>CultivationActions</name>
    <message>
        <source>C&amp;ultivation</source>
        <translation>首贷培育(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Show cultivation</source>
        <translation>显示首贷培育(&amp;S)</translation>
    </message>
    <message>
        <source>Change &amp;stage…</source>
        <translation>调整阶段(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Assign account manager…</source>
        <translation>分配客户经理(&amp;A)…</translation>
    </message>
    <message>
        <source>Record &amp;visit…</source>
        <translation>登记走访(&amp;V)…</translation>
    </message>
    <message>
        <source>&amp;Pre-qualify the filtered list…</source>
        <translation>对筛选名单预筛(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Export report to Excel…</source>
        <translation>导出报表到 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>Choose an enterprise in the cultivation list first.</source>
        <translation>请先在培育名单中选择一家企业。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message numerus="yes">
        <source>Scoring %n enterprise(s) with the rule pack in force…</source>
        <translation>
            <numerusform>正在用现行评分规则为 %n 家企业评分…</numerusform></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Pre-qualify</source>
        <translation>预筛</translation>
    </message>
    <message>
        <source>{scored} scored; {eligible} likely eligible for a visit.</source>
        <translation>已评分 {scored} 家；{eligible} 家可能符合条件，建议走访。</translation>
    </message>
</context>
<context>
    <name>CultivationDashboard</name>
    <message>
        <source>All dates</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>E&amp;xport to Excel…</source>
        <translation>导出到 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>Funnel</source>
        <translation>培育漏斗</translation>
    </message>
    <message>
        <source>First-loan share of new loan customers, by month</source>
        <translation>首贷户占比（按月）</translation>
    </message>
    <message>
        <source>First-loan share, by account manager</source>
        <translation>首贷户占比（按客户经理）</translation>
    </message>
    <message>
        <source>First-loan share, by branch</source>
        <translation>首贷户占比（按网点）</translation>
    </message>
    <message>
        <source>Visits per account manager</source>
        <translation>客户经理走访次数</translation>
    </message>
    <message>
        <source>Days from listing to first loan</source>
        <translation>从列入名单到首贷的天数</translation>
    </message>
    <message>
        <source>The period starts after it ends.</source>
        <translation>起始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Listed</source>
        <translation>名单企业</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>Financing need</source>
        <translation>有融资需求</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>已走访</translation>
    </message>
    <message>
        <source>Credit granted</source>
        <translation>已授信</translation>
    </message>
    <message>
        <source>No approved loans in the period</source>
        <translation>期间内无获批贷款</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>（未分配）</translation>
    </message>
    <message>
        <source>visits: {visits}, with a need: {need}</source>
        <translation>走访 {visits} 次，有需求 {need} 次</translation>
    </message>
    <message>
        <source>No visits in the period</source>
        <translation>期间内无走访记录</translation>
    </message>
    <message>
        <source>{days} days</source>
        <translation>{days} 天</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>{days:.0f} days</source>
        <translation>{days:.0f} 天</translation>
    </message>
    <message>
        <source>First-loan share of new loan customers: {share} ({first} of {new}). Credit granted: {amount} yuan. Median time from listing to first loan: {median}.</source>
        <translation>首贷户占比：{share}（新增贷款户 {new} 户中首贷户 {first} 户）。授信金额：{amount} 元。从列入名单到首贷的中位时间：{median}。</translation>
    </message>
    <message>
        <source>Updated {time}</source>
        <translation>更新于 {time}</translation>
    </message>
    <message>
        <source>cultivation-report</source>
        <translation>首贷培育报表</translation>
    </message>
    <message>
        <source>Export the cultivation report</source>
        <translation>导出首贷培育报表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Not exported: {error}</source>
        <translation>未导出：{error}</translation>
    </message>
</context>
<context>
    <name>CultivationPage</name>
    <message>
        <source>Reference, credit code or the start of a name</source>
        <translation>编号、信用代码或企业名称开头</translation>
    </message>
    <message>
        <source>My list</source>
        <translation>我的名单</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>看板</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>All account managers</source>
        <translation>全部客户经理</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>未分配</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>全部地区</translation>
    </message>
    <message>
        <source>All industries</source>
        <translation>全部行业</translation>
    </message>
    <message>
        <source>All sizes</source>
        <translation>全部规模</translation>
    </message>
    <message>
        <source>Micro</source>
        <translation>微型</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>小型</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中型</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>大型</translation>
    </message>
    <message>
        <source>All tax grades</source>
        <translation>全部等级</translation>
    </message>
    <message>
        <source>Likely eligible only</source>
        <translation>仅显示可能符合</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>All stages ({n})</source>
        <translation>全部阶段（{n}）</translation>
    </message>
    <message>
        <source>Cultivation</source>
        <translation>首贷培育</translation>
    </message>
</context>
<context>
    <name>CultivationTableModel</name>
    <message>
        <source>Reference</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Enterprise</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Account manager</source>
        <translation>客户经理</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近走访</translation>
    </message>
    <message>
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Tax grade</source>
        <translation>纳税信用等级</translation>
    </message>
    <message>
        <source>Pre-score</source>
        <translation>预筛评分</translation>
    </message>
    <message>
        <source>Likely eligible</source>
        <translation>可能符合</translation>
    </message>
    <message>
        <source>Revenue (yuan)</source>
        <translation>营业收入（元）</translation>
    </message>
    <message>
        <source>No loan</source>
        <translation>无贷户</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>Need identified</source>
        <translation>有融资需求</translation>
    </message>
    <message>
        <source>First loan</source>
        <translation>首贷户</translation>
    </message>
    <message>
        <source>Partner</source>
        <translation>伙伴客户</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>无意向</translation>
    </message>
    <message>
        <source>Grade {grade}; {reasons}</source>
        <translation>评级 {grade}；{reasons}</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>{date} (overdue)</source>
        <translation>{date}（已逾期）</translation>
    </message>
</context>
<context>
    <name>StageDialog</name>
    <message>
        <source>Change stage</source>
        <translation>调整阶段</translation>
    </message>
    <message>
        <source>Enterprise:</source>
        <translation>企业：</translation>
    </message>
    <message>
        <source>Current stage:</source>
        <translation>当前阶段：</translation>
    </message>
    <message>
        <source>New stage:</source>
        <translation>新阶段：</translation>
    </message>
    <message>
        <source>Why (required): e.g. phoned the owner, no financing plans this year</source>
        <translation>原因（必填）：如 电话联系企业主，今年暂无融资计划</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>This stage is not changed by hand: it moves with approvals.</source>
        <translation>该阶段不能手工调整：随审批结果变化。</translation>
    </message>
    <message>
        <source>Give the reason for the change.</source>
        <translation>请填写调整原因。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Record visit</source>
        <translation>登记走访</translation>
    </message>
    <message>
        <source>Enterprise:</source>
        <translation>企业：</translation>
    </message>
    <message>
        <source>Visit date:</source>
        <translation>走访日期：</translation>
    </message>
    <message>
        <source>What you found on site: premises, stock, staff, the owner's plans</source>
        <translation>现场情况：经营场所、库存、员工、企业主的计划</translation>
    </message>
    <message>
        <source>Findings:</source>
        <translation>走访情况：</translation>
    </message>
    <message>
        <source>The enterprise has a financing need</source>
        <translation>企业有融资需求</translation>
    </message>
    <message>
        <source>yuan, e.g. 500000 or 50万</source>
        <translation>元，如 500000 或 50万</translation>
    </message>
    <message>
        <source>Financing need:</source>
        <translation>融资需求：</translation>
    </message>
    <message>
        <source>Amount needed:</source>
        <translation>需求金额：</translation>
    </message>
    <message>
        <source>e.g. collect two years of tax certificates</source>
        <translation>如 收集近两年纳税证明</translation>
    </message>
    <message>
        <source>Next step:</source>
        <translation>下一步：</translation>
    </message>
    <message>
        <source>Due on</source>
        <translation>计划于</translation>
    </message>
    <message>
        <source>Next step date:</source>
        <translation>下一步日期：</translation>
    </message>
    <message>
        <source>Add &amp;photos…</source>
        <translation>添加照片(&amp;P)…</translation>
    </message>
    <message>
        <source>Photos:</source>
        <translation>照片：</translation>
    </message>
    <message>
        <source>latitude, e.g. 30.27</source>
        <translation>纬度，如 30.27</translation>
    </message>
    <message>
        <source>longitude, e.g. 120.15</source>
        <translation>经度，如 120.15</translation>
    </message>
    <message>
        <source>Location (optional):</source>
        <translation>位置（选填）：</translation>
    </message>
    <message>
        <source>Photos of the premises</source>
        <translation>经营场所照片</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png)</source>
        <translation>图片 (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <source>Amount needed: </source>
        <translation>需求金额：</translation>
    </message>
    <message>
        <source>Location: latitude and longitude are numbers, e.g. 30.27 and 120.15.</source>
        <translation>位置：纬度和经度应为数字，如 30.27 和 120.15。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>_WriteDialog</name>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
</TS>

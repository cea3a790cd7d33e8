<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SyncPanel</name>
    <message>
        <source>Sync with head office</source>
        <translation>与总行同步</translation>
    </message>
    <message>
        <source>Hub</source>
        <translation>总行中心</translation>
    </message>
    <message>
        <source>Hub reachable</source>
        <translation>中心可连接</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>网点</translation>
    </message>
    <message>
        <source>Last successful sync</source>
        <translation>最近成功同步</translation>
    </message>
    <message>
        <source>Last problem</source>
        <translation>最近的问题</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>Oldest saved</source>
        <translation>最早保存于</translation>
    </message>
    <message>
        <source>Waiting for</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存于</translation>
    </message>
    <message>
        <source>Hub's reason</source>
        <translation>中心给出的原因</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>立即同步(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Cancel sync</source>
        <translation>取消同步(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Enrol…</source>
        <translation>注册(&amp;E)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Not enrolled</source>
        <translation>未注册</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Waiting to be sent: {n} (longest waiting first)</source>
        <translation>待发送：{n} 项（等待最久的在前）</translation>
    </message>
    <message>
        <source>Set aside by the hub: {n} (they wait; the rest of the queue goes on)</source>
        <translation>被中心搁置：{n} 项（这些项等待处理，其余照常发送）</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
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
        <source>Applications</source>
        <translation>申请</translation>
    </message>
    <message>
        <source>Enterprises</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Score decisions</source>
        <translation>评分结论</translation>
    </message>
    <message>
        <source>Credit memos</source>
        <translation>授信调查报告</translation>
    </message>
    <message>
        <source>Override requests</source>
        <translation>调整申请</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Files (attachments, visit photos)</source>
        <translation>文件（附件、走访照片）</translation>
    </message>
    <message>
        <source>Rule pack installs</source>
        <translation>评分规则安装</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Audit records</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <source>The hub holds this operation with other content (was this data home copied from another computer?)</source>
        <translation>中心已有此编号但内容不同（本数据目录是否由他机复制？）</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>Cancelling after this batch…</source>
        <translation>本批完成后取消…</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Sent {done} of {total}</source>
        <translation>已发送 {done} / {total}</translation>
    </message>
    <message>
        <source>Sent {sent}, set aside {rejected}, still waiting {left}.</source>
        <translation>已发送 {sent} 项，搁置 {rejected} 项，仍待发送 {left} 项。</translation>
    </message>
    <message>
        <source>Cancelled: sent {sent}, set aside {rejected}, still waiting {left}.</source>
        <translation>已取消：已发送 {sent} 项，搁置 {rejected} 项，仍待发送 {left} 项。</translation>
    </message>
    <message>
        <source>Sync failed: {error}</source>
        <translation>同步失败：{error}</translation>
    </message>
    <message>
        <source>Consent records</source>
        <translation>授权记录</translation>
    </message>
    <message>
        <source>Approvals set aside</source>
        <translation>已撤销的审批</translation>
    </message>
    <message>
        <source>Last received from head office</source>
        <translation>最近一次从总行接收</translation>
    </message>
    <message>
        <source>Conflicts to resolve</source>
        <translation>待处理冲突</translation>
    </message>
    <message>
        <source>{n} conflicts to resolve (Sync &gt; Conflicts…).</source>
        <translation>{n} 个冲突待处理（同步 &gt; 冲突…）。</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>Enrol with head office</source>
        <translation>在总行中心注册</translation>
    </message>
    <message>
        <source>Enter the hub address and the one-time code head office gave you. Work saved here before enrolment is sent as this branch's.</source>
        <translation>请输入总行中心地址和总行提供的一次性注册码。注册前在本机保存的数据将作为本网点的数据发送。</translation>
    </message>
    <message>
        <source>Hub address</source>
        <translation>中心地址</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <source>&amp;Enrol</source>
        <translation>注册(&amp;E)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Hub address: give it as http://HOST:PORT or https://…</source>
        <translation>中心地址：应为 http://主机:端口 或 https://…</translation>
    </message>
    <message>
        <source>Enrolment code: enter the code head office gave you.</source>
        <translation>注册码：请输入总行提供的注册码。</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>正在注册…</translation>
    </message>
    <message>
        <source>Enrolled as device {device} of branch {branch}.</source>
        <translation>已注册为网点 {branch} 的设备 {device}。</translation>
    </message>
    <message>
        <source>Not enrolled: {error}</source>
        <translation>注册未成功：{error}</translation>
    </message>
</context>
<context>
    <name>SyncMenu</name>
    <message>
        <source>&amp;Sync</source>
        <translation>同步(&amp;S)</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>立即同步(&amp;N)</translation>
    </message>
    <message>
        <source>Sync &amp;panel…</source>
        <translation>同步面板(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Enrol with head office…</source>
        <translation>在总行中心注册(&amp;E)…</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>This device is not enrolled with a head-office hub yet; an administrator enrols it (Sync &gt; Enrol with head office…).</source>
        <translation>本设备尚未在总行中心注册；请由管理员注册（同步 &gt; 在总行中心注册…）。</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Unsynced: {n}</source>
        <translation>待同步：{n}</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Not enrolled with a head-office hub: all work is kept here until an administrator enrols this device (Sync &gt; Enrol with head office…).</source>
        <translation>未在总行中心注册：所有数据保存在本机，待管理员注册本设备后再发送（同步 &gt; 在总行中心注册…）。</translation>
    </message>
    <message>
        <source>Hub: checking…</source>
        <translation>中心：检查中…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>The head-office hub {url} answers.</source>
        <translation>总行中心 {url} 可以连接。</translation>
    </message>
    <message>
        <source>The head-office hub {url} does not answer; work is kept here and sent when it does.</source>
        <translation>总行中心 {url} 无应答；数据保存在本机，连通后发送。</translation>
    </message>
    <message>
        <source>Last sync: {when}</source>
        <translation>上次同步：{when}</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <source>Sync cancelled: {sent} sent, {left} still waiting.</source>
        <translation>同步已取消：已发送 {sent} 项，仍待发送 {left} 项。</translation>
    </message>
    <message>
        <source>Synced: {sent} sent, {left} still waiting.</source>
        <translation>同步完成：已发送 {sent} 项，仍待发送 {left} 项。</translation>
    </message>
    <message>
        <source>Sync failed: {error}</source>
        <translation>同步失败：{error}</translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>This device's value</source>
        <translation>本设备的取值</translation>
    </message>
    <message>
        <source>Other side's value</source>
        <translation>另一方的取值</translation>
    </message>
    <message>
        <source>Other side</source>
        <translation>另一方</translation>
    </message>
    <message>
        <source>Changed here at</source>
        <translation>本机修改时间</translation>
    </message>
    <message>
        <source>Device …{tail}</source>
        <translation>设备 …{tail}</translation>
    </message>
    <message>
        <source>Head office</source>
        <translation>总行</translation>
    </message>
</context>
<context>
    <name>ConflictInbox</name>
    <message>
        <source>Conflicts to resolve</source>
        <translation>待处理冲突</translation>
    </message>
    <message>
        <source>The same field was changed on this device and elsewhere. Head office kept the other side's value for now; choose which value stays. Your choice is sent with the next sync.</source>
        <translation>同一字段在本设备和别处都被修改。总行暂时保留了另一方的取值；请选择保留哪个取值。您的选择将在下次同步时发送。</translation>
    </message>
    <message>
        <source>Keep &amp;this device's value</source>
        <translation>保留本设备的取值(&amp;T)</translation>
    </message>
    <message>
        <source>Keep the &amp;other side's value</source>
        <translation>保留另一方的取值(&amp;O)</translation>
    </message>
    <message>
        <source>or type the value to keep</source>
        <translation>或输入要保留的取值</translation>
    </message>
    <message>
        <source>Keep &amp;typed value</source>
        <translation>保留输入的取值(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>You may not resolve conflicts: {reason}</source>
        <translation>您无权处理冲突：{reason}</translation>
    </message>
    <message>
        <source>No conflicts: nothing waits for a choice.</source>
        <translation>没有冲突：没有需要选择的事项。</translation>
    </message>
    <message>
        <source>{field}: type the value to keep first.</source>
        <translation>{field}：请先输入要保留的取值。</translation>
    </message>
    <message>
        <source>Saving your choice…</source>
        <translation>正在保存您的选择…</translation>
    </message>
    <message>
        <source>{field}: your choice is saved and goes to head office with the next sync.</source>
        <translation>{field}：您的选择已保存，将在下次同步时发送至总行。</translation>
    </message>
    <message>
        <source>Not resolved: {reason}</source>
        <translation>未处理：{reason}</translation>
    </message>
</context>
<context>
    <name>ConflictMenu</name>
    <message>
        <source>&amp;Conflicts…</source>
        <translation>冲突(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Conflicts ({n})…</source>
        <translation>冲突（{n}）(&amp;C)…</translation>
    </message>
</context>
<context>
    <name>RetryDialog</name>
    <message>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>The hub's reason: {reason}</source>
        <translation>中心给出的原因：{reason}</translation>
    </message>
    <message>
        <source>(send as it was)</source>
        <translation>（按原样发送）</translation>
    </message>
    <message>
        <source>the corrected value</source>
        <translation>更正后的取值</translation>
    </message>
    <message>
        <source>Correct field</source>
        <translation>更正字段</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新取值</translation>
    </message>
    <message>
        <source>Send &amp;again</source>
        <translation>重新发送(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{field}: type the corrected value.</source>
        <translation>{field}：请输入更正后的取值。</translation>
    </message>
    <message>
        <source>{field}: {value} is not a whole number.</source>
        <translation>{field}：“{value}”不是整数。</translation>
    </message>
</context>
<context>
    <name>QuarantineActions</name>
    <message>
        <source>Send &amp;again…</source>
        <translation>重新发送(&amp;A)…</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Queued again: it goes with the next sync.</source>
        <translation>已重新排队：将随下次同步发送。</translation>
    </message>
    <message>
        <source>Export the quarantine</source>
        <translation>导出被搁置的操作</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Exported {n} operations to {path} (personal data masked).</source>
        <translation>已将 {n} 项操作导出至 {path}（个人信息已遮盖）。</translation>
    </message>
    <message>
        <source>Not done: {reason}</source>
        <translation>未完成：{reason}</translation>
    </message>
</context>
<context>
    <name>HeadOfficeWords</name>
    <message>
        <source>Head office approved on {on} ({by})</source>
        <translation>总行已于 {on} 批准（{by}）</translation>
    </message>
    <message>
        <source>, limit {limit} yuan</source>
        <translation>，额度 {limit} 元</translation>
    </message>
    <message>
        <source>Head office declined on {on} ({by})</source>
        <translation>总行已于 {on} 否决（{by}）</translation>
    </message>
    <message>
        <source>. Note: {note}</source>
        <translation>。备注：{note}</translation>
    </message>
</context>
</TS>
